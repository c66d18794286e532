"""Inbox: what waits on me (storyboards to review, changes asked of mine) and what came back to
me (guests' answers on my share links, replies in my review threads), each linked to where to
act. Opening it marks the news as seen: the count in the navigation drops to the work left."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core.accounts import auth
from core.models import User
from core.storyboards import inbox
from core.storyboards.inbox import Inbox, Item
from ui import nav
from ui.session import db, require
from ui.words import escape_markdown

PAGE = "inbox"
SINCE_KEY = f"{PAGE}_since"  # when the news shown as new starts: the visit's first run
NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # never opened before: every piece of news is new
# (part of Inbox, title, what an empty one says, the permission that makes it yours)
SECTIONS = (
    ("to_review", "Waiting for your review", "Nothing waits for your review.", "review"),
    ("changes_requested", "Changes requested on your storyboards", "No changes asked of you.",
     "storyboard.edit"),
    ("guests", "Guests' answers on your share links", "No answers from guests yet.",
     "share.manage"),
    ("replies", "Replies in your review threads", "No replies yet.", "work.view"),
)  # fmt: skip
ACTIONS = {"review": "Review it", "storyboards": "Open on Storyboards",
           "showcase": "Open the Showcase"}  # fmt: skip


def _read(user: User) -> Inbox:
    # After the rerun that marked the news seen, it is still shown as new, once.
    since = st.session_state.pop(SINCE_KEY, None)
    with db() as session:
        return inbox.inbox(session=session, actor=user, since=since)


def _mark_seen(user: User, box: Inbox) -> None:
    """The news shown is seen: store it, and rerun so the navigation's count drops now (it was
    drawn before this page ran)."""
    with db() as session:
        changed = inbox.mark_seen(session=session, actor=user, upto=box.newest)
    if changed:
        st.session_state[SINCE_KEY] = box.seen_at or NEVER
        st.rerun()


def _item(item: Item) -> None:
    with st.container(border=True):
        said, link = st.columns([4, 1], vertical_alignment="center")
        mark = "🔵 " if item.new else ""
        # A guest's words come from anyone holding a link: shown as written, never as Markdown.
        said.markdown(f"{mark}**{escape_markdown(item.title)}** · {escape_markdown(item.detail)}")
        said.caption(f"{item.at:%Y-%m-%d %H:%M} UTC")
        with link:
            st.page_link(nav.page(item.screen), label=ACTIONS[item.screen],
                         query_params=item.query or None)  # fmt: skip


def _section(items: list[Item], title: str, empty: str) -> None:
    st.subheader(f"{title} ({len(items)})")
    if not items:
        st.caption(empty)
    for item in items:
        _item(item)


def render() -> None:
    user = require("work.view")
    st.title("Inbox")
    box = _read(user)
    _mark_seen(user, box)
    if not box.total and not box.guests and not box.replies:
        st.info("Nothing waits on you, and nothing new came back to you.")
    for name, title, empty, permission in SECTIONS:
        items = getattr(box, name)
        if items or auth.can(user, permission):
            _section(items, title, empty)
