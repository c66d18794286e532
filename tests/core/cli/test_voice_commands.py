"""`python -m core render --voice MODEL --voice-param K=V --captions/--no-captions` and
`python -m core captions ID --format vtt|srt`: a render says its storyboard's lines in the voice
asked for (or none), and its captions come out as a file to upload beside the video."""

import json

import pytest
from sqlmodel import func, select

from core.cli import main
from core.models import Generation
from core.storyboards import editing as sb
from tests.utils.factories import TINY_FIELDS, approve_storyboard, make_storyboard

# The queue the app runs (`--wait` runs its consumer here until the render is done).
pytestmark = pytest.mark.usefixtures("real_queue")


@pytest.fixture
def board(session, people, campaign):
    """Two 2 s scenes: a silent hook, and the end card saying "Find Lumen Yuzu-Ginger."."""
    made = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    assert [s.voice_line for s in sb.scenes_of(session, made.id)] == [
        "", "Find Lumen Yuzu-Ginger."
    ]  # fmt: skip
    return approve_storyboard(session, made, people["creative"], people["reviewer"])


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--as", "cleo"])
    out, err = capsys.readouterr()
    return code, out, err


def _count(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Generation)).one()


def test_a_render_in_a_chosen_voice_without_burned_in_captions_still_gives_its_captions(
    session, board, capsys
):
    code, out, err = cli(capsys, "render", board.id, "--resolution", "480p", "--wait",
                         "--voice", "local/draft-voice", "--voice-param", "voice=uk_male",
                         "--no-captions")  # fmt: skip
    assert code == 0, err
    final = json.loads(out)
    assert final["status"] == "succeeded" and final["params"]["captions"] is False
    hook_line, end_line = final["params"]["voices"]
    said = session.get(Generation, end_line)
    assert hook_line is None and (said.prompt, said.params["voice"]) == (
        "Find Lumen Yuzu-Ginger.", "uk_male"
    )  # fmt: skip
    code, out, err = cli(capsys, "captions", final["id"], "--format", "srt")
    assert code == 0, err
    assert out.startswith("1\n00:00:02,") and "Find Lumen Yuzu-Ginger." in out  # in scene 2
    code, out, _ = cli(capsys, "captions", final["id"])
    assert out.startswith("WEBVTT") and "Find Lumen Yuzu-Ginger." in out


def test_a_render_with_no_voice_has_no_captions_to_give(session, board, capsys):
    code, out, err = cli(capsys, "render", board.id, "--resolution", "480p", "--wait",
                         "--voice", "none")  # fmt: skip
    assert code == 0, err
    final = json.loads(out)
    assert final["params"]["voices"] == [None, None]
    code, out, err = cli(capsys, "captions", final["id"])
    assert (code, out) == (2, "") and "no captions" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--voice", "local/draft-image"), "makes image, not voice"),
        (("--voice", "local/draft-voice", "--voice-param", "voice=af_bella"),
         "voice: 'af_bella' is not allowed"),
    ],
)  # fmt: skip
def test_a_voice_that_cannot_be_had_is_one_line_and_renders_nothing(
    session, board, capsys, argv, message
):
    before = _count(session)
    code, out, err = cli(capsys, "render", board.id, *argv)
    assert (code, out) == (2, "") and message in err and len(err.strip().splitlines()) == 1
    assert _count(session) == before


def test_a_voice_setting_that_is_not_key_value_is_refused_before_anything_runs(
    session, board, capsys
):
    before = _count(session)
    with pytest.raises(SystemExit) as exited:  # argparse's own exit, as for any bad option
        main(["render", board.id, "--voice-param", "fast"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == (
        "error: argument --voice-param: 'fast' is not KEY=VALUE"
    )
    assert _count(session) == before


def test_a_storyboard_shows_each_scenes_line_and_its_voice(board, capsys):
    code, out, err = cli(capsys, "storyboard", "show", board.id)
    assert code == 0, err
    shown = json.loads(out)
    assert [s["voice_line"] for s in shown["scenes"]] == ["", "Find Lumen Yuzu-Ginger."]
    assert (shown["voice_model"], shown["voice_params"]) == (None, {})  # the draft voice
