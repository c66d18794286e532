"""Signing in with a password, guarded against guessing: failures slow further tries down per
account and per client (an IP address), and an unknown or deactivated account costs the same
bcrypt work as a real one, so the time taken does not tell which names exist."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from core.accounts import users
from core.accounts.auth import check_password, hash_password
from core.errors import StudioError
from core.models import SignInFailure, User, utcnow

WINDOW = timedelta(minutes=15)  # failures older than this are forgotten
ACCOUNT_FREE_TRIES = 5  # wrong passwords for one account before each next try waits
CLIENT_FREE_TRIES = 20  # for one client, across accounts (someone trying many names)
MAX_WAIT_S = 15 * 60


class TooManyTries(StudioError):
    def __init__(self, wait_s: int):
        self.wait_s = wait_s
        super().__init__(
            f"Too many wrong passwords: wait {wait_s} s before trying again "
            "(or ask an admin to reset the password)."
        )


@lru_cache(maxsize=4)
def _decoy_hash(rounds_key: str) -> str:
    return hash_password("no account has this password")


def _wait_s(failures: list[datetime], free: int, now: datetime) -> int:
    """Seconds before another try: none for the first `free` failures, then 2, 4, 8 ... s after
    the last one, capped."""
    extra = len(failures) - free
    if extra < 0:
        return 0
    until = max(failures) + timedelta(seconds=min(MAX_WAIT_S, 2.0 ** (extra + 1)))
    return max(0, math.ceil((until - now).total_seconds()))


def wait_before_next_try(*, session: Session, username: str, client: str) -> int:
    """Seconds before `client` may try a password for `username` (0: now)."""
    now = utcnow()
    recent = select(SignInFailure).where(col(SignInFailure.at) >= now - WINDOW)
    by_account = [f.at for f in session.exec(recent.where(SignInFailure.username == username))]
    by_client = [f.at for f in session.exec(recent.where(SignInFailure.client == client))]
    return max(
        _wait_s(by_account, ACCOUNT_FREE_TRIES, now), _wait_s(by_client, CLIENT_FREE_TRIES, now)
    )


def sign_in(*, session: Session, username: str, password: str, client: str) -> User | None:
    """The active account these credentials open, else None; TooManyTries while slowed down."""
    username = (username or "").strip().lower()
    wait = wait_before_next_try(session=session, username=username, client=client)
    if wait:
        raise TooManyTries(wait)
    user = users.get_by_username(session=session, username=username) if username else None
    known = user is not None and user.active
    stored = user.password_hash if known and user is not None else _decoy_hash(_rounds())
    if check_password(password or "", stored) and known:
        session.exec(delete(SignInFailure).where(col(SignInFailure.username) == username))
        session.commit()
        return user
    session.add(SignInFailure(username=username[:64], client=client[:64]))
    _forget_old(session)
    session.commit()
    return None


def _rounds() -> str:
    from core.config import get_settings

    return str(get_settings().studio_bcrypt_rounds)


def _forget_old(session: Session) -> None:
    session.execute(sa.delete(SignInFailure).where(col(SignInFailure.at) < utcnow() - WINDOW))
