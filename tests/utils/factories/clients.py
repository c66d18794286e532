"""Clients: the branded Acme Drinks most tests work for, or any other."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from core.campaigns import clients
from core.models import Client, User

ACME_DRINKS = {
    "name": "Acme Drinks",
    "guidelines": "Bright, optimistic, clean.",
    "palette": "#FF6B35,#004E89,#F7F7F2",
    "negative_prompt": "no text artifacts",
}


def make_client(session: Session, actor: User, name: str, **fields: Any) -> Client:
    """A client named `name` (no brand unless given: guidelines, palette, budget_usd...)."""
    client = clients.create_client(session=session, actor=actor, name=name, **fields)
    session.commit()
    return client


def make_acme(session: Session, actor: User) -> Client:
    """Acme Drinks, with its brand guidelines, palette and negative prompt."""
    return make_client(session, actor, **ACME_DRINKS)
