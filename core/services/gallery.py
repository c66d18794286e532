"""Finding generations: filters, newest first, a page at a time, on indexed columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, func, select

from core.auth import require
from core.models import Generation, User


@dataclass(frozen=True)
class GalleryFilter:
    client_id: str | None = None
    campaign_id: str | None = None
    kind: str | None = None
    status: str | None = None
    model: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    text: str | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[Generation]
    page: int
    per_page: int
    has_next: bool


def _where(query, f: GalleryFilter):
    for column, value in (
        (Generation.client_id, f.client_id),
        (Generation.campaign_id, f.campaign_id),
        (Generation.kind, f.kind),
        (Generation.status, f.status),
        (Generation.model, f.model),
        (Generation.created_by, f.created_by),
    ):
        if value:
            query = query.where(column == value)
    if f.since:
        query = query.where(Generation.created_at >= datetime.combine(f.since, time(), UTC))
    if f.until:
        end = datetime.combine(f.until + timedelta(days=1), time(), UTC)
        query = query.where(Generation.created_at < end)
    if f.text and f.text.strip():
        escaped = f.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Generation.prompt.ilike(f"%{escaped}%", escape="\\"))
    return query


def search(
    *, session: Session, actor: User, filters: GalleryFilter, page: int = 1, per_page: int = 24
) -> Page:
    """One page, newest first. Fetches one extra row to know if there is a next page."""
    require(actor, "read")
    page, per_page = max(1, page), max(1, min(per_page, 200))
    query = _where(select(Generation), filters)
    query = query.order_by(Generation.created_at.desc(), Generation.id.desc())
    rows = list(session.exec(query.offset((page - 1) * per_page).limit(per_page + 1)))
    return Page(rows[:per_page], page, per_page, len(rows) > per_page)


def count(*, session: Session, actor: User, filters: GalleryFilter) -> int:
    require(actor, "read")
    return session.exec(_where(select(func.count()).select_from(Generation), filters)).one()


def children(*, session: Session, actor: User, generation_id: str) -> list[Generation]:
    require(actor, "read")
    query = select(Generation).where(Generation.parent_id == generation_id)
    return list(session.exec(query.order_by(Generation.created_at)))
