"""Jobs: every job in words (kind, model, prompt) with status, elapsed time, the time left from
its model's usual time, attempts and error; cancel and retry by role; filters kept in the URL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core import jobs
from core.generation import service as gen
from core.models import Generation, utcnow
from tests.utils.factories import add_generation_rows, generation_row, submit_generation


@pytest.fixture
def board(session, people, campaign, monkeypatch):
    """Cleo's finished image, a failed track and a job still queued (its worker never came)."""
    cleo = people["creative"]
    done = submit_generation(session, cleo, campaign, "image", "a can on a beach", refresh=True)
    failed = submit_generation(session, cleo, campaign, "audio", "upbeat 120 BPM",
                               params={"duration": 2}, refresh=True)  # fmt: skip
    session.execute(
        sa.update(Generation).where(Generation.id == failed.id)
        .values(status="failed", error="The model refused the prompt; reword it.", attempts=3)
    )  # fmt: skip
    session.commit()
    with monkeypatch.context() as patch:
        patch.setattr(jobs, "enqueue", lambda *a, **k: None)
        queued = submit_generation(
            session, cleo, campaign, "image", "a queued poster", refresh=True
        )
    return {"done": done, "failed": failed, "queued": queued}


def _text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def _prompts(at) -> set[str]:
    """The jobs listed, by their prompts (each job's caption: prompt · by who · when)."""
    return {c.value.split(" · by ")[0] for c in at.main.caption if " · by " in c.value}


def _status(session, row) -> str:
    session.expire_all()
    return session.get(Generation, row.id).status


def test_viewers_are_refused(screen, people, board):
    at = screen("jobs", people["viewer"]).run()
    assert [e.value for e in at.error] == ["Your role (viewer) cannot see work in progress."]
    assert not _prompts(at)


def test_every_job_shows_status_elapsed_time_attempts_and_error(screen, people, board):
    at = screen("jobs", people["reviewer"]).run()
    assert not at.exception
    assert _prompts(at) == {r.prompt for r in board.values()}
    text = _text(at)
    assert "✅ succeeded  \ntook " in text and "🕓 queued  \nwaiting " in text
    # Named in words: the kind and the model as people know it, never an id.
    assert "**Image · Draft image**" in text and "**Music · Draft music**" in text
    assert "gen_" not in text and "local/" not in text
    assert "3 attempts" in text
    assert [e.value for e in at.error] == ["The model refused the prompt; reword it."]
    assert not [b for b in at.button if b.key.startswith(("jobs_cancel", "jobs_retry"))]


def test_filters_narrow_the_list_and_live_in_the_url(screen, people, board, campaign):
    at = screen("jobs", people["admin"], query={"status": "failed"}).run()
    assert at.selectbox(key="jobs_status").value == "failed"
    assert _prompts(at) == {board["failed"].prompt}
    at.selectbox(key="jobs_status").set_value("").run()
    at.selectbox(key="jobs_kind").set_value("image").run()
    assert _prompts(at) == {board["done"].prompt, board["queued"].prompt}
    assert at.query_params["kind"] == "image" and "status" not in at.query_params
    at.selectbox(key="jobs_scope").set_value("").run()  # every client's jobs
    assert "scope" not in at.query_params
    at.selectbox(key="jobs_scope").set_value("campaign").run()  # the sidebar's campaign's
    assert at.query_params["scope"] == "campaign" and at.query_params["campaign"] == campaign.id
    assert len(_prompts(at)) == 2


def test_cancel_then_retry_a_job(screen, people, board, session):
    queued = board["queued"]
    at = screen("jobs", people["creative"]).run()
    assert "jobs_retry_" + board["done"].id not in {b.key for b in at.button}
    at.button(key=f"jobs_cancel_{queued.id}").click().run()
    assert "Canceled: Image · Draft image “a queued poster”." in [s.value for s in at.success]
    assert _status(session, queued) == "canceled"
    assert "Canceled by cleo" in _text(at)
    at.button(key=f"jobs_retry_{queued.id}").click().run()  # the queue runs it at once in tests
    assert "Queued again: Image · Draft image “a queued poster”." in [s.value for s in at.success]
    assert _status(session, queued) == "succeeded"
    at.button(key=f"jobs_retry_{board['failed'].id}").click().run()
    assert _status(session, board["failed"]) == "succeeded"


def test_a_refused_action_is_a_message(screen, people, board, session):
    at = screen("jobs", people["admin"]).run()
    queued = board["queued"]
    gen.cancel(session=session, actor=people["admin"], generation_id=queued.id)  # meanwhile
    at.button(key=f"jobs_cancel_{queued.id}").click().run()
    assert not at.exception
    assert "only unfinished jobs can be canceled" in at.error[0].value
    at.run()  # the list's next refresh (every 2 s) keeps saying it
    assert "only unfinished jobs can be canceled" in at.error[0].value


def test_a_creative_manages_only_their_own_jobs(screen, people, campaign, session, board):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "enqueue", lambda *a, **k: None)
        admins = submit_generation(session, people["admin"], campaign, "image",
                                   "the admin's queued", refresh=True)  # fmt: skip
    at = screen("jobs", people["creative"]).run()
    keys = {b.key for b in at.button}
    assert f"jobs_cancel_{board['queued'].id}" in keys
    assert f"jobs_cancel_{admins.id}" not in keys


def test_paging_through_many_jobs(screen, people, board, campaign, session):
    add_generation_rows(session, [
        generation_row(campaign, None, id=f"gen_{i:04d}", prompt=f"shot {i}", status="failed",
                       error="boom") for i in range(30)
    ])  # fmt: skip
    at = screen("jobs", people["reviewer"]).run()
    first = _prompts(at)
    assert len(first) == 25
    at.button(key="jobs_next").click().run()
    assert len(_prompts(at)) == 8 and not first & _prompts(at)
    at.selectbox(key="jobs_status").set_value("queued").run()  # a new filter starts at page 1
    assert _prompts(at) == {board["queued"].prompt}


def _ran(campaign, seconds: float, **fields) -> Generation:
    """A finished Nano Banana image that took `seconds`, start to stored file."""
    start = utcnow() - timedelta(hours=1)
    return generation_row(campaign, None, "image", "google/nano-banana", prompt="earlier",
                          started_at=start, finished_at=start + timedelta(seconds=seconds),
                          **fields)  # fmt: skip


def test_a_running_job_says_about_how_long_is_left_from_its_models_usual_time(
    screen, people, campaign, session
):
    # The model's usual time is the median of its latest runs: one slow run does not move it.
    add_generation_rows(session, [_ran(campaign, s) for s in (38, 40, 41, 300)])
    now = utcnow()
    add_generation_rows(session, [
        generation_row(campaign, people["creative"], "image", "google/nano-banana",
                       prompt="on time", status="running", started_at=now - timedelta(seconds=10)),
        generation_row(campaign, people["creative"], "image", "google/nano-banana",
                       prompt="running late", status="running",
                       started_at=now - timedelta(seconds=70)),
    ])  # fmt: skip
    at = screen("jobs", people["reviewer"], query={"status": "running"}).run()
    states = [m.value for m in at.main.markdown if m.value.startswith("⚙️ running")]
    assert len(states) == 2
    # (A second may pass before the page is drawn.)
    assert any(re.search(r"running for 1[01] s · about (30|25) s left", s) for s in states)
    # Past the usual time: never a negative count.
    assert any(re.search(r"running for 1 min 1[01] s · taking longer than usual \(usually 40 s\)",
                         s) for s in states)  # fmt: skip


def test_no_estimate_is_made_up_for_a_model_with_no_finished_run(screen, people, campaign, session):
    add_generation_rows(session, [
        generation_row(campaign, people["creative"], "video", "kwaivgi/kling-v2.1",
                       prompt="first ever", status="running",
                       started_at=utcnow() - timedelta(seconds=5)),
    ])  # fmt: skip
    at = screen("jobs", people["reviewer"]).run()
    [state] = [m.value for m in at.main.markdown if m.value.startswith("⚙️ running")]
    assert "running for" in state and "left" not in state and "usual" not in state


def test_a_paid_job_offers_its_logs_and_says_what_a_retry_costs(screen, people, campaign, session):
    """Drafts run offline and are free: no logs, no price. (The logs themselves, fetched from
    Replicate over HTTP: tests/integration/test_prediction_logs.py.)"""
    draft, paid, _done = add_generation_rows(session, [
        generation_row(campaign, people["creative"], "image", status="failed", prompt="draft",
                       error="boom"),
        generation_row(campaign, people["creative"], "image", "google/nano-banana",
                       prompt="paid, failed", status="failed", error="NSFW",
                       estimated_cost_usd=0.039),
        generation_row(campaign, people["creative"], "image", "google/nano-banana",
                       prompt="paid, done"),
    ])  # fmt: skip
    at = screen("jobs", people["creative"]).run()
    offered = {t.key for t in at.toggle if t.key.startswith("jobs_logs_")}
    assert offered == {f"jobs_logs_{paid.id}"}
    assert at.button(key=f"jobs_retry_{paid.id}").label == "Retry · $0.04"
    assert at.button(key=f"jobs_retry_{draft.id}").label == "Retry"
