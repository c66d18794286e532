"""Spend reports: grouped, estimated against actual, as CSV; each campaign against its budget."""

import pytest

from core.costs import report as costs
from core.models import Generation


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
