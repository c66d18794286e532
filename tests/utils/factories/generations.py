"""Generations: requested through the service (validated, priced, queued; the unit-test queue
runs them at once), or written as rows by hand for tests that only read them."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from core.db import get_engine
from core.generation import service as gen
from core.models import Campaign, Generation, User

PROMPT = "a can of soda on a sunny beach"
DRAFT_MODELS = {"image": "local/draft-image", "video": "local/draft-video",
                "audio": "local/draft-music"}  # fmt: skip


def submit_generation(
    session: Session,
    actor: User,
    campaign: Campaign,
    kind: str = "image",
    prompt: str = PROMPT,
    model: str | None = None,
    *,
    refresh: bool = False,
    **request: Any,
) -> Generation:
    """`actor`'s request in `campaign` (`request`: params, source_id, source_frame_s,
    apply_brand), as the Studio makes it; the model is the kind's draft model unless given.
    `refresh`: the row read back, as the queue left it."""
    req = gen.Request(kind, prompt, model, **request)
    row = gen.submit(session=session, actor=actor, campaign_id=campaign.id, req=req)
    if refresh:
        session.refresh(row)
    return row


def generation_row(
    campaign: Campaign,
    user: User | None,
    kind: str = "image",
    model: str | None = None,
    *,
    status: str = "succeeded",
    prompt: str = "p",
    **fields: Any,
) -> Generation:
    """A row as if `user` (None: nobody known) had made it, not saved: no service, no queue, no
    file. Any other column in `fields` (id, created_at, estimated_cost_usd, cost_usd...)."""
    return Generation(
        kind=kind, model=model or DRAFT_MODELS[kind], client_id=campaign.client_id,
        campaign_id=campaign.id, prompt=prompt, status=status,
        created_by=user.id if user else None, **fields,
    )  # fmt: skip


def add_generation_rows(session: Session, rows: list[Generation]) -> list[Generation]:
    """Rows from `generation_row`, saved."""
    session.add_all(rows)
    session.commit()
    return rows


def count_generations() -> int:
    """How many generation rows there are, read in a session of its own."""
    with Session(get_engine()) as s:
        return s.exec(select(func.count()).select_from(Generation)).one()
