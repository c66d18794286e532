"""Spend reports: grouped, estimated against actual, as CSV; each campaign against its budget."""

import pytest

from core.costs import report as costs
from tests.utils.factories import add_generation_rows, generation_row


def test_spend_report_groups_and_csv(session, people, campaign):
    admin = people["admin"]
    add_generation_rows(session, [
        generation_row(campaign, admin, "image", "google/nano-banana",
                       estimated_cost_usd=0.039, cost_usd=0.039),
        generation_row(campaign, admin, "video", "bytedance/seedance-1-lite",
                       estimated_cost_usd=0.18, cost_usd=0.18),
        generation_row(campaign, admin, "audio", "meta/musicgen",
                       estimated_cost_usd=0.0276, cost_usd=0.0161),
    ])  # fmt: skip
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
