"""The login gate, the login cookie, and logout.

The password is checked by core (`core.accounts.sign_in`: slowed down after wrong guesses, the
same work for unknown names); streamlit-authenticator writes and deletes the login cookie. Its
cookie manager is a browser component: drawn, it reruns the page once it loads, which can undo a
click made meanwhile. So it is built only on the runs that need it (the sign-in page, writing or
deleting the cookie); a returning visitor's cookie is checked by core with the same JWT rules
the library uses, without drawing it.
"""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from core import server
from core.accounts import users
from core.accounts.login_cookie import (
    COOKIE_DAYS,
    COOKIE_NAME,
    cookie_signing_key,
    cookie_username,
    user_from_cookie,
)
from core.accounts.sign_in import TooManyTries
from core.accounts.sign_in import sign_in as password_sign_in
from core.models import User
from ui.session import USER_KEY, current_user, db, sign_in, sign_out

# The cookie is written (or deleted) by the component; one drawn in a run that then reruns never
# reaches the browser, so the write waits for the run after sign-in (or sign-out).
COOKIE_TO_SET = "studio_cookie_to_set"
COOKIE_TO_DELETE = "studio_cookie_to_delete"
# This browser session signed out: the cookie it started with (st.context) no longer counts.
SIGNED_OUT = "studio_signed_out"
# The username of a login cookie whose account is no longer active (deactivated meanwhile).
STALE_COOKIE_USER = "studio_stale_cookie_user"
# Deactivated accounts are left out of the library's credentials, so it cannot tell them apart
# from a wrong password; saying which would tell a stranger that the account exists.
WRONG_SIGN_IN = "Wrong username or password (or the account was deactivated: ask an admin)."
NO_ADMIN_HELP = """
**No account exists yet.** Create the first admin in one of two ways, then reload this page:

- start the app with `STUDIO_ADMIN_USER` and `STUDIO_ADMIN_PASSWORD` set in the environment
  (or in `.streamlit/secrets.toml`), or
- run `python -m core user add YOUR_NAME --role admin --password 'a long password'`.
"""


def authenticator() -> stauth.Authenticate:
    """Built from the active accounts; the cookie key is never the library's public default."""
    with db() as session:
        credentials = users.login_credentials(session=session)
    return stauth.Authenticate(
        credentials, COOKIE_NAME, cookie_key=cookie_signing_key(),
        cookie_expiry_days=COOKIE_DAYS, auto_hash=False, login_sleep_time=0,
    )  # fmt: skip


def _user_named(username: str | None) -> User | None:
    if username is None:
        return None
    with db() as session:
        return users.get_by_username(session=session, username=username)


def gate() -> User:
    """The signed-in user; otherwise draw the login form and stop the run."""
    was_signed_in = USER_KEY in st.session_state
    user = current_user()
    if user is not None:
        if st.session_state.pop(COOKIE_TO_SET, False):
            authenticator().cookie_controller.set_cookie()
        return user
    if was_signed_in:  # its sign-ins were ended (password reset, role change, elsewhere)
        _forget_library_sign_in()
    if not st.session_state.get(SIGNED_OUT):
        user = user_from_cookie(st.context.cookies.get(COOKIE_NAME))
        if user is not None:
            sign_in(user)  # no rerun: the page and filters the URL asked for stay
            return user
    _login_form()
    st.stop()


def _login_form() -> None:
    with db() as session:
        empty = users.count_users(session=session) == 0
    st.title("Campaign Studio")
    if empty:
        if refused := server.first_admin_refusal():
            st.error(f"`STUDIO_ADMIN_USER` / `STUDIO_ADMIN_PASSWORD` were not accepted "
                     f"({refused}): fix them and restart the app.")  # fmt: skip
        st.warning(NO_ADMIN_HELP)
        return
    auth = authenticator()
    if st.session_state.pop(COOKIE_TO_DELETE, False):
        auth.cookie_controller.delete_cookie()
    _forget_cookie_of_inactive_account(auth)
    with st.form("studio_sign_in"):
        st.subheader("Sign in")
        username = st.text_input("Username")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        _sign_in_with(username, password)


def _client_address() -> str:
    address = st.context.ip_address  # None behind some proxies, and in tests
    return address if isinstance(address, str) and address else "unknown"


def _sign_in_with(username: str, password: str) -> None:
    try:
        with db() as session:
            user = password_sign_in(session=session, username=username, password=password,
                                    client=_client_address())  # fmt: skip
    except TooManyTries as slowed:
        st.error(str(slowed))
        return
    if user is None:
        st.error(WRONG_SIGN_IN)
        return
    sign_in(user)
    # The library writes the cookie from its own record of the sign-in.
    st.session_state.update(authentication_status=True, username=user.username,
                            name=user.name or user.username, logout=None)  # fmt: skip
    st.session_state.pop(SIGNED_OUT, None)
    st.session_state.pop(STALE_COOKIE_USER, None)
    # The form is on screen: a rerun clears it, and the next run writes the cookie.
    st.session_state[COOKIE_TO_SET] = True
    st.rerun()


def _forget_cookie_of_inactive_account(auth: stauth.Authenticate) -> None:
    """A valid cookie of an account deactivated (or removed) since: the library would stop the
    page with "User not authorized" on every run; it is ignored and deleted, and said so."""
    if not st.session_state.get(STALE_COOKIE_USER):
        if st.session_state.get(SIGNED_OUT):
            return
        username = cookie_username(st.context.cookies.get(COOKIE_NAME))
        user = _user_named(username)
        if username is None or (user is not None and user.active):
            return
        st.session_state[STALE_COOKIE_USER] = username
        st.session_state["logout"] = True  # the library's guard: it no longer reads the cookie
        auth.cookie_controller.delete_cookie()
    st.warning(f"The account '{st.session_state[STALE_COOKIE_USER]}' was deactivated: ask an "
               "admin to reactivate it, or sign in with another account.")  # fmt: skip


def _forget_library_sign_in() -> None:
    for key in ("authentication_status", "username", "name"):
        st.session_state.pop(key, None)  # the library's own record of this sign-in
    st.session_state["logout"] = True  # and its guard against the session's stale cookie


def logout_button(where) -> None:
    if where.button("Sign out", key="studio_sign_out", icon=":material/logout:"):
        if (user := current_user()) is not None:  # its cookies everywhere end with it
            with db() as session:
                users.sign_out_everywhere(session=session, actor=user)
        _forget_library_sign_in()
        sign_out()
        st.session_state[SIGNED_OUT] = True
        st.session_state[COOKIE_TO_DELETE] = True
        st.rerun()
