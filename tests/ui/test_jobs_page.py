"""Jobs: every job with status, elapsed time, attempts and error; cancel and retry by role;
filters kept in the URL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core import jobs
from core.generation import service as gen
from core.models import Generation
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


def _job_ids(at) -> set[str]:
    return {part.split("`")[1] for part in (m.value for m in at.markdown) if "`gen_" in part}


def _status(session, row) -> str:
    session.expire_all()
    return session.get(Generation, row.id).status


def test_viewers_are_refused(screen, people, board):
    at = screen("jobs", people["viewer"]).run()
    assert [e.value for e in at.error] == ["Your role (viewer) cannot see work in progress."]
    assert not _job_ids(at)


def test_every_job_shows_status_elapsed_time_attempts_and_error(screen, people, board):
    at = screen("jobs", people["reviewer"]).run()
    assert not at.exception
    assert _job_ids(at) == {r.id for r in board.values()}
    text = _text(at)
    assert "✅ succeeded  \ntook " in text and "🕓 queued  \nwaiting " in text
    assert "3 attempts" in text
    assert [e.value for e in at.error] == ["The model refused the prompt; reword it."]
    assert not [b for b in at.button if b.key.startswith(("jobs_cancel", "jobs_retry"))]


def test_filters_narrow_the_list_and_live_in_the_url(screen, people, board, campaign):
    at = screen("jobs", people["admin"], query={"status": "failed"}).run()
    assert at.selectbox(key="jobs_status").value == "failed"
    assert _job_ids(at) == {board["failed"].id}
    at.selectbox(key="jobs_status").set_value("").run()
    at.selectbox(key="jobs_kind").set_value("image").run()
    assert _job_ids(at) == {board["done"].id, board["queued"].id}
    assert at.query_params["kind"] == "image" and "status" not in at.query_params
    at.selectbox(key="jobs_scope").set_value("").run()  # every client's jobs
    assert "scope" not in at.query_params
    at.selectbox(key="jobs_scope").set_value("campaign").run()  # the sidebar's campaign's
    assert at.query_params["scope"] == "campaign" and at.query_params["campaign"] == campaign.id
    assert len(_job_ids(at)) == 2


def test_cancel_then_retry_a_job(screen, people, board, session):
    queued = board["queued"]
    at = screen("jobs", people["creative"]).run()
    assert "jobs_retry_" + board["done"].id not in {b.key for b in at.button}
    at.button(key=f"jobs_cancel_{queued.id}").click().run()
    assert f"Canceled: {queued.id}." in [s.value for s in at.success]
    assert _status(session, queued) == "canceled"
    assert "Canceled by cleo" in _text(at)
    at.button(key=f"jobs_retry_{queued.id}").click().run()  # the queue runs it at once in tests
    assert f"Queued again: {queued.id}." in [s.value for s in at.success]
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
    first = _job_ids(at)
    assert len(first) == 25
    at.button(key="jobs_next").click().run()
    assert len(_job_ids(at)) == 8 and not first & _job_ids(at)
    at.selectbox(key="jobs_status").set_value("queued").run()  # a new filter starts at page 1
    assert _job_ids(at) == {board["queued"].id}
