"""Who is signed in, and the database session a page hands to core services."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlmodel import Session

from core.accounts import auth, users
from core.db import session_scope
from core.models import User

USER_KEY = "studio_user_id"
SUBMISSION_NONCE_KEY = "studio_submission_nonce"
SIGNED_IN_AT_KEY = "studio_signed_in_at"


@contextmanager
def db() -> Iterator[Session]:
    """One unit of work; objects stay readable after it closes (expire_on_commit=False)."""
    with session_scope() as session:
        yield session


def sign_in(user: User, at: float | None = None) -> None:
    """`at`: when the sign-in happened (a returning visitor's cookie was issued earlier)."""
    st.session_state[USER_KEY] = user.id
    st.session_state[SIGNED_IN_AT_KEY] = time.time() if at is None else at


def sign_out() -> None:
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(SIGNED_IN_AT_KEY, None)


# A click is acted on in the run right after it; one noted in a run that never drew its button
# (the form refused early) is stale after this long and never fires on a later visit.
CLICK_FRESH_S = 5.0


def _mark_in_flight(flag: str) -> None:
    st.session_state[flag] = time.monotonic()


@contextmanager
def request_button(label: str, *, key: str, where=None, disabled: bool = False,
                   **kwargs: Any) -> Iterator[bool]:  # fmt: skip
    """A button that shows disabled while the request it sent is being made; yields whether
    it was clicked (do the work inside the `with`).

    Its click is noted by a callback, before the run, so this run draws it greyed out before the
    work starts, and draws it again, live, once the work is done (or failed). A click that still
    gets through repeats the same submission key, which core answers with the first's jobs."""
    flag = f"{key}_in_flight"
    slot = (where or st).empty()
    noted = st.session_state.pop(flag, None)
    clicked = isinstance(noted, float) and time.monotonic() - noted < CLICK_FRESH_S and not disabled
    if clicked:
        slot.button(label, key=f"{key}_busy", disabled=True, **kwargs)
    try:
        yield clicked
    finally:
        slot.button(label, key=key, disabled=disabled, on_click=_mark_in_flight, args=(flag,),
                    **kwargs)  # fmt: skip


def submission_key(*request: object) -> str:
    """The key a request carries to core: the same for a double click (or a rerun that repeats
    it) of the same request in this browser session, so its jobs are made once; anything
    changed in it is a new request."""
    nonce = st.session_state.setdefault(SUBMISSION_NONCE_KEY, secrets.token_hex(8))
    return f"{nonce}:{hashlib.sha256(repr(request).encode()).hexdigest()[:32]}"


def current_user() -> User | None:
    """The signed-in user, re-read each run so a deactivation, role change, password reset or a
    sign-out elsewhere applies at once."""
    user_id = st.session_state.get(USER_KEY)
    if not user_id:
        return None
    with db() as session:
        user = session.get(User, user_id)
    signed_in_at = st.session_state.get(SIGNED_IN_AT_KEY, 0.0)
    if user is None or not user.active or user.signed_in_before_end_of_sessions(signed_in_at):
        sign_out()
        return None
    return user


def require(permission: str) -> User:
    """The signed-in user if their role allows `permission`; otherwise say why and stop the page.

    Navigation already hides what a role cannot use; this guards a page reached some other way.
    """
    user = current_user()
    if not auth.can(user, permission):
        st.error(
            "Sign in first." if user is None
            else f"Your role ({user.role}) cannot {auth.ACTIONS[permission]}."
        )  # fmt: skip
        st.stop()
    return user


def display_names() -> dict[str, str]:
    """user id -> name, for showing who made what."""
    with db() as session:
        return {u.id: u.name or u.username for u in users.all_users(session=session)}


def kept_choice(widget, label: str, options: list, *, key: str, fallback, **kwargs):
    """`widget` (a selectbox or radio, of st or a container) over `options`, its value kept in
    session state under `key` (`fallback` when that holds none of them), and that value passed
    as its default too. A widget in a tab not shown yet is built in the browser only when the
    tab opens, from the latest run's default when that run did not set its value: without it,
    after any rerun in between (the sign-in cookie's), the first option would come up, and be
    sent."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback
    return widget(label, options, index=options.index(st.session_state[key]), key=key, **kwargs)
