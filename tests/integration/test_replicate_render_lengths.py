"""A storyboard's approved scene lengths survive a video model that accepts only some lengths:
each clip is asked at the nearest length Kling accepts (5 or 10 s), and the final ad cuts or holds
it to its scene, so the ad lasts what was approved and the storyboard stays approved."""

from __future__ import annotations

import pytest

from core import catalog
from core.media import store
from core.media.ffmpeg import probe
from core.storyboards import editing as sb
from core.storyboards import final_ad
from tests.integration.driving import drive
from tests.utils.factories import approve_storyboard, make_storyboard

LENGTHS = [6, 6, 3, 8, 5, 2]
KLING = "kwaivgi/kling-v2.1"


@pytest.mark.parametrize(("asked", "fitted"), [(6, 5), (3, 5), (8, 10), (2, 5), (10, 10),
                                               (7, 5), (8, 10), (12, 10)])  # fmt: skip
def test_kling_is_asked_the_nearest_length_it_accepts(asked, fitted):
    assert catalog.fitted_duration(catalog.get_model(KLING), asked) == fitted


def test_seedance_lengths_are_kept_within_its_range():
    seedance = catalog.get_model("bytedance/seedance-1-lite")
    assert [catalog.fitted_duration(seedance, s) for s in (1, 6, 12, 20)] == [2, 6, 12, 12]


def test_a_kling_render_keeps_the_approved_timing(replicate_env, session, people, campaign):
    board = make_storyboard(session, people["creative"], campaign)
    scenes = sb.scenes_of(session, board.id)
    for extra in scenes[len(LENGTHS) :]:
        sb.delete_scene(session=session, actor=people["creative"], scene_id=extra.id)
    for scene, seconds in zip(sb.scenes_of(session, board.id), LENGTHS, strict=True):
        sb.update_scene(session=session, actor=people["creative"], scene_id=scene.id,
                        duration_s=seconds)  # fmt: skip
    board = approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                           video_model=KLING)  # fmt: skip
    clips = [s for s in plan.steps if s.kind == "video"]
    assert [c.params["duration"] for c in clips] == [5, 5, 5, 10, 5, 5]
    fits = plan.fitted_lengths()
    assert fits[0] == "Scene 1: a 5 s clip, its last frame held to 6 s."
    assert "Scene 6: a 5 s clip, cut to 2 s (more than half off: check it)." in fits
    done = drive(*(s.id for s in plan.steps))
    assert all(s.status == "succeeded" for s in done), [s.error for s in done]
    final = next(s for s in done if s.kind == "composite")
    info = probe(store.abs_path(final.media_path))
    assert info.duration_s == pytest.approx(sum(LENGTHS), abs=0.1)
    assert info.video_codec == "h264"
    session.expire_all()
    assert sb.get_storyboard(session=session, actor=people["creative"],
                             storyboard_id=board.id).status == "approved"  # fmt: skip
