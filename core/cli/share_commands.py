"""CLI handlers for share links: make one (its URL printed once), list a target's, revoke one."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from core.models import ShareEvent, ShareLink, User
from core.sharing import links


def link_record(link: ShareLink, url: str | None = None) -> dict[str, Any]:
    record = {
        "id": link.id,
        "target_kind": link.target_kind,
        "target_id": link.target_id,
        "state": links.state_of(link),
        "created_at": link.created_at.isoformat(),
        "expires_at": link.expires_at.isoformat(),
        "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None,
    }
    # Only when it is made: the database keeps the token's hash, never the link itself.
    return {"url": url, **record} if url else record


def _response(event: ShareEvent) -> dict[str, Any]:
    return {"kind": event.kind, "guest_name": event.guest_name, "decision": event.decision,
            "comment": event.comment, "at": event.at.isoformat()}  # fmt: skip


def share_create(session: Session, actor: User, args):
    made = links.create_link(session=session, actor=actor, target_id=args.id, days=args.days)
    return link_record(made.link, made.url)


def share_revoke(session: Session, actor: User, args):
    return link_record(links.revoke_link(session=session, actor=actor, link_id=args.link_id))


def share_list(session: Session, actor: User, args):
    found = links.list_links(session=session, actor=actor, target_id=args.id)
    return [{**link_record(s.link), "created_by": s.created_by, "views": s.views,
             "responses": [_response(e) for e in s.responses]} for s in found]  # fmt: skip


COMMANDS = {"share create": share_create, "share revoke": share_revoke, "share list": share_list}
