"""The team's side of share links: make one (its URL shown once), list a target's links with
what guests did on them, revoke one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from core.accounts.auth import require
from core.config import get_settings
from core.db import get_or_not_found
from core.errors import Conflict, NotFound, ValidationError
from core.models import ShareEvent, ShareLink, User, utcnow
from core.sharing import targets, tokens

DEFAULT_DAYS = 7
MAX_DAYS = 90
PATH = "/share/"
ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"
NOTHING_TO_PLAY = {
    targets.FINAL_AD: "This final ad has not finished rendering: share it once it has.",
    targets.STORYBOARD: "This storyboard has no animatic or finished ad to show yet: make one "
    "first, then share it.",
}


@dataclass(frozen=True)
class NewLink:
    link: ShareLink
    url: str  # carries the token: only its hash is kept, so this is the one time it is known


@dataclass(frozen=True)
class LinkSummary:
    """A link as the team sees it: its state and what guests did on it."""

    link: ShareLink
    state: str  # active | expired | revoked
    created_by: str  # a username, or "" when unknown
    views: int = 0
    last_view_at: datetime | None = None
    # Decisions and comments, newest first.
    responses: list[ShareEvent] = field(default_factory=list)


def state_of(link: ShareLink, now: datetime | None = None) -> str:
    if link.revoked_at is not None:
        return REVOKED
    return EXPIRED if link.expires_at <= (now or utcnow()) else ACTIVE


def url_for(url_token: str) -> str:
    return get_settings().studio_public_url.rstrip("/") + PATH + url_token


def create_link(
    *, session: Session, actor: User, target_id: str, days: int = DEFAULT_DAYS
) -> NewLink:
    """A link to a final ad (a composite generation's id) or a storyboard (its id), good for
    `days` days unless revoked sooner."""
    require(actor, "share.manage")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"days: a link lasts 1 to {MAX_DAYS} days, not {days}"})
    # First: the signing key may be written on its first use, from a connection of its own,
    # which must not wait on a write this session has begun (SQLite has one writer).
    url_token, hashed = tokens.new_token()
    kind = targets.kind_of(session, target_id)
    if kind is None:
        raise NotFound(f"No final ad or storyboard with id {target_id}.")
    if targets.video_of(session, kind, target_id) is None:
        raise Conflict(NOTHING_TO_PLAY[kind])
    link = ShareLink(token_hash=hashed, target_kind=kind, target_id=target_id,
                     created_by=actor.id, expires_at=utcnow() + timedelta(days=days))  # fmt: skip
    session.add(link)
    session.flush()
    return NewLink(link, url_for(url_token))


def revoke_link(*, session: Session, actor: User, link_id: str) -> ShareLink:
    """Close a link at once. Anyone who may share may revoke any link, not only their own:
    revoking only ever takes access away, and whoever sees a link gone too far should be able
    to stop it. Revoking a revoked link changes nothing."""
    require(actor, "share.manage")
    link = get_or_not_found(session, ShareLink, link_id, "share link")
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = utcnow(), actor.id
        session.add(link)
        session.flush()
    return link


def list_links(*, session: Session, actor: User, target_id: str) -> list[LinkSummary]:
    """Every link made for a target, newest first, with views and guests' responses."""
    require(actor, "work.view")
    query = select(ShareLink).where(ShareLink.target_id == target_id)
    links = list(session.exec(query.order_by(col(ShareLink.created_at).desc())))
    if not links:
        return []
    by_link: dict[str, list[ShareEvent]] = {link.id: [] for link in links}
    found = select(ShareEvent).where(col(ShareEvent.link_id).in_(list(by_link)))
    for event in session.exec(found.order_by(col(ShareEvent.at).desc(), col(ShareEvent.id).desc())):
        by_link[event.link_id].append(event)
    now = utcnow()
    return [_summary(session, link, by_link[link.id], now) for link in links]


def _summary(session: Session, link: ShareLink, events: list[ShareEvent], now) -> LinkSummary:
    views = [e for e in events if e.kind == "view"]
    creator = session.get(User, link.created_by) if link.created_by else None
    return LinkSummary(
        link=link, state=state_of(link, now), created_by=creator.username if creator else "",
        views=len(views), last_view_at=views[0].at if views else None,
        responses=[e for e in events if e.kind != "view"],
    )  # fmt: skip


def events(*, session: Session, actor: User, link_id: str) -> list[ShareEvent]:
    """What guests did on a link, oldest first: each view, decision and comment."""
    require(actor, "work.view")
    get_or_not_found(session, ShareLink, link_id, "share link")
    query = select(ShareEvent).where(ShareEvent.link_id == link_id)
    return list(session.exec(query.order_by(col(ShareEvent.at), col(ShareEvent.id))))
