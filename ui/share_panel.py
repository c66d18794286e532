"""Share links of one final ad or storyboard, for the team: make one, see each link's expiry,
views and what guests answered, revoke it.

A link's URL is shown to its maker once, right after it is made: core keeps only the token's
hash, so it cannot be shown again (make another instead). Guests' names and comments are shown
as table cells, never as Markdown: a guest could type anything.
"""

from __future__ import annotations

import streamlit as st

from core.accounts import auth
from core.models import ShareEvent, User
from core.sharing import links
from ui import flash
from ui.errors import friendly_errors
from ui.session import db

ANSWERS = {"approve": "✅ Approved", "changes": "✏️ Changes requested"}
STATES = {links.ACTIVE: "🟢 Active", links.EXPIRED: "⌛ Expired", links.REVOKED: "⛔ Revoked"}


def share_panel(user: User, target_id: str, *, key: str, expanded: bool = False) -> None:
    """The share links of `target_id` (a final ad's generation id, or a storyboard's id) in an
    expander whose label counts active links and guests' decisions. `key` tells this panel's
    widgets from another's on the same page (one panel per ad on the Showcase). Those who may
    share get "Create share link" and "Revoke"; roles that do not see work in progress (viewers)
    get nothing."""
    if not auth.can(user, "work.view"):
        return
    with db() as session:
        found = links.list_links(session=session, actor=user, target_id=target_id)
    made = st.session_state.get(f"{key}_made")
    with st.expander(label(found), expanded=expanded or made is not None):
        flash.show(key)
        if auth.can(user, "share.manage"):
            _create(user, target_id, key, made)
        if not found:
            st.caption("No share links yet. A link opens without an account, until it expires "
                       "or is revoked; every view and answer shows here.")  # fmt: skip
        for summary in found:
            _link(user, summary, key)


def label(found: list[links.LinkSummary]) -> str:
    """'Share links · 1 active · 2 approved · 1 changes requested'."""
    decisions = [e.decision for s in found for e in s.responses if e.kind == "decision"]
    parts = [f"{sum(s.state == links.ACTIVE for s in found)} active" if found else "none yet"]
    if approved := decisions.count("approve"):
        parts.append(f"{approved} approved")
    if changes := decisions.count("changes"):
        parts.append(f"{changes} changes requested")
    return "Share links · " + " · ".join(parts)


def _create(user: User, target_id: str, key: str, made: str | None) -> None:
    if made:
        st.success("Link made. Copy it now: only a fingerprint of it is kept, so it cannot be "
                   "shown again.", icon="🔗")  # fmt: skip
        st.code(made, language=None, wrap_lines=True)
    days_column, button_column = st.columns([1, 2], vertical_alignment="bottom")
    days = days_column.number_input(
        "Works for (days)", min_value=1, max_value=links.MAX_DAYS, value=links.DEFAULT_DAYS,
        step=1, key=f"{key}_days",
    )  # fmt: skip
    if button_column.button("Create share link", key=f"{key}_create", icon=":material/link:"):
        with friendly_errors():
            with db() as session:
                new = links.create_link(session=session, actor=user, target_id=target_id,
                                        days=int(days))  # fmt: skip
            st.session_state[f"{key}_made"] = new.url  # after the commit: the link exists
            st.rerun()


def _link(user: User, summary: links.LinkSummary, key: str) -> None:
    link = summary.link
    ends = link.revoked_at if summary.state == links.REVOKED else link.expires_at
    verb = {links.ACTIVE: "until", links.EXPIRED: "expired", links.REVOKED: "revoked"}
    seen = f"{summary.views} view{'s' if summary.views != 1 else ''}"
    if summary.last_view_at:
        seen += f", last {summary.last_view_at:%Y-%m-%d %H:%M} UTC"
    by = f" by {summary.created_by}" if summary.created_by else ""
    with st.container(border=True):
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.markdown(f"**{STATES[summary.state]}** {verb[summary.state]} "
                      f"{ends:%Y-%m-%d %H:%M} UTC · made{by} {link.created_at:%Y-%m-%d} · "
                      f"{seen}")  # fmt: skip
        if summary.state == links.ACTIVE and auth.can(user, "share.manage"):
            if button.button("Revoke", key=f"{key}_revoke_{link.id}"):
                _revoke(user, link.id, key)
        if summary.responses:
            st.dataframe([_row(e) for e in summary.responses], hide_index=True)


def _row(event: ShareEvent) -> dict[str, str]:
    return {"Guest": event.guest_name, "Answer": ANSWERS.get(event.decision or "", "💬 Comment"),
            "Comment": event.comment, "When": f"{event.at:%Y-%m-%d %H:%M} UTC"}  # fmt: skip


def _revoke(user: User, link_id: str, key: str) -> None:
    with friendly_errors():
        with db() as session:
            links.revoke_link(session=session, actor=user, link_id=link_id)
        st.session_state.pop(f"{key}_made", None)
        flash.done(key, "Link revoked: it now says so to anyone who opens it, and shows nothing.")
