"""Finding generations: filters, newest first, a page at a time, on indexed columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from core.accounts.auth import require
from core.models import Generation, User

# The FTS5 trigram table made by migration 0002 (SQLite only); not a model of its own.
DENSE_HITS = 2000
FTS = sa.table("generation_fts", sa.column("rowid"), sa.column("prompt"))


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


def _where(query, f: GalleryFilter, session: Session):
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
        query = query.where(_text_match(f.text.strip(), session))
    return query


def _text_match(text: str, session: Session):
    """Case-insensitive substring match.

    On SQLite a rare word is found through the trigram index (a plain LIKE would scan every
    row to fill a page); a common one by LIKE on the newest-first scan, which fills a page after
    a few rows (materialising thousands of index hits would be the slow part then).
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = col(Generation.prompt).ilike(f"%{escaped}%", escape="\\")
    if session.get_bind().dialect.name != "sqlite" or len(text) < 3:
        return like
    phrase = '"' + text.replace('"', '""') + '"'
    hits = sa.select(FTS.c.rowid).where(sa.text("generation_fts MATCH :phrase"))
    hits = hits.params(phrase=phrase)
    capped = session.execute(sa.select(func.count()).select_from(hits.limit(DENSE_HITS).subquery()))
    if capped.one()[0] >= DENSE_HITS:
        return like
    return sa.literal_column("generation.rowid").in_(hits)


def search(
    *, session: Session, actor: User, filters: GalleryFilter, page: int = 1, per_page: int = 24
) -> Page:
    """One page, newest first. Fetches one extra row to know if there is a next page."""
    require(actor, "read")
    page, per_page = max(1, page), max(1, min(per_page, 200))
    query = _where(select(Generation), filters, session)
    query = query.order_by(col(Generation.created_at).desc(), col(Generation.id).desc())
    rows = list(session.exec(query.offset((page - 1) * per_page).limit(per_page + 1)))
    return Page(rows[:per_page], page, per_page, len(rows) > per_page)


def count(*, session: Session, actor: User, filters: GalleryFilter) -> int:
    require(actor, "read")
    base = select(func.count()).select_from(Generation)
    return session.exec(_where(base, filters, session)).one()


def children(*, session: Session, actor: User, generation_id: str) -> list[Generation]:
    require(actor, "read")
    query = select(Generation).where(Generation.parent_id == generation_id)
    return list(session.exec(query.order_by(col(Generation.created_at))))


def inputs_of(*, session: Session, actor: User, row: Generation) -> list[Generation]:
    """What a final ad was composed of: its clips in order, then its music."""
    require(actor, "read")
    if row.kind != "composite":
        return []
    ids = [
        *row.params.get("clips", []),
        *([row.params["music"]] if row.params.get("music") else []),
    ]
    found = {g.id: g for g in session.exec(select(Generation).where(col(Generation.id).in_(ids)))}
    return [found[i] for i in ids if i in found]


def render_cost(*, session: Session, actor: User, row: Generation) -> float | None:
    """What the whole render a final ad belongs to cost: every step (frames, clips, music), what
    was spent where it is known, else the estimate. None for anything but a final ad. Each step
    keeps its own cost, so campaign totals count it once."""
    require(actor, "read")
    if row.kind != "composite" or not row.chain_id:
        return None
    steps = session.exec(select(Generation).where(Generation.chain_id == row.chain_id))
    return sum(s.cost_usd if s.cost_usd is not None else s.estimated_cost_usd for s in steps)
