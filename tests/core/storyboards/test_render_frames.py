"""Frames of a render: a paid clip starts from a paid frame unless a person chose otherwise, and
the quote counts the frames."""

from __future__ import annotations

import json
import subprocess

from sqlmodel import select

from core import catalog
from core.config import reset_settings
from core.models import Generation
from core.storyboards import editing as sb
from core.storyboards import final_ad, frames
from tests.utils.factories import approve_storyboard, make_storyboard
from tests.utils.processes import child_env, python_m

SEEDANCE = "bytedance/seedance-1-lite"
NANO = "google/nano-banana"


def _plan(session, people, board, **models):
    return final_ad.plan_render(session=session, actor=people["creative"],
                                storyboard_id=board.id, **models)  # fmt: skip


def _frames(plan):
    return [s for s in plan.steps if s.kind == "image"]


def test_a_paid_render_draws_its_frames_on_a_paid_model_and_quotes_them(
    replicate_on, session, people, campaign
):
    board = make_storyboard(session, people["creative"], campaign)
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = _plan(session, people, board, video_model=SEEDANCE)
    drawn = _frames(plan)
    assert len(drawn) == len(sb.scenes_of(session, board.id))
    assert {f.model for f in drawn} == {NANO}
    assert all(f.estimated_cost_usd > 0 for f in drawn)  # the quote includes every frame
    clips = [s for s in plan.steps if s.kind == "video"]
    assert [c.parent_id for c in clips] == [f.id for f in drawn]


def test_a_draft_render_keeps_draft_frames_and_a_paid_one_may_pick_them(
    replicate_on, session, people, campaign
):
    board = make_storyboard(session, people["creative"], campaign)
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    assert {f.model for f in _frames(_plan(session, people, board))} == {"local/draft-image"}
    picked = _plan(session, people, board, video_model=SEEDANCE, image_model="local/draft-image")
    assert {f.model for f in _frames(picked)} == {"local/draft-image"}
    assert all(f.estimated_cost_usd == 0 for f in _frames(picked))


def test_a_paid_render_redraws_an_unchosen_draft_frame_but_keeps_a_chosen_one(
    session, people, campaign, monkeypatch
):
    creative = people["creative"]
    board = make_storyboard(session, creative, campaign)
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)  # drafts
    session.commit()
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_test_token")  # only planned: nothing is sent
    reset_settings()
    first, *others = sb.scenes_of(session, board.id)
    [draft] = frames.frames_of(session=session, actor=creative, storyboard_id=board.id)[first.id]
    frames.choose_variant(session=session, actor=creative, scene_id=first.id,
                          generation_id=draft.id)  # fmt: skip
    approve_storyboard(session, board, creative, people["reviewer"])
    plan = _plan(session, people, board, video_model=SEEDANCE)
    drawn = _frames(plan)
    assert {f.scene_id for f in drawn} == {s.id for s in others}  # the chosen one is kept
    assert {f.model for f in drawn} == {NANO}
    clip = next(s for s in plan.steps if s.kind == "video" and s.scene_id == first.id)
    assert clip.parent_id == draft.id


def test_the_default_frame_model_follows_the_video_model():
    assert catalog.frame_model_for(SEEDANCE) == NANO
    assert catalog.frame_model_for("kwaivgi/kling-v2.1") == NANO
    assert catalog.frame_model_for("local/draft-video") == "local/draft-image"


def test_the_cli_renders_with_the_frame_model_it_is_given(replicate_on, session, people, campaign):
    board = make_storyboard(session, people["creative"], campaign)
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    session.commit()
    argv = python_m("core", "render", board.id, "--as", people["creative"].username,
                    "--model-video", SEEDANCE, "--model-image", "local/draft-image")  # fmt: skip
    done = subprocess.run(argv, env=child_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    final = session.get(Generation, json.loads(done.stdout)["id"])
    drawn = session.exec(select(Generation).where(Generation.chain_id == final.chain_id,
                                                  Generation.kind == "image")).all()  # fmt: skip
    assert {f.model for f in drawn} == {"local/draft-image"}
    assert len(drawn) == len(sb.scenes_of(session, board.id))
