"""A user's inbox: what waits on them, and what came back to them.

Two kinds of item, counted differently:
- work to do (storyboards waiting for my review; my storyboards with changes requested) counts
  for as long as it waits: seeing it does not do it, and it leaves the inbox once done;
- news (guests' answers on my share links; replies in review threads I wrote in) counts until I
  open the inbox. `User.inbox_seen_at` keeps the time of the newest item shown to me then
  (not the clock's time: an answer arriving while the page was drawn stays new).

`counts` is what the navigation shows: a few COUNT queries, no rows loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from core.accounts.auth import can, require
from core.models import (
    Campaign,
    Generation,
    Review,
    ShareEvent,
    ShareLink,
    Storyboard,
    StoryboardStatus,
    User,
)
from core.storyboards import reviews

NEWS_SHOWN = 20  # the newest answers and replies listed; older ones are on their boards
GUEST_WORDS = {"approve": "approved", "changes": "asked for changes"}
ItemKind = Literal["to_review", "changes_requested", "guest", "reply"]


@dataclass(frozen=True)
class Item:
    """One line of the inbox, and the screen (with its query) where to act on it."""

    kind: ItemKind
    at: datetime
    title: str
    detail: str
    screen: str  # review | storyboards | showcase
    query: dict[str, str] = field(default_factory=dict)
    new: bool = False

    @property
    def url(self) -> str:
        return f"/{self.screen}" + (f"?{urlencode(self.query)}" if self.query else "")


@dataclass(frozen=True)
class Inbox:
    to_review: list[Item]
    changes_requested: list[Item]
    guests: list[Item]
    replies: list[Item]
    seen_at: datetime | None  # as stored before this read

    @property
    def total(self) -> int:
        """What the navigation counts: work waiting, and news not seen yet."""
        news = sum(i.new for i in (*self.guests, *self.replies))
        return len(self.to_review) + len(self.changes_requested) + news

    @property
    def newest(self) -> datetime | None:
        """The newest piece of news listed: what opening the inbox marks as seen."""
        return max((i.at for i in (*self.guests, *self.replies)), default=None)


def inbox(*, session: Session, actor: User, since: datetime | None = None) -> Inbox:
    """The actor's inbox; news after `since` (default: when they last opened it) is new."""
    require(actor, "read")
    seen_at = _seen_at(session, actor)
    since = since or seen_at
    return Inbox(
        to_review=_to_review(session, actor, since),
        changes_requested=_changes_requested(session, actor, since),
        guests=_guests(session, actor, since),
        replies=_replies(session, actor, since),
        seen_at=seen_at,
    )


def counts(*, session: Session, actor: User) -> int:
    """The number beside Inbox in the navigation (`Inbox.total`, without loading the items)."""
    require(actor, "read")
    seen_at = _seen_at(session, actor)
    after = [] if seen_at is None else [seen_at]
    found = _count(session, select(func.count()).select_from(ShareEvent).join(ShareLink),
                   _guest_rows(actor, *after))  # fmt: skip
    if can(actor, "review"):
        found += reviews.awaiting_count(session=session, actor=actor)
    if can(actor, "storyboard.edit"):
        found += _count(session, select(func.count(col(Storyboard.id))), _changes(actor))
    if can(actor, "work.view"):
        found += _count(session, select(func.count(col(Review.id))), _replies_to(actor, *after))
    return found


def mark_seen(*, session: Session, actor: User, upto: datetime | None) -> bool:
    """The news up to `upto` (`Inbox.newest`) has been shown: it stops counting. True when that
    changed the count (the page then redraws the navigation)."""
    require(actor, "read")
    user = session.get(User, actor.id)
    if user is None or upto is None or (user.inbox_seen_at and user.inbox_seen_at >= upto):
        return False
    user.inbox_seen_at = upto
    session.add(user)
    session.flush()
    return True


def _seen_at(session: Session, actor: User) -> datetime | None:
    return session.exec(select(User.inbox_seen_at).where(User.id == actor.id)).first()


def _count(session: Session, query: Any, where: list[Any]) -> int:
    return session.exec(query.where(*where)).one()


def _is_new(at: datetime | None, since: datetime | None) -> bool:
    return at is not None and (since is None or at > since)


def _to_review(session: Session, actor: User, since: datetime | None) -> list[Item]:
    if not can(actor, "review"):
        return []
    return [
        Item("to_review", b.submitted_at or b.updated_at, b.title, f"v{b.version} waits for your "
             "review", "review", {"storyboard": b.id}, _is_new(b.submitted_at, since))
        for b in reviews.review_queue(session=session, actor=actor)
    ]  # fmt: skip


def _changes(actor: User) -> list[Any]:
    mine = sa.or_(col(Storyboard.created_by) == actor.id, col(Storyboard.submitted_by) == actor.id)
    return [Storyboard.status == StoryboardStatus.changes_requested, mine]


def _changes_requested(session: Session, actor: User, since: datetime | None) -> list[Item]:
    if not can(actor, "storyboard.edit"):
        return []
    query = (
        select(Storyboard, Campaign.client_id)
        .join(Campaign, col(Campaign.id) == Storyboard.campaign_id)
        .where(*_changes(actor))
        .order_by(col(Storyboard.updated_at).desc())
    )
    return [
        Item("changes_requested", b.updated_at, b.title, f"changes requested on v{b.version}",
             "storyboards", _board_query(b, client_id), _is_new(b.updated_at, since))
        for b, client_id in session.exec(query)
    ]  # fmt: skip


def _board_query(board: Storyboard, client_id: str) -> dict[str, str]:
    # The Storyboards page opens a board within its client and campaign.
    return {"client": client_id, "campaign": board.campaign_id, "storyboard": board.id}


def _guest_rows(actor: User, *after: datetime) -> list[Any]:
    """Guests' answers (a decision, or a comment alone) on links this actor made."""
    return [
        ShareLink.created_by == actor.id,
        col(ShareEvent.kind).in_(("decision", "comment")),
        *(col(ShareEvent.at) > a for a in after),
    ]


def _guests(session: Session, actor: User, since: datetime | None) -> list[Item]:
    query = (
        select(ShareEvent, ShareLink)
        .join(ShareLink, col(ShareLink.id) == ShareEvent.link_id)
        .where(*_guest_rows(actor))
        .order_by(col(ShareEvent.at).desc(), col(ShareEvent.id).desc())
        .limit(NEWS_SHOWN)
    )
    rows = list(session.exec(query))
    boards = _boards_of_links(session, [link for _, link in rows])
    return [_guest_item(event, link, boards.get(link.target_id), since) for event, link in rows]


def _boards_of_links(session: Session, links: list[ShareLink]) -> dict[str, tuple[Storyboard, str]]:
    """target id -> the storyboard a link shows (a final ad's, from its params), and its client."""
    ads = [link.target_id for link in links if link.target_kind == "final_ad"]
    made_for = {
        g.id: str(g.params.get("storyboard_id") or "")
        for g in session.exec(select(Generation).where(col(Generation.id).in_(ads)))
    }
    wanted = {link.target_id: made_for.get(link.target_id, link.target_id) for link in links}
    query = (
        select(Storyboard, Campaign.client_id)
        .join(Campaign, col(Campaign.id) == Storyboard.campaign_id)
        .where(col(Storyboard.id).in_(set(wanted.values())))
    )
    found = {b.id: (b, client_id) for b, client_id in session.exec(query)}
    return {target: found[board] for target, board in wanted.items() if board in found}


def _guest_item(
    event: ShareEvent, link: ShareLink, shown_board: tuple[Storyboard, str] | None,
    since: datetime | None,
) -> Item:  # fmt: skip
    board, client_id = shown_board or (None, "")
    what = GUEST_WORDS.get(event.decision or "", "commented")
    said = f": “{event.comment}”" if event.comment else ""
    # A storyboard's link plays its newest cut, the animatic or the ad: named for the board.
    shown = "final ad" if link.target_kind == "final_ad" else "storyboard"
    title = board.title if board else "a deleted storyboard"
    detail = f"{event.guest_name or 'A guest'} {what} on your link to the {shown}{said}"
    if board is None or link.target_kind == "final_ad":
        return Item("guest", event.at, title, detail, "showcase", {}, _is_new(event.at, since))
    return Item("guest", event.at, title, detail, "storyboards", _board_query(board, client_id),
                _is_new(event.at, since))  # fmt: skip


def _replies_to(actor: User, *after: datetime) -> list[Any]:
    """Replies by others in threads this actor started or wrote in."""
    # Its own alias: a subquery on the table of the outer query would be correlated with it.
    own = aliased(Review)
    started = select(own.id).where(own.reviewer_id == actor.id, col(own.reply_to).is_(None))
    joined = select(own.reply_to).where(own.reviewer_id == actor.id, col(own.reply_to).is_not(None))
    return [
        col(Review.reply_to).is_not(None),
        Review.reviewer_id != actor.id,
        sa.or_(col(Review.reply_to).in_(started), col(Review.reply_to).in_(joined)),
        *(col(Review.created_at) > a for a in after),
    ]


def _replies(session: Session, actor: User, since: datetime | None) -> list[Item]:
    if not can(actor, "work.view"):
        return []
    query = (
        select(Review, Storyboard, Campaign.client_id, _display_name())
        .join(Storyboard, col(Storyboard.id) == Review.storyboard_id)
        .join(Campaign, col(Campaign.id) == Storyboard.campaign_id)
        .join(User, col(User.id) == Review.reviewer_id)
        .where(*_replies_to(actor))
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
        .limit(NEWS_SHOWN)
    )
    return [
        _reply_item(actor, row, board, client_id, who, since)
        for row, board, client_id, who in session.exec(query)
    ]


def _display_name() -> Any:
    return func.coalesce(func.nullif(User.name, ""), User.username)


def _reply_item(
    actor: User, row: Review, board: Storyboard, client_id: str, who: str, since: datetime | None
) -> Item:
    about = f" on “{row.scene_title}”" if row.scene_title else ""
    detail = f"{who} replied{about}: “{row.comment}”"
    new = _is_new(row.created_at, since)
    if _reviewing(actor, board):
        return Item("reply", row.created_at, board.title, detail, "review",
                    {"storyboard": board.id}, new)  # fmt: skip
    return Item("reply", row.created_at, board.title, detail, "storyboards",
                _board_query(board, client_id), new)  # fmt: skip


def _reviewing(actor: User, board: Storyboard) -> bool:
    """Whether the reply is best answered on the Review page (the board waits for this actor)."""
    return (
        can(actor, "review")
        and board.status == StoryboardStatus.in_review
        and board.submitted_by != actor.id
    )
