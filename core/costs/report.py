"""Spend reports: estimated against actual, grouped by day, week, client, campaign, model, kind
or user, and each campaign's spend against its budget."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session, col, func, select

from core.accounts.auth import require
from core.costs.budget import spend
from core.errors import NotFound, ValidationError
from core.models import Campaign, Client, Generation, User

GROUPS = ("day", "week", "campaign", "client", "model", "kind", "user")


@dataclass(frozen=True)
class CostRow:
    group: str
    items: int
    estimated_usd: float
    actual_usd: float


DAY_FORMAT = ("%Y-%m-%d", "YYYY-MM-DD")  # (SQLite strftime, PostgreSQL to_char)


def _group_column(by: str, dialect: str):
    if by in ("day", "week"):  # weeks are folded from days (SQLite has no ISO week)
        lite, pg = DAY_FORMAT
        if dialect == "sqlite":
            return func.strftime(lite, Generation.created_at)
        return func.to_char(Generation.created_at, pg)
    if by == "campaign":  # names repeat across clients: the client names it
        return Client.name + " · " + Campaign.name
    if by == "client":
        return Client.name
    if by == "user":
        return func.coalesce(User.username, "(unknown)")
    return {"model": Generation.model, "kind": Generation.kind}[by]


def report(
    *,
    session: Session,
    actor: User,
    by: str = "campaign",
    campaign_id: str | None = None,
    since: date | None = None,
) -> list[CostRow]:
    require(actor, "costs.view")
    if by not in GROUPS:
        raise ValidationError({"by": f"by: allowed: {', '.join(GROUPS)}"})
    key = _group_column(by, session.get_bind().dialect.name).label("grp")
    query = (
        select(key, func.count(col(Generation.id)), func.sum(Generation.estimated_cost_usd),
               func.sum(func.coalesce(Generation.cost_usd, 0.0)))
        .join(Campaign, col(Campaign.id) == Generation.campaign_id)
        .join(Client, col(Client.id) == Generation.client_id)
        .outerjoin(User, col(User.id) == Generation.created_by)
        .group_by(key, *_identity(by)).order_by(key)
    )  # fmt: skip
    if campaign_id:
        query = query.where(Generation.campaign_id == campaign_id)
    if since:
        query = query.where(Generation.created_at >= datetime.combine(since, time(), UTC))
    rows = [CostRow(str(g), int(n), round(e or 0, 6), round(a or 0, 6))
            for g, n, e, a in session.exec(query)]  # fmt: skip
    return _iso_weeks(rows) if by == "week" else rows


def _identity(by: str) -> tuple:
    """Two clients (or two clients' campaigns) of the same name stay two rows."""
    return {"campaign": (Campaign.id,), "client": (Client.id,)}.get(by, ())


def _iso_weeks(days: list[CostRow]) -> list[CostRow]:
    """Day rows folded into ISO weeks ("2026-W48": weeks start on Monday, the first one holds
    the year's first Thursday)."""
    weeks: dict[str, list[CostRow]] = {}
    for row in days:
        year, week, _ = date.fromisoformat(row.group).isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", []).append(row)
    return [CostRow(label, sum(r.items for r in rows),
                    round(sum(r.estimated_usd for r in rows), 6),
                    round(sum(r.actual_usd for r in rows), 6))
            for label, rows in sorted(weeks.items())]  # fmt: skip


def to_csv(rows: list[CostRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["group", "items", "estimated_usd", "actual_usd"])
    writer.writeheader()
    writer.writerows(asdict(r) for r in rows)
    return out.getvalue()


@dataclass(frozen=True)
class BudgetLine:
    campaign: str
    client: str
    budget_usd: float | None
    spent_usd: float
    in_flight_usd: float


def campaign_budget(*, session: Session, actor: User, campaign_id: str) -> BudgetLine:
    """One campaign's spend against its budget: what the workspace keeps in view beside it."""
    require(actor, "costs.view")
    row = session.exec(
        select(Campaign, Client.name).join(Client).where(Campaign.id == campaign_id)
    ).first()
    if row is None:
        raise NotFound(f"No campaign '{campaign_id}'.")
    campaign, client_name = row
    s = spend(session, Generation.campaign_id, campaign.id, campaign.budget_usd)
    return BudgetLine(campaign.name, client_name, campaign.budget_usd, s.spent_usd,
                      s.in_flight_usd)  # fmt: skip


def budgets(*, session: Session, actor: User) -> list[BudgetLine]:
    require(actor, "costs.view")
    query = select(Campaign, Client.name).join(Client).order_by(Client.name, Campaign.name)
    lines = []
    for campaign, client_name in session.exec(query):
        s = spend(session, Generation.campaign_id, campaign.id, campaign.budget_usd)
        lines.append(BudgetLine(campaign.name, client_name, campaign.budget_usd, s.spent_usd,
                                s.in_flight_usd))  # fmt: skip
    return lines
