"""Budgets refuse before anything is queued, counting what is in flight, even under concurrent
requests; draft work is never refused."""

import threading

import pytest
from sqlmodel import Session

from core.campaigns import campaigns
from core.costs.budget import BudgetExceeded
from core.db import get_engine
from core.generation import limits
from tests.utils.factories import count_generations, submit_generation

PAID = "google/nano-banana"  # $0.039 an image


def test_a_request_over_budget_is_refused_with_the_numbers(replicate_on, session, people, campaign):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.1
    )
    session.commit()
    submit_generation(session, people["admin"], campaign, model=PAID)
    submit_generation(session, people["admin"], campaign, model=PAID)  # 0.078 of 0.10 in flight
    with pytest.raises(BudgetExceeded) as refused:
        submit_generation(session, people["admin"], campaign, model=PAID)
    message = str(refused.value)
    assert "budget $0.10" in message and "in flight $0.08" in message
    assert "this request $0.04" in message and "spent $0.00" in message
    assert count_generations() == 2


def test_draft_work_is_never_refused_for_budget(replicate_on, session, people, campaign):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.0
    )
    session.commit()
    submit_generation(session, people["admin"], campaign, model="local/draft-image")
    assert count_generations() == 1


def test_concurrent_requests_cannot_together_overspend(replicate_on, session, people, campaign):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.2
    )  # room for 5 images at $0.039
    session.commit()
    admin_id, outcomes = people["admin"].id, []

    def request():
        with Session(get_engine(), expire_on_commit=False) as own:
            from core.models import User

            try:
                submit_generation(own, own.get(User, admin_id), campaign, model=PAID)
                outcomes.append("ok")
            except BudgetExceeded:
                own.rollback()
                outcomes.append("refused")

    limits.reset()
    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 5 and outcomes.count("refused") == 3
    assert count_generations() == 5
