"""One submission, one set of jobs: a request carries a key from its form submission (or the
CLI's `--idempotency-key`); a repeat of the key within `REPEAT_WINDOW` returns the rows the first
made instead of making (and paying for) more. A double click is two requests with one key."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.db import lock_row
from core.errors import StudioError, ValidationError
from core.models import Generation, Submission, User, table_of, utcnow

REPEAT_WINDOW = timedelta(minutes=10)
MAX_KEY = 80


class AlreadySubmitted(StudioError):
    """The key was used moments ago: `rows` are what that first submission made."""

    def __init__(self, rows: list[Generation]):
        self.rows = rows
        super().__init__("This request was already submitted; showing the jobs it made.")


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise ValidationError({"idempotency_key": f"idempotency key: 1 to {MAX_KEY} characters"})
    return key


def earlier_rows(session: Session, user_id: str, key: str) -> list[Generation]:
    """The rows a submission of `key` by this user made within the window, oldest first."""
    since = utcnow() - REPEAT_WINDOW
    made = session.exec(
        select(Submission).where(
            Submission.user_id == user_id,
            Submission.key == key,
            col(Submission.created_at) >= since,
        )
    ).first()
    if made is None:
        return []
    query = select(Generation).where(
        Generation.created_by == user_id, Generation.submission_key == key
    )
    return list(session.exec(query.order_by(col(Generation.created_at), col(Generation.id))))


def take_turn(session: Session, user_id: str) -> None:
    """The user's submissions are decided one after the other (a lock on their row): the second
    of a double click sees the first's rows."""
    lock_row(session, table_of(User).c.username, user_id)


def record(session: Session, user_id: str, key: str) -> None:
    """Note the submission in the request's transaction; a repeat committing at the same moment
    then fails on the key (the primary key), not with a second set of rows."""
    table = table_of(Submission)
    session.execute(sa.delete(table).where(
        table.c.user_id == user_id, table.c.created_at < utcnow() - REPEAT_WINDOW))  # fmt: skip
    session.add(Submission(user_id=user_id, key=key))
