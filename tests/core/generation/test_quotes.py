"""Where a quoted request leaves its budgets, before it is sent: the same figures the submit-time
check refuses or warns on."""

from __future__ import annotations

import pytest

from core.campaigns import clients
from core.errors import PermissionDenied
from core.generation import quotes
from tests.utils.factories import add_generation_rows, generation_row


def _in_flight(campaign, usd: float):
    return generation_row(campaign, None, "video", "bytedance/seedance-1-lite", status="running",
                          estimated_cost_usd=usd)  # fmt: skip


def _after(session, people, campaign, cost: float) -> list[quotes.BudgetAfter]:
    return quotes.budget_after(session=session, actor=people["creative"],
                               campaign_id=campaign.id, cost=cost)  # fmt: skip


def test_a_request_is_counted_with_what_is_spent_and_in_flight(session, people, campaign):
    add_generation_rows(session, [
        _in_flight(campaign, 30.0),
        generation_row(campaign, None, "image", "google/nano-banana", cost_usd=9.0),
    ])  # fmt: skip
    [line] = _after(session, people, campaign, 1.0)  # the client has no budget: left out
    assert (line.owner, line.name, line.budget_usd) == ("campaign", "Spring Launch", 50.0)
    assert line.share == pytest.approx(40 / 50)
    assert line.warned and not line.refused  # 80 %: warned, as the submit check warns


def test_over_a_budget_it_would_be_refused(session, people, campaign):
    add_generation_rows(session, [_in_flight(campaign, 49.99)])
    [line] = _after(session, people, campaign, 0.039)
    assert line.refused and line.share > 1


def test_the_clients_budget_counts_too(session, people, campaign):
    clients.update_client(session=session, actor=people["admin"], client_id=campaign.client_id,
                          budget_usd=0.0)  # fmt: skip
    session.commit()
    by_owner = {line.owner: line for line in _after(session, people, campaign, 0.5)}
    assert not by_owner["campaign"].refused
    assert by_owner["client"].refused and by_owner["client"].name == "Acme Drinks"


def test_free_work_counts_against_no_budget(session, people, campaign):
    add_generation_rows(session, [_in_flight(campaign, 50.0)])  # even a full budget
    assert _after(session, people, campaign, 0.0) == []


def test_only_those_who_generate_get_a_quote(session, people, campaign):
    with pytest.raises(PermissionDenied):
        quotes.budget_after(session=session, actor=people["reviewer"], campaign_id=campaign.id,
                            cost=1.0)  # fmt: skip
