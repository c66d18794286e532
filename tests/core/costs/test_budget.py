"""Budgets refuse before anything is queued, counting what is in flight, even under concurrent
requests; draft work is never refused."""

import threading

import pytest
from sqlmodel import Session, func, select

from core.campaigns import campaigns
from core.costs.budget import BudgetExceeded
from core.db import get_engine
from core.generation import limits
from core.generation import service as gen
from core.models import Generation


def _image(session, actor, campaign, model="google/nano-banana"):
    req = gen.Request("image", "a red kite over the sea", model)
    return gen.submit(session=session, actor=actor, campaign_id=campaign.id, req=req)


def _count() -> int:
    with Session(get_engine()) as s:
        return s.exec(select(func.count()).select_from(Generation)).one()


def test_a_request_over_budget_is_refused_with_the_numbers(replicate_on, session, people, campaign):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.1
    )
    session.commit()
    _image(session, people["admin"], campaign)
    _image(session, people["admin"], campaign)  # 0.078 of 0.10 in flight
    with pytest.raises(BudgetExceeded) as refused:
        _image(session, people["admin"], campaign)
    message = str(refused.value)
    assert "budget $0.10" in message and "in flight $0.08" in message
    assert "this request $0.04" in message and "spent $0.00" in message
    assert _count() == 2


def test_draft_work_is_never_refused_for_budget(replicate_on, session, people, campaign):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.0
    )
    session.commit()
    _image(session, people["admin"], campaign, model="local/draft-image")
    assert _count() == 1


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
                _image(own, own.get(User, admin_id), campaign)
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
    assert _count() == 5
