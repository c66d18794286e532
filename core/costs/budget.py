"""Budgets: a request that would take its campaign (or client) over budget is refused before
anything is queued or sent, counting what is already spent and what is still in flight.

The check runs after taking the database's write lock (a no-op UPDATE of the campaign row), so
two requests checked at the same moment are checked one after the other, never both on the
same old total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from core.db import lock_row
from core.errors import StudioError
from core.models import OPEN_STATUSES, Campaign, Client, Generation, table_of

WARN_AT = 0.8


class BudgetExceeded(StudioError):
    pass


@dataclass(frozen=True)
class Spend:
    budget_usd: float | None
    spent_usd: float
    in_flight_usd: float

    @property
    def committed_usd(self) -> float:
        return self.spent_usd + self.in_flight_usd

    def share_after(self, extra: float) -> float | None:
        if not self.budget_usd:
            return None
        return (self.committed_usd + extra) / self.budget_usd


def spend(session: Session, column, owner_id: str, budget: float | None) -> Spend:
    open_estimate = sa.case(
        (col(Generation.status).in_(OPEN_STATUSES), Generation.estimated_cost_usd), else_=0.0
    )
    spent, in_flight = session.exec(
        select(func.coalesce(func.sum(col(Generation.cost_usd)), 0.0),
               func.coalesce(func.sum(open_estimate), 0.0)).where(column == owner_id)
    ).one()  # fmt: skip
    # COALESCE(SUM(..), 0.0) is never NULL, but SQLAlchemy types it as Optional like its column.
    return Spend(budget, float(spent), float(in_flight))  # type: ignore[arg-type]


# Names and budgets of a campaign and its client, read in one statement (built once) under the
# lock: no ORM objects are needed to check a request.
_CAMPAIGN, _CLIENT = table_of(Campaign), table_of(Client)
_BUDGETS = (
    sa.select(_CAMPAIGN.c.name, _CAMPAIGN.c.budget_usd, _CLIENT.c.id, _CLIENT.c.name,
              _CLIENT.c.budget_usd)
    .join(_CLIENT, _CLIENT.c.id == _CAMPAIGN.c.client_id)
    .where(_CAMPAIGN.c.id == sa.bindparam("campaign_id"))
)  # fmt: skip


def _refuse(label: str, s: Spend, budget: float, cost: float) -> None:
    raise BudgetExceeded(
        f"Over the {label} budget: budget ${budget:,.2f}, spent ${s.spent_usd:,.2f}, "
        f"in flight ${s.in_flight_usd:,.2f}, this request ${cost:,.2f} "
        f"(${s.committed_usd + cost - budget:,.2f} too much). Ask an admin to raise it."
    )


def check(session: Session, campaign_id: str, cost: float) -> str | None:
    """Refuse a request costing `cost` if it breaks a budget; returns a warning near the limit."""
    if cost <= 0:
        return None  # draft work is free and never refused for budget
    lock_row(session, _CAMPAIGN.c.budget_usd, campaign_id)
    row = session.execute(_BUDGETS, {"campaign_id": campaign_id}).one()
    # Typed by hand: mypy unpacks an untyped Row as `object`.
    campaign_name, campaign_budget, client_id, client_name, client_budget = cast(
        tuple[str, float | None, str, str, float | None], row
    )
    warnings = []
    for label, column, owner, budget in (
        (f"campaign '{campaign_name}'", Generation.campaign_id, campaign_id, campaign_budget),
        (f"client '{client_name}'", Generation.client_id, client_id, client_budget),
    ):
        if budget is None:
            continue
        current = spend(session, column, owner, budget)
        if current.committed_usd + cost > budget + 1e-9:
            _refuse(label, current, budget, cost)
        share = current.share_after(cost)
        if share is not None and share >= WARN_AT:
            warnings.append(f"The {label} is at {share:.0%} of its ${budget:,.2f} budget.")
    return " ".join(warnings) or None
