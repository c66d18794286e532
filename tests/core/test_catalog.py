import pytest

from core import catalog
from core.errors import NotFound, ValidationError

SEED_MODELS = (
    "google/nano-banana",
    "bytedance/seedance-1-lite",
    "kwaivgi/kling-v2.1",
    "meta/musicgen",
    "riffusion/riffusion",
    "minimax/speech-02-turbo",
    "jaaari/kokoro-82m",
)
DRAFT_MODELS = ("local/draft-image", "local/draft-video", "local/draft-music", "local/compose",
                "local/draft-voice")  # fmt: skip


def test_catalog_holds_the_seed_and_draft_models_with_their_kinds():
    kinds = {m.id: m.kind for m in catalog.MODELS}
    assert set(SEED_MODELS) | set(DRAFT_MODELS) == set(kinds)
    assert kinds["kwaivgi/kling-v2.1"] == "video" and kinds["riffusion/riffusion"] == "audio"
    assert catalog.get_model("local/draft-video").provider == "local"
    assert catalog.get_model("meta/musicgen").provider == "replicate"
    assert catalog.get_model("meta/musicgen").version.startswith("671ac645")


@pytest.mark.parametrize(
    ("draft", "remote", "shared"),
    [
        ("local/draft-image", "google/nano-banana", {"aspect_ratio", "output_format"}),
        (
            "local/draft-video",
            "bytedance/seedance-1-lite",
            {"duration", "resolution", "aspect_ratio", "fps", "seed"},
        ),
        ("local/draft-music", "meta/musicgen", {"duration", "output_format", "seed"}),
        ("local/draft-voice", "minimax/speech-02-turbo", {"speed", "pitch"}),
        ("local/draft-voice", "jaaari/kokoro-82m", {"voice", "speed"}),
    ],
)
def test_draft_models_share_parameter_names_with_replicate_counterparts(draft, remote, shared):
    names = lambda model_id: {p.name for p in catalog.get_model(model_id).params}  # noqa: E731
    assert shared <= names(draft) & names(remote)


def test_defaults_are_filled_and_strings_from_the_cli_are_typed():
    params = catalog.validate("local/draft-video", {"duration": "7"})
    assert params == {"duration": 7, "resolution": "720p", "aspect_ratio": "16:9", "fps": 24}
    assert catalog.validate("bytedance/seedance-1-lite", {"camera_fixed": "true"})["camera_fixed"]


def test_every_bad_field_gets_a_message_naming_it_and_the_allowed_values():
    with pytest.raises(ValidationError) as caught:
        catalog.validate(
            "local/draft-video",
            {"duration": "70", "fps": "25", "resolution": "4k", "colour": "red"},
            prompt=" ",
        )
    fields = caught.value.fields
    assert set(fields) == {"duration", "fps", "resolution", "colour", "prompt"}
    assert "1..30" in fields["duration"]
    assert "12, 24, 30" in fields["fps"]
    assert "480p, 720p, 1080p" in fields["resolution"]
    assert "duration, resolution, aspect_ratio, fps, seed" in fields["colour"]


def test_wrong_types_are_refused():
    with pytest.raises(ValidationError, match="duration: 'five' is not a valid int"):
        catalog.validate("local/draft-music", {"duration": "five"})
    with pytest.raises(ValidationError, match="camera_fixed"):
        catalog.validate("bytedance/seedance-1-lite", {"camera_fixed": "maybe"})


def test_unknown_model_is_a_clear_error():
    with pytest.raises(NotFound, match="Unknown model 'acme/video'"):
        catalog.get_model("acme/video")


@pytest.mark.parametrize(
    ("model_id", "params", "expected"),
    [
        ("google/nano-banana", {}, 0.039),
        ("bytedance/seedance-1-lite", {"duration": 5, "resolution": "720p"}, 0.18),
        ("bytedance/seedance-1-lite", {"duration": 10, "resolution": "480p"}, 0.18),
        ("bytedance/seedance-1-lite", {"duration": 5, "resolution": "1080p"}, 0.36),
        ("kwaivgi/kling-v2.1", {"duration": 5, "mode": "standard"}, 0.25),
        ("kwaivgi/kling-v2.1", {"duration": 10, "mode": "pro"}, 0.90),
        ("local/draft-video", {"duration": 5}, 0.0),
    ],
)
def test_estimates_follow_the_price_rules(model_id, params, expected):
    spec = catalog.get_model(model_id)
    full = catalog.validate(model_id, params)
    assert catalog.estimate_cost(spec, full) == pytest.approx(expected)


def test_gpu_time_models_bill_measured_seconds():
    spec = catalog.get_model("meta/musicgen")
    params = catalog.validate("meta/musicgen", {"duration": 8})
    assert catalog.actual_cost(spec, params, predict_time_s=20) == pytest.approx(0.023)
    assert catalog.estimate_cost(spec, params) > 0
    riff = catalog.get_model("riffusion/riffusion")
    assert catalog.actual_cost(riff, {}, predict_time_s=10) == pytest.approx(0.00225)


def test_draft_frame_sizes_follow_resolution_and_ratio():
    assert catalog.frame_size({"resolution": "720p", "aspect_ratio": "16:9"}) == (1280, 720)
    assert catalog.frame_size({"resolution": "720p", "aspect_ratio": "9:16"}) == (720, 1280)
    assert catalog.frame_size({"resolution": "1080p", "aspect_ratio": "1:1"}) == (1080, 1080)
    assert catalog.image_size({"aspect_ratio": "21:9"}) == (1536, 640)


def test_models_are_labelled_for_people_with_their_price():
    labels = {m.id: catalog.label(m) for m in catalog.MODELS}
    assert labels["google/nano-banana"] == "Nano Banana (Google), $0.039 an image"
    assert labels["local/draft-image"] == "Draft image: free, offline"
    assert labels["bytedance/seedance-1-lite"] == (
        "Seedance 1 Lite (ByteDance), from $0.018 a second of video"
    )
    assert labels["meta/musicgen"] == "MusicGen (Meta), about $0.028 for 8 s of music"
    assert not any("/" in label for label in labels.values())  # never an id


def test_voices_are_quoted_by_what_they_say():
    line = "Spring is here. Shop the new collection today."  # 8 words, 46 characters
    minimax = catalog.get_model("minimax/speech-02-turbo")
    params = catalog.validate(minimax.id, {})
    assert catalog.estimate_cost(minimax, params, text=line) == pytest.approx(46 * 0.00006)
    assert catalog.actual_cost(minimax, params, text=line * 2) == pytest.approx(92 * 0.00006)
    kokoro = catalog.get_model("jaaari/kokoro-82m")
    slow = catalog.estimate_cost(kokoro, {"speed": 0.5}, text=line)
    assert slow > catalog.estimate_cost(kokoro, {"speed": 2.0}, text=line)  # longer speech
    assert catalog.actual_cost(kokoro, {}, predict_time_s=4, text=line) == pytest.approx(0.0009)
    with pytest.raises(ValueError, match="pass the text"):
        catalog.estimate_cost(minimax, params)
    assert catalog.estimate_cost(catalog.get_model("local/draft-voice"), {}, text=line) == 0
    assert catalog.speech_seconds(line) == pytest.approx(8 / 2.5)
    labels = {m.id: catalog.label(m) for m in catalog.models_for("voice")}
    assert labels == {
        "local/draft-voice": "Draft voice: free, offline",
        "minimax/speech-02-turbo": "Speech-02-Turbo (MiniMax), $0.06 per 1,000 characters spoken",
        "jaaari/kokoro-82m": "Kokoro 82M, about $0.0009 for a 10 s line",
    }
    assert catalog.default_model("voice") == "local/draft-voice"
    assert catalog.REPLICATE_DEFAULTS["voice"] == "minimax/speech-02-turbo"
