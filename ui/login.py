"""The login gate, the login cookie, and logout.

The password is checked by core (`core.accounts.sign_in`: slowed down after wrong guesses, the
same work for unknown names); a returning visitor's cookie is checked by core too
(`core.accounts.login_cookie`). The cookie is written and deleted by a line of JavaScript in the
page (`st.html`), not by streamlit-authenticator's cookie manager: that browser component loads
its own scripts in an iframe and then reruns the whole page, which cost every sign-in and every
visit to the sign-in form a second run (about half a second here) and could undo a click made
meanwhile. The cookie is the same JWT the library wrote, so cookies it issued stay valid.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from core import server
from core.accounts import users
from core.accounts.login_cookie import (
    COOKIE_NAME,
    cookie_username,
    issue_cookie,
    user_from_cookie,
)
from core.accounts.sign_in import TooManyTries
from core.accounts.sign_in import sign_in as password_sign_in
from core.models import User
from ui import nav
from ui.session import current_user, db, sign_in, sign_out

# The cookie is written (or deleted) by a script in the page; one drawn in a run that then reruns
# never reaches the browser, so the write waits for the run after sign-in (or sign-out).
COOKIE_TO_SET = "studio_cookie_to_set"  # the username to write a cookie for
COOKIE_TO_DELETE = "studio_cookie_to_delete"
# This browser session signed out: the cookie it started with (st.context) no longer counts.
SIGNED_OUT = "studio_signed_out"
# The username of a login cookie whose account is no longer active (deactivated meanwhile).
STALE_COOKIE_USER = "studio_stale_cookie_user"
# A deactivated account is refused like a wrong password: saying which would tell a stranger
# that the account exists.
WRONG_SIGN_IN = "Wrong username or password (or the account was deactivated: ask an admin)."
# Streamlit's browser code for each kind of element is a script of its own, fetched, run and set
# up (React's lazy loading, its styles) the first time a page draws one: the ~50 widgets of the
# screen a sign-in lands on came up as placeholders first, for 0.3-1 s. So while the sign-in
# form waits for a password, it draws one widget of each kind the screens use, hidden
# (HIDDEN_WIDGETS), and imports the scripts of the kinds it cannot draw without content
# (PRELOADED_ELEMENTS). Each took 0.3-0.8 s off "Sign in" to the page on 2 busy vCPUs
# (bench/bench_page_speed.py). Scripts are named without their content hash; a kind a Streamlit
# release renames is simply not preloaded.
HIDDEN_WIDGETS = "studio_sign_in_warm_up"
PRELOADED_ELEMENTS = ("Audio", "Video", "ImageList", "DownloadButton", "Html", "Button")
# And once the first screen after sign-in is drawn, the heavier scripts (~2 MB) of tables and
# charts, that a first visit of Costs, Users or Clients & campaigns would otherwise wait for.
PRELOADED_LATER = ("DataFrame", "ArrowVegaLiteChart", "embed")
PRELOADED_KEY = "studio_elements_preloaded"  # this browser session has been sent them
NO_ADMIN_HELP = """
**No account exists yet.** Create the first admin in one of two ways, then reload this page:

- start the app with `STUDIO_ADMIN_USER` and `STUDIO_ADMIN_PASSWORD` set in the environment
  (or in `.streamlit/secrets.toml`), or
- run `python -m core user add YOUR_NAME --role admin --password 'a long password'`.
"""


def _cookie_script(where, cookie: str) -> None:
    """Set `cookie` (a Set-Cookie-like string) in the browser; Secure when served over HTTPS.
    The element is empty: drawn last in its column, it moves nothing."""
    js = (f"document.cookie = {json.dumps(cookie)} + "
          "(location.protocol === 'https:' ? '; Secure' : '');")  # fmt: skip
    where.html(f"<script>{js}</script>", unsafe_allow_javascript=True)


def _write_cookie(where, username: str) -> None:
    token, expires = issue_cookie(username)
    when = formatdate(expires, usegmt=True)
    _cookie_script(where, f"{COOKIE_NAME}={token}; Path=/; Expires={when}; SameSite=Strict")


def _delete_cookie(where) -> None:
    gone = formatdate(0, usegmt=True)
    _cookie_script(where, f"{COOKIE_NAME}=; Path=/; Expires={gone}; SameSite=Strict")


@functools.cache
def _element_scripts(kinds: tuple[str, ...]) -> tuple[str, ...]:
    scripts = Path(st.__file__).parent / "static" / "static" / "js"
    return tuple(p.name for kind in kinds for p in scripts.glob(f"{kind}.*.js"))


def _preload_element_scripts(where, kinds: tuple[str, ...], *, after_ms: int = 0) -> None:
    """Import the element scripts of `kinds` in the browser once it is idle (and `after_ms`
    have passed), from Streamlit's own URLs, so that the page's later imports find them run."""
    js = f"""(() => {{
      const index = document.querySelector('script[src*="/static/js/index."]');
      if (!index) return;
      const load = () => {json.dumps(_element_scripts(kinds))}
        .forEach(name => import(new URL(name, index.src).href).catch(() => {{}}));
      setTimeout(() => (window.requestIdleCallback || setTimeout)(load), {after_ms});
    }})();"""
    where.html(f"<script>{js}</script>", unsafe_allow_javascript=True)


def _draw_widget_kinds_hidden() -> None:
    """One widget of each kind the screens use, in a container nobody sees (display: none, so
    no screen reader or Tab key reaches it either)."""
    st.html(f"<style>.st-key-{HIDDEN_WIDGETS} {{ display: none !important; }}</style>")
    key = f"{HIDDEN_WIDGETS}_"
    hidden: dict[str, Any] = {"label_visibility": "collapsed"}
    with st.container(key=HIDDEN_WIDGETS):
        st.selectbox("-", ["-"], key=f"{key}select", **hidden)
        st.multiselect("-", ["-"], key=f"{key}multiselect", **hidden)
        st.radio("-", ["-"], key=f"{key}radio", **hidden)
        st.text_area("-", key=f"{key}text_area", **hidden)
        st.number_input("-", key=f"{key}number", **hidden)
        st.slider("-", 0, 1, key=f"{key}slider", **hidden)
        st.toggle("-", key=f"{key}toggle", **hidden)
        st.checkbox("-", key=f"{key}checkbox", **hidden)
        st.code("-", language=None)
        st.progress(0)
        st.tabs(["-"])
        st.expander("-")


def _user_named(username: str | None) -> User | None:
    if username is None:
        return None
    with db() as session:
        return users.get_by_username(session=session, username=username)


def signed_in_user() -> User | None:
    """The signed-in user, or the one a valid login cookie names (signed in by it now)."""
    user = current_user()
    if user is not None:
        return user
    # A cookie issued before the account's sign-ins were ended (a password reset, a role change,
    # a sign-out elsewhere) is refused by core.
    if not st.session_state.get(SIGNED_OUT):
        user = user_from_cookie(st.context.cookies.get(COOKIE_NAME))
        if user is not None:
            sign_in(user)  # no rerun: the page and filters the URL asked for stay
            return user
    return None


def sign_in_page(go_on: Callable[[User], NoReturn]) -> NoReturn:
    """The sign-in form, and the end of the run; `go_on(user)` once a password is accepted
    (ui.nav.signed_out: the page the link named, or the user's home)."""
    _login_form(go_on)
    st.stop()


def _login_form(go_on: Callable[[User], NoReturn]) -> None:
    with db() as session:
        empty = users.count_users(session=session) == 0
    st.title("Campaign Studio")
    if empty:
        if refused := server.first_admin_refusal():
            st.error(f"`STUDIO_ADMIN_USER` / `STUDIO_ADMIN_PASSWORD` were not accepted "
                     f"({refused}): fix them and restart the app.")  # fmt: skip
        st.warning(NO_ADMIN_HELP)
        return
    stale_cookie = _warn_of_inactive_accounts_cookie()
    with st.form("studio_sign_in"):
        st.subheader("Sign in")
        username = st.text_input("Username")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in")
    if st.session_state.pop(COOKIE_TO_DELETE, False) or stale_cookie:
        _delete_cookie(st)
    # Last on the page: their elements are empty or hidden, and move nothing.
    _preload_element_scripts(st, PRELOADED_ELEMENTS)
    _draw_widget_kinds_hidden()
    if submitted:
        _sign_in_with(username, password, go_on)


def _client_address() -> str:
    address = st.context.ip_address  # None behind some proxies, and in tests
    return address if isinstance(address, str) and address else "unknown"


def _sign_in_with(username: str, password: str, go_on: Callable[[User], NoReturn]) -> None:
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
    st.session_state.pop(SIGNED_OUT, None)
    st.session_state.pop(STALE_COOKIE_USER, None)
    # The form is on screen: a rerun clears it, and the next run writes the cookie.
    st.session_state[COOKIE_TO_SET] = user.username
    go_on(user)


def _warn_of_inactive_accounts_cookie() -> bool:
    """A valid cookie of an account deactivated (or removed) since is ignored, said so, and
    deleted: True on the run that should delete it."""
    delete = False
    if not st.session_state.get(STALE_COOKIE_USER):
        if st.session_state.get(SIGNED_OUT):
            return False
        username = cookie_username(st.context.cookies.get(COOKIE_NAME))
        user = _user_named(username)
        if username is None or (user is not None and user.active):
            return False
        st.session_state[STALE_COOKIE_USER] = username
        delete = True
    st.warning(f"The account '{st.session_state[STALE_COOKIE_USER]}' was deactivated: ask an "
               "admin to reactivate it, or sign in with another account.")  # fmt: skip
    return delete


def logout_button(where) -> None:
    """The "Sign out" button, and under it (last in the sidebar, where their empty elements move
    nothing) the login cookie's writer in the run after a sign-in, and the element scripts to
    preload in a browser session's first signed-in run."""
    if where.button("Sign out", key="studio_sign_out", icon=":material/logout:"):
        if (user := current_user()) is not None:  # its cookies everywhere end with it
            with db() as session:
                users.sign_out_everywhere(session=session, actor=user)
        st.session_state.pop(COOKIE_TO_SET, None)
        sign_out()
        st.session_state[SIGNED_OUT] = True
        st.session_state[COOKIE_TO_DELETE] = True
        # To `/`, not the page signed out of: whoever signs in next lands on their own home.
        st.switch_page(nav.landing())
    if username := st.session_state.pop(COOKIE_TO_SET, None):
        _write_cookie(where, username)
    if not st.session_state.get(PRELOADED_KEY):
        st.session_state[PRELOADED_KEY] = True
        _preload_element_scripts(where, PRELOADED_ELEMENTS + PRELOADED_LATER, after_ms=1000)
