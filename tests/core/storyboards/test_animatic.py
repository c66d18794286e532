"""A storyboard's animatic: its frames played with its timing, transition, end card and music,
made inline on the draft engine for nothing; made once per state of the board, out of date after
a change, made by the team but not by viewers, and never taken for the final ad."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageOps
from sqlmodel import select

from core.config import get_settings
from core.errors import Conflict, PermissionDenied
from core.media import store
from core.media.ffmpeg import probe
from core.media.thumbs import extract_frame
from core.models import Generation
from core.storyboards import animatic, final_ad, frames, reviews
from core.storyboards import editing as sb
from tests.utils.factories import TINY_FIELDS, approve_storyboard, make_storyboard

LONG_LINE = " ".join(["Find Lumen Yuzu-Ginger in the chiller aisle this spring only."] * 4)


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, TINY_FIELDS)


def _make(session, user, board, **kwargs) -> animatic.Made:
    return animatic.make_animatic(session=session, actor=user, storyboard_id=board.id, **kwargs)


def _latest(session, user, board) -> animatic.Latest:
    session.expire_all()
    return animatic.latest_animatic(session=session, actor=user, storyboard_id=board.id)


def _total(session, board) -> int:
    return sum(s.duration_s for s in sb.scenes_of(session, board.id))


def _rows(session) -> list[Generation]:
    session.expire_all()
    return list(session.exec(select(Generation)))


def _plays(row: Generation, size: tuple[int, int], seconds: float) -> None:
    """Decoded: H.264 at `size`, lasting `seconds`, with its sound."""
    info = probe(store.abs_path(row.media_path))
    assert (info.video_codec, info.width, info.height) == ("h264", *size)
    assert info.duration_s == pytest.approx(seconds, abs=0.1)
    assert info.audio_codec == "aac" and info.sample_rate == 48000


def test_an_animatic_is_a_finished_composite_made_at_once_for_nothing(session, people, board):
    assert not get_settings().replicate_enabled  # no token: the draft engine alone
    made = _make(session, people["creative"], board)
    row = made.animatic
    assert made.made
    assert (row.kind, row.status, row.model) == ("composite", "succeeded", "local/compose")
    assert (row.cost_usd, row.estimated_cost_usd) == (0.0, 0.0)
    assert row.params["animatic"] is True and row.params["storyboard_id"] == board.id
    assert row.params["storyboard_version"] == board.version == 0
    assert row.params["aspect_ratio"] == "16:9" and row.params["transition"] == "cut"
    assert row.params["frames"] == [None, None]  # no frames yet: both painted for it
    assert row.params["call_to_action"] == board.call_to_action
    _plays(row, (854, 480), _total(session, board))
    assert (row.width, row.height, row.duration_s) == (854, 480, _total(session, board))
    assert store.abs_path(row.thumb_path).is_file()
    # Nothing queued, nothing kept for the scenes: only the animatic's own row.
    assert [r.id for r in _rows(session)] == [row.id]
    assert animatic.is_animatic(row) and animatic.made_from(row) == 0


@pytest.mark.parametrize(
    ("ratio", "transition", "size"),
    [("9:16", "crossfade", (480, 854)), ("1:1", "cut", (480, 480)),
     ("4:3", "crossfade", (640, 480))],
)  # fmt: skip
def test_it_takes_the_storyboards_shape_and_transition(
    session, people, board, ratio, transition, size
):
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         aspect_ratio=ratio, transition=transition)  # fmt: skip
    row = _make(session, people["creative"], board).animatic
    assert (row.params["aspect_ratio"], row.params["transition"]) == (ratio, transition)
    _plays(row, size, _total(session, board))


def test_each_scene_shows_its_current_frame(session, people, board, tmp_path):
    hook, end = sb.scenes_of(session, board.id)
    frames.generate_frames(session=session, actor=people["creative"], storyboard_id=board.id,
                           scene_id=hook.id)  # fmt: skip
    session.expire_all()
    [frame] = frames.frames_of(session=session, actor=people["creative"],
                               storyboard_id=board.id)[hook.id]  # fmt: skip
    row = _make(session, people["creative"], board).animatic
    assert row.params["frames"] == [frame.id, None]
    # The first picture is the hook's frame itself, before the push-in starts.
    extract_frame(store.abs_path(row.media_path), tmp_path / "first.png", at_s=0.0)
    with (
        Image.open(tmp_path / "first.png") as shown,
        Image.open(store.abs_path(frame.media_path)) as still,
    ):
        expected = ImageOps.fit(still.convert("RGB"), shown.size)
        difference = np.abs(np.asarray(shown.convert("RGB"), float) - np.asarray(expected, float))
    assert difference.mean() < 8


def test_asked_again_for_the_same_board_it_shows_the_one_made(session, people, board):
    first = _make(session, people["creative"], board)
    again = _make(session, people["reviewer"], board)
    assert not again.made and again.animatic.id == first.animatic.id
    assert len(_rows(session)) == 1
    forced = _make(session, people["creative"], board, force=True)
    assert forced.made and forced.animatic.id != first.animatic.id
    assert len(_rows(session)) == 2


def test_a_change_to_the_board_makes_it_out_of_date_until_it_is_made_again(session, people, board):
    assert _latest(session, people["creative"], board) == animatic.Latest(None, False)
    first = _make(session, people["creative"], board).animatic
    assert _latest(session, people["reviewer"], board) == animatic.Latest(first, True)
    hook = sb.scenes_of(session, board.id)[0]
    sb.update_scene(session=session, actor=people["creative"], scene_id=hook.id, duration_s=3)
    latest = _latest(session, people["creative"], board)
    assert latest.animatic.id == first.id and not latest.current
    remade = _make(session, people["creative"], board)
    assert remade.made and remade.animatic.params["durations"] == [3, 2]
    _plays(remade.animatic, (854, 480), 5)
    assert _latest(session, people["creative"], board) == animatic.Latest(remade.animatic, True)
    # A new frame is a change too: the animatic would show it.
    frames.generate_frames(session=session, actor=people["creative"], storyboard_id=board.id,
                           scene_id=hook.id)  # fmt: skip
    assert not _latest(session, people["creative"], board).current


def test_the_team_makes_animatics_and_viewers_do_not(session, people, board):
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    # In review the board is frozen for edits, not for watching: a reviewer makes one.
    made = _make(session, people["reviewer"], board)
    assert made.made and made.animatic.params["storyboard_version"] == 1
    assert animatic.made_from(made.animatic) == 1
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    session.commit()
    # A viewer may watch an approved board's animatic, but not make one.
    watched = _latest(session, people["viewer"], board)
    assert watched.animatic.id == made.animatic.id and watched.current
    with pytest.raises(PermissionDenied, match="viewer"):
        _make(session, people["viewer"], board, force=True)
    assert animatic.may_make(people["admin"]) and not animatic.may_make(people["viewer"])


def test_a_voice_line_too_long_to_fit_leaves_the_voice_out_not_the_animatic(session, people, board):
    end = sb.scenes_of(session, board.id)[-1]
    sb.update_scene(session=session, actor=people["creative"], scene_id=end.id,
                    voice_line=LONG_LINE)  # fmt: skip
    row = _make(session, people["creative"], board).animatic
    assert row.params["left_out"].startswith("Voice-over left out: Scene 2's voice line runs")
    _plays(row, (854, 480), _total(session, board))


def test_a_storyboard_without_scenes_has_nothing_to_play(session, people, board):
    for scene in sb.scenes_of(session, board.id):
        session.delete(scene)
    session.commit()
    with pytest.raises(Conflict, match="no scenes"):
        _make(session, people["creative"], board)
    assert _rows(session) == []


def test_an_animatic_is_never_taken_for_the_final_ad(session, people, board):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    made = _make(session, people["creative"], board).animatic
    assert final_ad.renders_of(session=session, actor=people["creative"],
                               storyboard_id=board.id) == []  # fmt: skip
    assert made.params["storyboard_version"] == board.version  # yet made of the approved board
