"""Small factories for tests: users of every role, a branded client and its campaign."""

from __future__ import annotations

from sqlmodel import Session

from core.accounts import users
from core.campaigns import campaigns, clients
from core.models import Campaign, User

PASSWORD = "correct-horse-9"


def make_people(session: Session) -> dict[str, User]:
    admin = users.create_user(
        session=session, actor=None, username="ada", role="admin", password=PASSWORD
    )
    people = {"admin": admin}
    for role, name in (("creative", "cleo"), ("reviewer", "rita"), ("viewer", "vic")):
        people[role] = users.create_user(
            session=session, actor=admin, username=name, role=role, password=PASSWORD
        )
    session.commit()
    return people


def make_campaign(session: Session, actor: User, name: str = "Spring Launch") -> Campaign:
    client = clients.create_client(
        session=session,
        actor=actor,
        name="Acme Drinks",
        guidelines="Bright, optimistic, clean.",
        palette="#FF6B35,#004E89,#F7F7F2",
        negative_prompt="no text artifacts",
    )
    campaign = campaigns.create_campaign(
        session=session, actor=actor, client_id=client.id, name=name, budget_usd=50.0
    )
    session.commit()
    return campaign


def make_storyboard(
    session: Session, creative: User, campaign: Campaign, fields: dict | None = None
):
    """A storyboard made from brief fields (the Spring Launch brief unless given) by `creative`."""
    from core.storyboards import editing as storyboards
    from tests.utils.briefs import SPRING_FIELDS

    made = storyboards.create_from_brief(
        session=session, actor=creative, campaign_id=campaign.id, fields=fields or SPRING_FIELDS
    )
    session.commit()
    return made
