"""A budget refusal happens before Replicate hears of the request (seen from the fake's side)."""

import pytest

from core.campaigns import campaigns
from core.costs.budget import BudgetExceeded
from tests.integration.driving import drive, submit_image


def test_over_budget_nothing_reaches_replicate_and_spend_stops_at_the_budget(
    replicate_env, session, people, campaign
):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.05
    )
    session.commit()
    first = submit_image(session, people, campaign)
    (done,) = drive(first.id)
    assert done.status == "succeeded" and done.cost_usd == pytest.approx(0.039)
    assert replicate_env.create_calls == 1

    with pytest.raises(BudgetExceeded) as refused:
        submit_image(session, people, campaign)
    assert "budget $0.05" in str(refused.value) and "spent $0.04" in str(refused.value)
    assert replicate_env.create_calls == 1  # the refused request was never sent
