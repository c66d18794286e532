"""`python -m core animatic STORYBOARD_ID [--force]`: the rough cut made at once, its id and file
printed as JSON; asked again for an unchanged board, the same one; a viewer is refused."""

import json
from pathlib import Path

import pytest

from core.cli import main
from core.media.ffmpeg import probe
from tests.utils.factories import TINY_FIELDS, make_storyboard


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, TINY_FIELDS)


def cli(capsys, *argv: str, user: str = "cleo") -> tuple[int, str, str]:
    code = main([*argv, "--as", user])
    out, err = capsys.readouterr()
    return code, out, err


def test_animatic_prints_the_finished_cut_and_makes_it_once(board, capsys):
    code, out, err = cli(capsys, "animatic", board.id)
    assert code == 0, err
    made = json.loads(out)
    assert made["made"] is True and made["id"].startswith("gen_")
    assert (made["kind"], made["status"], made["cost_usd"]) == ("composite", "succeeded", 0.0)
    assert made["params"]["animatic"] is True and made["params"]["storyboard_id"] == board.id
    assert made["path"] == made["media"]["path"]
    info = probe(Path(made["path"]))
    assert (info.video_codec, info.width, info.height) == ("h264", 854, 480)
    assert info.duration_s == pytest.approx(4, abs=0.1) and info.audio_codec == "aac"
    code, out, _ = cli(capsys, "animatic", board.id)
    again = json.loads(out)
    assert code == 0 and (again["id"], again["made"]) == (made["id"], False)
    code, out, _ = cli(capsys, "animatic", board.id, "--force")
    forced = json.loads(out)
    assert code == 0 and forced["made"] is True and forced["id"] != made["id"]


def test_animatic_is_refused_to_a_viewer_and_for_an_unknown_board(board, capsys):
    code, out, err = cli(capsys, "animatic", board.id, user="vic")
    assert code == 2 and out == "" and "viewer" in err
    code, out, err = cli(capsys, "animatic", "sb_nope")
    assert code == 2 and out == "" and err.startswith("error:")
