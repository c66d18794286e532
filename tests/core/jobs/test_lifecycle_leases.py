"""One message per job in the queue, and claims that tell a dead worker from a busy one: a
reconcile (each worker start, and every 20 s) re-sends only messages that were lost, and a step
that runs longer than its lease keeps it by renewing it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core import jobs
from core.config import reset_settings
from core.db import get_engine
from core.jobs import lifecycle
from core.models import Generation, table_of, utcnow
from core.providers.base import PredictionTaken
from tests.integration.driving import row
from tests.utils.factories import submit_generation

GEN = table_of(Generation)


def _messages() -> int:
    huey, _ = jobs.get_queue()
    return huey.pending_count()


def test_reconciles_do_not_multiply_messages_only_a_lost_one_is_sent_again(
    real_queue, session, people, campaign
):
    made = [submit_generation(session, people["creative"], campaign) for _ in range(5)]
    assert _messages() == 5
    for _ in range(3):  # three workers starting, or a minute of periodic reconciles
        lifecycle.reconcile()
    assert _messages() == 5
    long_ago = utcnow() - lifecycle.MESSAGE_LOST_AFTER - timedelta(seconds=1)
    with get_engine().begin() as conn:  # long overdue, but still in the queue (a backlog)
        conn.execute(sa.update(GEN).values(message_due_at=long_ago))
    assert lifecycle.reconcile() == 0
    huey, _ = jobs.get_queue()
    taken = huey.dequeue()  # a worker took one message and died before it claimed the row
    assert lifecycle.reconcile() == 1  # that one row is sent again
    assert _messages() == 5
    assert taken.args[0] in {m.id for m in made}


def test_a_step_longer_than_its_lease_keeps_it_and_a_dead_ones_lapses(
    real_queue, session, people, campaign, monkeypatch
):
    monkeypatch.setenv("STUDIO_JOB_LEASE_S", "6")
    reset_settings()
    busy = submit_generation(session, people["creative"], campaign)
    token, claimed = lifecycle.claim(busy.id, None)
    first_lease = claimed.lease_until
    with lifecycle.heartbeat(busy.id, token):
        time.sleep(7)  # longer than the lease: renewed every 2 s meanwhile
        assert row(busy.id).lease_until > first_lease
        assert lifecycle.claim(busy.id, None) is None  # nobody else may take it
    time.sleep(6.5)  # no heartbeat now (its worker died): the lease runs out
    assert lifecycle.claim(busy.id, None) is not None  # another worker takes it over


def test_a_prediction_followed_by_one_row_is_never_recorded_on_another(
    real_queue, session, people, campaign
):
    first, second = (submit_generation(session, people["creative"], campaign) for _ in range(2))
    token_1, _ = lifecycle.claim(first.id, None)
    token_2, _ = lifecycle.claim(second.id, None)
    assert lifecycle.record_prediction(first.id, token_1, "pred_abc123") is True
    with pytest.raises(PredictionTaken):  # a lost create's search found the first's
        lifecycle.record_prediction(second.id, token_2, "pred_abc123")
    assert row(second.id).prediction_id is None
    assert lifecycle.record_prediction(first.id, token_1, "pred_abc123") is True  # its own again
    assert lifecycle.record_prediction(second.id, "not-its-token", "pred_xyz") is False
