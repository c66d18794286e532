"""Campaigns of a client: budget, guidelines, and their item count and spend."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from core.accounts.auth import require
from core.campaigns.clients import _check_budget, _check_name, get_client, raises_budget
from core.db import get_or_not_found
from core.errors import Conflict, NotFound, ValidationError
from core.models import Campaign, Client, Generation, User


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    client_name: str
    items: int
    spent_usd: float


def create_campaign(
    *,
    session: Session,
    actor: User,
    client_id: str,
    name: str,
    objective: str = "",
    guidelines: str = "",
    budget_usd: float | None = None,
) -> Campaign:
    require(actor, "campaign.manage")
    client = get_client(session=session, client_id=client_id)
    if client.archived:
        raise Conflict(f"Client '{client.name}' is archived; restore it first.")
    name = _check_name(name)
    clash = select(Campaign).where(Campaign.client_id == client.id, Campaign.name == name)
    if session.exec(clash).first():
        raise Conflict(f"Client '{client.name}' already has a campaign named '{name}'.")
    campaign = Campaign(
        client_id=client.id, name=name, objective=(objective or "").strip(),
        guidelines=(guidelines or "").strip(), budget_usd=_check_budget(budget_usd),
    )  # fmt: skip
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(*, session: Session, actor: User, campaign_id: str, **changes) -> Campaign:
    require(actor, "campaign.manage")
    campaign = get_campaign(session=session, campaign_id=campaign_id)
    if "budget_usd" in changes:
        budget = _check_budget(changes.pop("budget_usd"))
        # Removing a budget (None) lifts the limit altogether: that is a raise too.
        if raises_budget(campaign.budget_usd, budget):
            require(actor, "budget.raise")
        campaign.budget_usd = budget
    if "name" in changes:
        name = _check_name(changes.pop("name"))
        clash = select(Campaign).where(
            Campaign.client_id == campaign.client_id, Campaign.name == name,
            Campaign.id != campaign.id,
        )  # fmt: skip
        if session.exec(clash).first():
            raise Conflict(f"This client already has a campaign named '{name}'.")
        campaign.name = name
    for field in ("objective", "guidelines", "archived"):
        if field in changes:
            setattr(campaign, field, changes.pop(field))
    if changes:
        raise ValidationError({k: f"{k}: not a campaign field" for k in changes})
    session.add(campaign)
    session.flush()
    return campaign


def get_campaign(*, session: Session, campaign_id: str) -> Campaign:
    return get_or_not_found(session, Campaign, campaign_id, "campaign")


def find_campaign(*, session: Session, name: str, client_name: str | None = None) -> Campaign:
    """By name; ids work too. Ambiguous names across clients need the client's name."""
    if name and name.startswith("cmp_") and (found := session.get(Campaign, name)):
        return found
    query = select(Campaign).join(Client).where(Campaign.name == (name or "").strip())
    if client_name:
        query = query.where(Client.name == client_name.strip())
    matches = list(session.exec(query))
    if not matches:
        raise NotFound(f"No campaign named '{name}'.")
    if len(matches) > 1:
        raise ValidationError(
            {"campaign": f"campaign: '{name}' exists for several clients; name the client too"}
        )
    return matches[0]


def list_campaigns(
    *,
    session: Session,
    actor: User,
    client_id: str | None = None,
    include_archived: bool = False,
) -> list[CampaignSummary]:
    require(actor, "read")
    items = func.count(col(Generation.id))
    spent = func.coalesce(func.sum(Generation.cost_usd), 0.0)
    query = (
        select(Campaign, Client.name, items, spent)
        .join(Client, col(Client.id) == Campaign.client_id)
        .outerjoin(Generation, col(Generation.campaign_id) == Campaign.id)
        .group_by(Campaign.id, Client.name)
        .order_by(Client.name, Campaign.name)
    )
    if client_id:
        query = query.where(Campaign.client_id == client_id)
    if not include_archived:
        query = query.where(Campaign.archived == False)  # noqa: E712
    # COALESCE(SUM(..), 0.0) is never NULL, but SQLAlchemy types it as Optional like its column.
    return [CampaignSummary(c, n, int(i), float(s)) for c, n, i, s in session.exec(query)]  # type: ignore[arg-type]
