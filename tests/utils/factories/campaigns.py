"""Campaigns: Spring Launch ($50) of a new Acme Drinks, or another of a given client."""

from __future__ import annotations

from sqlmodel import Session

from core.campaigns import campaigns
from core.models import Campaign, User
from tests.utils.factories.clients import make_acme


def make_campaign(
    session: Session,
    actor: User,
    name: str = "Spring Launch",
    *,
    client_id: str | None = None,
    budget_usd: float | None = 50.0,
) -> Campaign:
    """A campaign of `client_id`, else of a new branded client (Acme Drinks)."""
    if client_id is None:
        client_id = make_acme(session, actor).id
    campaign = campaigns.create_campaign(
        session=session, actor=actor, client_id=client_id, name=name, budget_usd=budget_usd
    )
    session.commit()
    return campaign
