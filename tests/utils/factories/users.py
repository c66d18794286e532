"""Users: one of every role (`make_people`), or one more (`make_user`)."""

from __future__ import annotations

from sqlmodel import Session

from core.accounts import users
from core.models import User

PASSWORD = "correct-horse-9"


def make_user(session: Session, actor: User | None, username: str, role: str = "creative") -> User:
    """A user added by `actor` (None: the first admin), signing in with PASSWORD."""
    user = users.create_user(
        session=session, actor=actor, username=username, role=role, password=PASSWORD
    )
    session.commit()
    return user


def make_people(session: Session) -> dict[str, User]:
    """ada (admin), cleo (creative), rita (reviewer) and vic (viewer), by role."""
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
