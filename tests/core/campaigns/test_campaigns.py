"""Campaigns: found by name, summarised, renamed within a client; who may raise or lift a budget."""

import pytest

from core.campaigns import campaigns
from core.errors import Conflict, PermissionDenied


def test_campaign_lookup_by_name_and_summary(session, people, campaign):
    found = campaigns.find_campaign(session=session, name="Spring Launch")
    assert found.id == campaign.id
    summary = campaigns.list_campaigns(session=session, actor=people["viewer"])
    assert [(s.campaign.name, s.client_name, s.items, s.spent_usd) for s in summary] == [
        ("Spring Launch", "Acme Drinks", 0, 0.0)
    ]


def test_only_admins_raise_a_budget(session, people, campaign):
    with pytest.raises(PermissionDenied, match="raise budgets"):
        campaigns.update_campaign(
            session=session, actor=people["creative"], campaign_id=campaign.id, budget_usd=500
        )
    updated = campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=500
    )
    assert updated.budget_usd == 500


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
