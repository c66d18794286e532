"""A prediction's logs on demand, fetched from Replicate (the fake, over HTTP, through the real
client) as the model writes them: while it runs, after it failed, in the Jobs page and the
Studio's recent jobs; for the team only; drafts have none, and say why."""

from __future__ import annotations

import pytest

from core.errors import PermissionDenied, ProviderError
from core.generation import progress
from tests.integration.driving import drive, row, submit_image
from tests.ui.conftest import screen_app
from tests.utils.factories import submit_generation


def _logs(session, people, generation_id: str) -> progress.Logs:
    session.expire_all()  # the worker has recorded the prediction since (another session)
    return progress.prediction_logs(session=session, actor=people["reviewer"],
                                     generation_id=generation_id)  # fmt: skip


def test_a_running_predictions_logs_so_far(replicate_env, session, people, campaign):
    replicate_env.script.latency_s = 60  # still processing while we look
    image = submit_image(session, people, campaign)
    assert row(image.id).status == "running"
    logs = _logs(session, people, image.id)
    assert logs.text.splitlines() == ["Using seed: 42", "  0%|          | 0/20"]
    assert logs.note == ""


def test_a_failed_predictions_logs_end_with_its_error(replicate_env, session, people, campaign):
    replicate_env.script.fail_with = "CUDA out of memory"
    (failed,) = drive(submit_image(session, people, campaign).id)
    assert failed.status == "failed"
    assert _logs(session, people, failed.id).text.endswith("RuntimeError: CUDA out of memory\n")


def test_a_long_log_keeps_its_end(replicate_env, session, people, campaign):
    replicate_env.script.latency_s = 60
    replicate_env.script.logs = "step\n" * 5000 + "the latest line\n"
    image = submit_image(session, people, campaign)
    logs = _logs(session, people, image.id)
    assert logs.text.endswith("the latest line\n")
    assert len(logs.text) == progress.LOGS_KEPT_CHARS
    assert logs.note == "The last 20,000 characters."


def test_drafts_have_no_logs_and_say_why(session, people, campaign):
    draft = submit_generation(session, people["creative"], campaign, "image")
    logs = _logs(session, people, draft.id)
    assert logs == progress.Logs("", "No logs: drafts are made offline by the draft engine, "
                                     "not on Replicate.")  # fmt: skip


def test_logs_are_for_the_team_and_replicate_down_is_said(replicate_env, session, people, campaign):
    replicate_env.script.latency_s = 60
    image = submit_image(session, people, campaign)
    with pytest.raises(PermissionDenied):
        progress.prediction_logs(session=session, actor=people["viewer"], generation_id=image.id)
    replicate_env.outage(30)
    with pytest.raises(ProviderError, match=r"Replicate is unavailable \(HTTP 503\)"):
        _logs(session, people, image.id)


def _logs_shown(at) -> list[str]:
    return [c.value for c in at.main.code]


def test_show_logs_in_the_jobs_page_and_the_studio(replicate_env, session, people, campaign):
    # Slow enough that the fake's progress bar does not move between the two pages' fetches
    # (at 60 s it moved one step every 3 s: a slow run saw 0/20, then 1/20).
    replicate_env.script.latency_s = 600
    image = submit_image(session, people, campaign)
    at = screen_app("jobs", people["reviewer"]).run()
    assert not _logs_shown(at)  # asked for only when wanted
    at.toggle(key=f"jobs_logs_{image.id}").set_value(True).run()
    assert not at.exception
    [shown] = _logs_shown(at)
    assert shown.startswith("Using seed: 42\n")
    studio = screen_app("studio", people["creative"]).run()
    studio.toggle(key=f"live_jobs_logs_{image.id}").set_value(True).run()
    assert [c.value for c in studio.main.code if c.value.startswith("Using seed")] == [shown]
