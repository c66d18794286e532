"""Jobs and settings in people's words: no ids, no raw JSON, no negative countdowns."""

from core.models import Generation
from ui import words


def test_settings_read_as_a_line_with_their_units():
    assert words.settings("bytedance/seedance-1-lite", {
        "aspect_ratio": "16:9", "duration": 5, "resolution": "720p", "camera_fixed": False,
        "fps": 24, "seed": None,
    }) == ("Duration: 5 s · Resolution: 720p · Aspect ratio: 16:9 · Frame rate: 24 fps · "
           "Camera fixed: off")  # fmt: skip
    assert words.settings("local/draft-image", {"output_format": "png"}) == "Output format: PNG"
    assert words.settings("local/draft-image", {}) == "—"


def test_a_final_ads_bookkeeping_stays_out_of_its_settings():
    shown = words.settings("local/compose", {
        "transition": "cut", "aspect_ratio": "9:16", "clips": ["gen_a", "gen_b"],
        "durations": [3, 2], "music": "gen_c", "storyboard_id": "sb_1", "storyboard_version": 2,
    })  # fmt: skip
    assert shown == "Transition: cut · Aspect ratio: 9:16 · Scene lengths: 3, 2 s"


def test_jobs_are_named_by_kind_and_model():
    assert words.kind_name("audio") == "Music"
    assert words.model_name("google/nano-banana") == "Nano Banana (Google)"
    assert words.model_name("someone/retired-model") == "someone/retired-model"  # not hidden


def test_durations_read_in_the_unit_that_fits():
    assert [words.seconds(s) for s in (4.24, 38.4, 125, 3600 + 240)] == [
        "4.2 s", "38 s", "2 min 5 s", "1 h 4 min",
    ]  # fmt: skip


def test_time_left_is_rounded_and_never_negative():
    assert words.time_left(41.0, 60.0) == "about 40 s left"
    assert words.time_left(3.0, 60.0) == "a few seconds left"
    assert words.time_left(58.0, 90.0) == "about 1 min left"
    assert words.time_left(200.0, 400.0) == "about 3 min left"
    assert words.time_left(-12.0, 40.0) == "taking longer than usual (usually 40 s)"
    assert words.time_left(None, None) is None  # no usual time known: nothing made up


def test_an_animatic_is_called_one_and_never_the_final_ad():
    animatic = Generation(kind="composite", model="local/compose", client_id="c", campaign_id="k",
                          params={"animatic": True, "fingerprint": "ab12", "frames": [None],
                                  "transition": "cut", "fps": 12})  # fmt: skip
    final = Generation(kind="composite", model="local/compose", client_id="c", campaign_id="k")
    assert (words.what(animatic), words.row_kind(animatic)) == ("Animatic", "Animatic")
    assert (words.what(final), words.row_kind(final)) == ("Final ad", "Final ad")
    assert words.settings(animatic.model, animatic.params) == "Transition: cut · Frame rate: 12 fps"


def test_labels_alike_are_told_apart_by_a_detail_then_a_number():
    labels = {"a": "Own it · v0", "b": "Own it · v0", "c": "Own it · v0", "d": "Other"}
    made = {"a": "made 7 Dec 10:00", "b": "made 7 Dec 10:00", "c": "made 7 Dec 11:30"}
    told = words.distinct(labels, made.get)
    assert told == {
        "a": "Own it · v0 · made 7 Dec 10:00",
        "b": "Own it · v0 · made 7 Dec 10:00 (2)",
        "c": "Own it · v0 · made 7 Dec 11:30",
        "d": "Other",  # a label of its own is left as it is
    }
    assert words.distinct({"x": "Logo", "y": "Logo"}) == {"x": "Logo", "y": "Logo (2)"}
