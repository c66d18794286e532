"""Budgets refuse before anything is queued; rate limits per user and kind; spend reports."""

import threading

import pytest
from sqlmodel import Session, func, select

from core.campaigns import campaigns
from core.config import reset_settings
from core.costs import report as costs
from core.costs.budget import BudgetExceeded
from core.db import get_engine
from core.generation import limits
from core.generation import service as gen
from core.models import Generation


@pytest.fixture
def replicate_on(real_queue, monkeypatch):
    """Replicate models enabled; no consumer runs, so nothing is ever sent anywhere."""
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_test_token")
    reset_settings()
    limits.reset()
    yield
    limits.reset()


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


def test_rate_limits_are_per_user_and_kind_and_say_when_to_retry(
    replicate_on, monkeypatch, session, people, campaign
):
    monkeypatch.setenv("STUDIO_RATE_LIMITS", "image=2/minute;video=1/minute")
    reset_settings()
    limits.reset()
    admin, cleo = people["admin"], people["creative"]
    _image(session, admin, campaign)
    _image(session, admin, campaign)
    with pytest.raises(limits.RateLimited, match=r"Too many image requests .* try again in"):
        _image(session, admin, campaign)
    _image(session, cleo, campaign)  # another user has their own allowance
    _image(session, admin, campaign, model="local/draft-image")  # draft work is not limited
    assert _count() == 4


def test_spend_report_groups_and_csv(session, people, campaign):
    import sqlalchemy as sa

    session.execute(
        sa.insert(Generation),
        [
            {
                "id": f"gen_c{i}",
                "kind": kind,
                "model": model,
                "client_id": campaign.client_id,
                "campaign_id": campaign.id,
                "prompt": "x",
                "effective_prompt": "x",
                "negative_prompt": "",
                "brand_applied": True,
                "params": {},
                "status": "succeeded",
                "estimated_cost_usd": est,
                "cost_usd": cost,
                "created_by": people["admin"].id,
            }
            for i, (kind, model, est, cost) in enumerate(
                [
                    ("image", "google/nano-banana", 0.039, 0.039),
                    ("video", "bytedance/seedance-1-lite", 0.18, 0.18),
                    ("audio", "meta/musicgen", 0.0276, 0.0161),
                ]
            )
        ],
    )
    session.commit()
    by_kind = costs.report(session=session, actor=people["reviewer"], by="kind")
    assert [(r.group, r.items, r.actual_usd) for r in by_kind] == [
        ("audio", 1, 0.0161),
        ("image", 1, 0.039),
        ("video", 1, 0.18),
    ]
    (by_campaign,) = costs.report(session=session, actor=people["admin"], by="campaign")
    assert by_campaign.estimated_usd == pytest.approx(0.2466)
    assert by_campaign.actual_usd == pytest.approx(0.2351)
    text = costs.to_csv(by_kind)
    assert text.splitlines()[0] == "group,items,estimated_usd,actual_usd"
    (line,) = costs.budgets(session=session, actor=people["admin"])
    assert (line.budget_usd, line.spent_usd) == (50.0, pytest.approx(0.2351))
