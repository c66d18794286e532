"""The login cookie: its name and life, the key that signs it, and who a cookie names.

The cookie itself is written by streamlit-authenticator (a JWT, HS256, with `username` and
`exp_date`); it is read here with the same rules so that the UI and plain HTTP routes (media,
uploads) agree on who is signed in.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time

import jwt
from sqlmodel import Session

from core.accounts import users
from core.config import get_settings, private_data_dir
from core.db import get_engine
from core.models import User

COOKIE_NAME = "campaign_studio_auth"
COOKIE_DAYS = 7


def cookie_signing_key() -> str:
    """The key that signs login cookies: from settings/secrets, else made once in the data dir.

    Never the login library's built-in default, which is public.
    """
    configured = get_settings().studio_cookie_key
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    path = get_settings().data_dir / "cookie_key"
    if not path.exists():
        private_data_dir()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".cookie_key.{os.getpid()}")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        # link() is atomic and refuses to replace: two servers starting at once agree on one key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
    return path.read_text().strip()


def cookie_username(token: str | None) -> str | None:
    """The username a login cookie names, if we signed it and it has not expired."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, cookie_signing_key(), algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    try:
        expires = float(claims.get("exp_date", 0))
    except (TypeError, ValueError):
        return None
    if expires < time.time() or not claims.get("username"):
        return None
    return str(claims["username"])


def user_from_cookie(token: str | None) -> User | None:
    """The active user a valid login cookie names."""
    username = cookie_username(token)
    if username is None:
        return None
    with Session(get_engine(), expire_on_commit=False) as session:
        user = users.get_by_username(session=session, username=username)
    return user if user is not None and user.active else None
