"""The login gate (streamlit-authenticator over our users table) and logout."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from core import server
from core.models import User
from core.services import users
from ui.session import current_user, db, sign_in, sign_out

COOKIE_NAME = "campaign_studio_auth"
COOKIE_DAYS = 7
# The cookie is written (or deleted) by a browser component. One drawn in a run that then reruns
# never reaches the browser, so the write waits for the run after sign-in (or sign-out).
COOKIE_TO_SET = "studio_cookie_to_set"
COOKIE_TO_DELETE = "studio_cookie_to_delete"
NO_ADMIN_HELP = """
**No account exists yet.** Create the first admin in one of two ways, then reload this page:

- start the app with `STUDIO_ADMIN_USER` and `STUDIO_ADMIN_PASSWORD` set in the environment
  (or in `.streamlit/secrets.toml`), or
- run `python -m core user add YOUR_NAME --role admin --password 'a long password'`.
"""


def authenticator() -> stauth.Authenticate:
    """Built once per run from the active accounts; the cookie key is never the library default."""
    with db() as session:
        credentials = users.login_credentials(session=session)
    return stauth.Authenticate(
        credentials, COOKIE_NAME, cookie_key=server.cookie_signing_key(),
        cookie_expiry_days=COOKIE_DAYS, auto_hash=False, login_sleep_time=0,
    )  # fmt: skip


def gate(auth: stauth.Authenticate) -> User:
    """The signed-in user; otherwise draw the login form and stop the run."""
    user = current_user()
    if user is not None:
        if st.session_state.pop(COOKIE_TO_SET, False):
            auth.cookie_controller.set_cookie()
        return user
    with db() as session:
        empty = users.count_users(session=session) == 0
    st.title("Campaign Studio")
    if st.session_state.pop(COOKIE_TO_DELETE, False):
        auth.cookie_controller.delete_cookie()
    if empty:
        st.warning(NO_ADMIN_HELP)
        st.stop()
    auth.login(location="main", fields={"Form name": "Sign in", "Login": "Sign in"})
    status = st.session_state.get("authentication_status")
    if status:
        with db() as session:
            user = users.get_by_username(session=session, username=st.session_state["username"])
        if user is not None and user.active:
            sign_in(user)
            st.session_state[COOKIE_TO_SET] = True
            st.rerun()
    elif status is False:
        st.error("Wrong username or password.")
    st.stop()


def logout_button(auth: stauth.Authenticate, where) -> None:
    if where.button("Sign out", key="studio_sign_out", icon=":material/logout:"):
        if st.session_state.get("authentication_status"):
            auth.logout(location="unrendered")  # also deletes the login cookie
        sign_out()
        st.session_state[COOKIE_TO_DELETE] = True
        st.rerun()
