"""The guest's side of a share link: what a token opens, and a guest's view, decision or
comment recorded for the team. No account: the token is the only key, and it opens one
target's page, video and poster, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from core.errors import StudioError, ValidationError
from core.models import ShareEvent, ShareLink, utcnow
from core.sharing import links, targets, tokens

UNKNOWN, GONE = "unknown", "gone"  # besides links.ACTIVE, EXPIRED and REVOKED
NAME_CHARS = 80
COMMENT_CHARS = 2000
# A reload within this long by the same guest is the same view, not another one.
SAME_VIEW = timedelta(minutes=1)
# Responses one guest may send on a link per window, and all guests together per hour: enough
# for a person changing their mind, not for a script filling the team's list.
PER_GUEST, GUEST_WINDOW = 10, timedelta(minutes=10)
PER_LINK_HOUR = 120
DECISIONS = {"approve": "decision", "changes": "decision", "comment": "comment"}


class TooMany(StudioError):
    """A guest sent more responses than a person would."""


@dataclass(frozen=True)
class Opened:
    state: str  # active | expired | revoked | gone | unknown
    link: ShareLink | None = None
    shown: targets.Shown | None = None


def open_link(session: Session, url_token: str) -> Opened:
    """What `url_token` opens. Only an active link whose target still exists shows anything."""
    hashed = tokens.verified_hash(url_token)
    if hashed is None:
        return Opened(UNKNOWN)
    link = session.exec(select(ShareLink).where(ShareLink.token_hash == hashed)).first()
    if link is None:
        return Opened(UNKNOWN)
    state = links.state_of(link)
    if state != links.ACTIVE:
        return Opened(state, link)
    shown = targets.shown(session, link.target_kind, link.target_id)
    return Opened(GONE, link) if shown is None else Opened(state, link, shown)


def record_view(session: Session, link: ShareLink, client: str) -> bool:
    """Note that a guest opened the link; False for a reload of the same view."""
    since = utcnow() - SAME_VIEW
    recent = select(ShareEvent.id).where(
        ShareEvent.link_id == link.id, ShareEvent.kind == "view",
        ShareEvent.client_hash == client, col(ShareEvent.at) > since,
    )  # fmt: skip
    if session.exec(recent).first() is not None:
        return False
    session.add(ShareEvent(link_id=link.id, kind="view", client_hash=client))
    session.flush()
    return True


def respond(
    session: Session, link: ShareLink, client: str, *, name: str, decision: str, comment: str
) -> ShareEvent:
    """A guest's approval, request for changes, or comment alone, under the name they gave."""
    name, comment = " ".join(name.split()), comment.strip()
    _check(name, decision, comment)
    _within_limits(session, link, client)
    event = ShareEvent(link_id=link.id, kind=DECISIONS[decision], guest_name=name,
                       decision=None if decision == "comment" else decision, comment=comment,
                       client_hash=client)  # fmt: skip
    session.add(event)
    session.flush()
    return event


def _check(name: str, decision: str, comment: str) -> None:
    problems = {}
    if decision not in DECISIONS:
        problems["decision"] = "Choose Approve, Request changes or Send comment."
    if not name:
        problems["name"] = "Give your name, so the team knows who answered."
    elif len(name) > NAME_CHARS:
        problems["name"] = f"Your name is longer than {NAME_CHARS} characters."
    if len(comment) > COMMENT_CHARS:
        problems["comment"] = f"The comment is longer than {COMMENT_CHARS} characters."
    elif not comment and decision in ("changes", "comment"):
        problems["comment"] = "Say what you would change, so the team can act on it."
    if problems:
        raise ValidationError(problems)


def _within_limits(session: Session, link: ShareLink, client: str) -> None:
    def sent_since(since: datetime, *where) -> int:
        query = select(func.count()).select_from(ShareEvent).where(
            ShareEvent.link_id == link.id, ShareEvent.kind != "view", col(ShareEvent.at) > since,
            *where,
        )  # fmt: skip
        return session.exec(query).one()

    now = utcnow()
    if sent_since(now - GUEST_WINDOW, ShareEvent.client_hash == client) >= PER_GUEST:
        raise TooMany("You have sent a lot of answers in a short time: wait a few minutes.")
    if sent_since(now - timedelta(hours=1)) >= PER_LINK_HOUR:
        raise TooMany("This link has had too many answers this hour: try again later.")
