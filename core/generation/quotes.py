"""Where a quoted request leaves the budgets it is counted against, said before it is sent.

The same figures `costs.budget.check` refuses or warns on when the request is submitted (spent
plus in flight, this request added), read without its lock: a quote is advice, the check at
submit time is the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from core.accounts.auth import require
from core.campaigns.campaigns import get_campaign
from core.campaigns.clients import get_client
from core.costs import budget
from core.models import Generation, User


@dataclass(frozen=True)
class BudgetAfter:
    """One budget, with the request counted in."""

    owner: str  # "campaign" or "client"
    name: str
    budget_usd: float
    committed_usd: float  # spent and in flight before the request
    cost_usd: float

    @property
    def share(self) -> float:
        """Of the budget, after the request; a $0 budget is used up by any cost."""
        after = self.committed_usd + self.cost_usd
        if self.budget_usd == 0:
            return float("inf") if after > 0 else 1.0
        return after / self.budget_usd

    @property
    def refused(self) -> bool:
        return self.committed_usd + self.cost_usd > self.budget_usd + 1e-9

    @property
    def warned(self) -> bool:
        return self.share >= budget.WARN_AT


def budget_after(
    *, session: Session, actor: User, campaign_id: str, cost: float
) -> list[BudgetAfter]:
    """The campaign's budget, then its client's, each with `cost` added; a budget not set is
    left out (so is everything for free work, which no budget counts)."""
    require(actor, "generate")
    if cost <= 0:
        return []
    campaign = get_campaign(session=session, campaign_id=campaign_id)
    client = get_client(session=session, client_id=campaign.client_id)
    outlook = []
    for owner, name, column, owner_id, limit in (
        ("campaign", campaign.name, Generation.campaign_id, campaign.id, campaign.budget_usd),
        ("client", client.name, Generation.client_id, client.id, client.budget_usd),
    ):
        if limit is None:
            continue
        spend = budget.spend(session, column, owner_id, limit)
        outlook.append(BudgetAfter(owner, name, limit, spend.committed_usd, cost))
    return outlook
