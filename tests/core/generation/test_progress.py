"""Progress in figures people can trust: a model's usual time from its latest runs, the time left
of a running job, a render's share done. (Logs from Replicate: tests/integration.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.generation import progress
from core.models import Generation, utcnow
from core.providers import replicate_latency
from tests.utils.factories import add_generation_rows, generation_row

NOW = utcnow()


def _ran(campaign, model: str, seconds: float, status: str = "succeeded", **params) -> Generation:
    start = NOW - timedelta(hours=1)
    kind = "video" if "video" in model or "seedance" in model else "image"
    end = start + timedelta(seconds=seconds)
    return generation_row(campaign, None, kind, model, status=status, params=params,
                          started_at=start, finished_at=end)  # fmt: skip


def _running(campaign, model: str, for_s: float = 0.0, **fields) -> Generation:
    kind = "video" if "video" in model or "seedance" in model else "image"
    return generation_row(campaign, None, kind, model, status="running",
                          started_at=NOW - timedelta(seconds=for_s), **fields)  # fmt: skip


@pytest.fixture(autouse=True)
def nothing_learned():
    replicate_latency.forget()
    yield
    replicate_latency.forget()


def test_a_models_usual_time_is_the_median_of_its_finished_runs(session, campaign):
    nano = "google/nano-banana"
    add_generation_rows(session, [
        _ran(campaign, nano, 38), _ran(campaign, nano, 40), _ran(campaign, nano, 41),
        _ran(campaign, nano, 300),  # one held up by an outage does not move it
        _ran(campaign, nano, 2, status="failed"),  # a failure says nothing of how long work takes
        _ran(campaign, "local/draft-image", 1),  # another model's
    ])  # fmt: skip
    job = _running(campaign, nano)
    assert progress.usual_seconds(session, [job]) == {job.id: 40.5}


def test_runs_of_another_length_are_told_apart_once_there_are_a_few(session, campaign):
    seedance = "bytedance/seedance-1-lite"
    add_generation_rows(session, [
        *(_ran(campaign, seedance, s, duration=5) for s in (60, 62, 64)),
        *(_ran(campaign, seedance, s, duration=10) for s in (120, 125, 130)),
        _ran(campaign, seedance, 90, duration=8),
    ])  # fmt: skip
    ten, eight = _running(campaign, seedance), _running(campaign, seedance)
    ten.params, eight.params = {"duration": 10}, {"duration": 8}
    usual = progress.usual_seconds(session, [ten, eight])
    assert usual[ten.id] == 125
    assert usual[eight.id] == 90  # one 8 s run is too few: every run's median


def test_with_no_finished_run_here_the_workers_learned_time_stands_in(session, campaign):
    job = _running(campaign, "google/nano-banana")
    assert progress.usual_seconds(session, [job]) == {}  # unknown: no estimate is made up
    replicate_latency.observe("google/nano-banana", "2026-11-25T10:00:00Z", "2026-11-25T10:00:07Z")
    assert progress.usual_seconds(session, [job]) == {job.id: 7.0}


def test_time_left_counts_down_from_the_usual_time_and_past_it_goes_below_zero(campaign):
    job = _running(campaign, "google/nano-banana", for_s=10)
    assert progress.seconds_left(job, 40.0, now=NOW) == pytest.approx(30.0)
    assert progress.seconds_left(job, 40.0, now=NOW + timedelta(seconds=45)) == pytest.approx(-15)
    assert progress.seconds_left(job, None, now=NOW) is None
    queued = generation_row(campaign, None, status="queued")
    assert progress.seconds_left(queued, 40.0, now=NOW) is None


def test_a_renders_share_done_weighs_each_step_by_its_usual_time(campaign):
    frame = generation_row(campaign, None, "image", id="frame")
    clip = _running(campaign, "bytedance/seedance-1-lite", for_s=30, id="clip")
    music = generation_row(campaign, None, "audio", status="queued", id="music")
    usual = {"frame": 10.0, "clip": 60.0, "music": 20.0}
    # The frame is done, the clip half way through its usual time, the music not started.
    assert progress.done_share([frame, clip, music], usual, now=NOW) == pytest.approx(40 / 90)
    late = progress.done_share([frame, clip, music], usual, now=NOW + timedelta(minutes=5))
    assert late == pytest.approx((10 + 60 * progress.RUNNING_CAP) / 90)  # never done till it is
    # A step whose model's time is unknown weighs like a typical one.
    final = generation_row(campaign, None, "composite", "local/compose", status="waiting", id="ad")
    assert progress.done_share([frame, final], {"frame": 10.0}, now=NOW) == pytest.approx(0.5)
    assert progress.done_share([], {}) == 0.0
