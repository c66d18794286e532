"""Core rules the Studio and the Clients page rely on: who may lift a budget, renames, quotes."""

import pytest
from sqlmodel import select

from core.campaigns import campaigns, clients
from core.errors import Conflict, PermissionDenied
from core.generation import service as gen
from core.models import Generation


def test_removing_a_campaign_budget_is_a_raise_only_admins_may_make(session, people, campaign):
    with pytest.raises(PermissionDenied, match="raise budgets"):
        campaigns.update_campaign(
            session=session, actor=people["creative"], campaign_id=campaign.id, budget_usd=None
        )
    session.refresh(campaign)
    assert campaign.budget_usd == 50.0
    lowered = campaigns.update_campaign(
        session=session, actor=people["creative"], campaign_id=campaign.id, budget_usd=20
    )
    assert lowered.budget_usd == 20
    lifted = campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=None
    )
    assert lifted.budget_usd is None


def test_only_admins_raise_a_client_budget(session, people, campaign):
    client_id = campaign.client_id
    clients.update_client(session=session, actor=people["creative"], client_id=client_id,
                          budget_usd=100)  # fmt: skip
    with pytest.raises(PermissionDenied, match="raise budgets"):
        clients.update_client(
            session=session, actor=people["creative"], client_id=client_id, budget_usd=150
        )
    raised = clients.update_client(
        session=session, actor=people["admin"], client_id=client_id, budget_usd=150
    )
    assert raised.budget_usd == 150


def test_renaming_a_campaign_onto_a_sibling_conflicts(session, people, campaign):
    other = campaigns.create_campaign(
        session=session, actor=people["admin"], client_id=campaign.client_id, name="Summer"
    )
    with pytest.raises(Conflict, match="already has a campaign named 'Spring Launch'"):
        campaigns.update_campaign(
            session=session, actor=people["admin"], campaign_id=other.id, name="Spring Launch"
        )
    renamed = campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=other.id, name="Summer Sale"
    )
    assert renamed.name == "Summer Sale"


def test_a_chain_quote_lists_each_step_and_writes_nothing(session, people, campaign):
    rows = gen.plan_chain(
        session=session, actor=people["creative"], campaign_id=campaign.id,
        prompt="waves at dawn", params={"video.duration": 7},
    )  # fmt: skip
    assert [str(r.kind) for r in rows] == ["image", "video", "audio"]
    assert rows[2].params["duration"] == 7
    assert sum(r.estimated_cost_usd for r in rows) == 0.0
    assert session.exec(select(Generation)).all() == []


def test_viewers_get_no_quote(session, people, campaign):
    with pytest.raises(PermissionDenied):
        gen.plan_chain(session=session, actor=people["viewer"], campaign_id=campaign.id, prompt="x")


def test_a_replicate_chain_quote_prices_every_step(session, people, campaign, monkeypatch):
    from core.config import reset_settings

    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_test")
    reset_settings()
    rows = gen.plan_chain(
        session=session, actor=people["creative"], campaign_id=campaign.id, prompt="waves",
        models={"video": "bytedance/seedance-1-lite", "audio": "meta/musicgen"},
        params={"video.duration": 5, "video.resolution": "720p"},
    )  # fmt: skip
    quote = [(r.model, r.estimated_cost_usd) for r in rows]
    assert quote == [
        ("google/nano-banana", 0.039),
        ("bytedance/seedance-1-lite", 0.18),
        ("meta/musicgen", pytest.approx(0.00115 * (8 + 2 * 5))),
    ]
