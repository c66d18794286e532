"""The login gate in front of every screen (the real app.py under AppTest)."""

from __future__ import annotations

import re
import time

import jwt
from streamlit.util import calc_hash

from core import server
from core.accounts import users
from core.accounts.login_cookie import (
    COOKIE_NAME,
    cookie_signing_key,
    forget_keys,
    user_from_cookie,
)
from core.config import get_settings, reset_settings
from tests.utils.factories import PASSWORD, TINY_FIELDS, make_storyboard
from ui.session import USER_KEY


def _sign_in(at, username: str, password: str):
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def test_an_empty_database_says_how_to_create_the_first_admin(shell):
    at = shell().run()
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "STUDIO_ADMIN_USER" in text and "python -m core user add" in text
    assert not at.text_input  # no login form while nobody can sign in


def test_an_admin_password_from_the_environment_that_is_refused_is_explained(shell, monkeypatch):
    monkeypatch.setenv("STUDIO_ADMIN_USER", "ada")
    monkeypatch.setenv("STUDIO_ADMIN_PASSWORD", "short")
    reset_settings()
    assert server.ensure_first_admin() is None  # the server starts anyway
    at = shell().run()
    [error] = at.error
    assert "were not accepted (password: use at least 8 characters)" in error.value
    assert "short" not in error.value  # the password itself is never shown
    assert "python -m core user add" in " ".join(w.value for w in at.warning)


def test_a_wrong_password_is_refused_and_nobody_is_signed_in(shell, people):
    at = _sign_in(shell().run(), "ada", "not-the-password")
    [error] = at.error
    assert error.value.startswith("Wrong username or password") and "deactivated" in error.value
    assert USER_KEY not in at.session_state


def test_the_right_password_signs_in_and_shows_who_is_signed_in(shell, people):
    at = _sign_in(shell().run(), "cleo", PASSWORD)
    assert not at.exception
    assert at.session_state[USER_KEY] == people["creative"].id
    assert any("Signed in as **cleo** · creative" in c.value for c in at.sidebar.caption)
    assert not [t for t in at.text_input if t.label == "Password"]


def test_a_deactivated_account_cannot_sign_in(shell, people, session):
    users.set_active(
        session=session, actor=people["admin"], user_id=people["viewer"].id, active=False
    )
    session.commit()
    at = _sign_in(shell().run(), "vic", PASSWORD)
    assert USER_KEY not in at.session_state
    [error] = at.error
    assert error.value.startswith("Wrong username or password") and "deactivated" in error.value


def test_deactivating_a_signed_in_user_ends_their_session(shell, people, session):
    at = shell(people["viewer"]).run()
    assert any("vic" in c.value for c in at.sidebar.caption)
    users.set_active(
        session=session, actor=people["admin"], user_id=people["viewer"].id, active=False
    )
    session.commit()
    at.run()
    assert USER_KEY not in at.session_state
    assert [t.label for t in at.text_input] == ["Username", "Password"]


def test_sign_out_returns_to_the_login_form(shell, people):
    at = shell(people["viewer"]).run()
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at.run()
    assert USER_KEY not in at.session_state
    assert [t.label for t in at.text_input] == ["Username", "Password"]


def test_the_cookie_key_is_made_once_shared_by_every_server_and_never_the_library_default(
    studio_env, monkeypatch
):
    key = cookie_signing_key()
    assert key == cookie_signing_key()
    assert len(key) >= 40 and key != "some_key"
    # Another app server: its own data dir, the same database: the same key, so a cookie one
    # server set is accepted by the next one behind the load balancer.
    url = get_settings().database_url
    monkeypatch.setenv("STUDIO_DATABASE_URL", url)
    monkeypatch.setenv("STUDIO_DATA_DIR", str(studio_env.parent / "other-machine"))
    reset_settings()
    forget_keys()
    assert cookie_signing_key() == key
    assert not (studio_env / "cookie_key").exists()  # nothing secret in a data dir


def test_a_key_kept_in_the_data_dir_by_an_earlier_version_is_carried_over(studio_env):
    studio_env.mkdir(parents=True, exist_ok=True)
    (studio_env / "cookie_key").write_text("an-earlier-versions-key-" + "x" * 30)
    assert cookie_signing_key() == "an-earlier-versions-key-" + "x" * 30


def test_the_configured_cookie_key_wins(monkeypatch, studio_env):
    from core.config import reset_settings

    monkeypatch.setenv("STUDIO_COOKIE_KEY", "k" * 48)
    reset_settings()
    assert cookie_signing_key() == "k" * 48
    assert not (studio_env / "cookie_key").exists()


def test_signing_in_writes_a_cookie_signed_with_our_key_and_signing_out_deletes_it(shell, people):
    at = _sign_in(shell().run(), "cleo", PASSWORD)
    [script] = [h.value for h in at.sidebar.html if COOKIE_NAME in h.value]
    token = re.search(rf"{COOKIE_NAME}=([^;]+);", script).group(1)
    claims = jwt.decode(token, cookie_signing_key(), algorithms=["HS256"])
    assert claims["username"] == "cleo" and claims["exp_date"] > time.time() + 6 * 86400
    assert user_from_cookie(token).id == people["creative"].id
    assert "SameSite=Strict" in script and "Path=/" in script
    assert not [h for h in at.run().sidebar.html if COOKIE_NAME in h.value]  # written once
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at.run()
    [deletion] = [h.value for h in at.main.html if COOKIE_NAME in h.value]
    assert f"{COOKIE_NAME}=;" in deletion and "1970" in deletion


def _token(key: str, username: str, expires_in_s: float = 3600) -> str:
    claims = {"username": username, "exp_date": time.time() + expires_in_s}
    return jwt.encode(claims, key, algorithm="HS256")


def test_a_returning_visitors_cookie_is_checked_like_the_library_does(people, session):
    key = cookie_signing_key()
    assert user_from_cookie(_token(key, "cleo")).id == people["creative"].id
    assert user_from_cookie(_token("some_key", "cleo")) is None  # the library's public default
    assert user_from_cookie(_token(key, "cleo", expires_in_s=-1)) is None
    assert user_from_cookie(_token(key, "nobody")) is None
    assert user_from_cookie("not-a-jwt") is None and user_from_cookie(None) is None
    users.set_active(
        session=session, actor=people["admin"], user_id=people["creative"].id, active=False
    )
    session.commit()
    assert user_from_cookie(_token(key, "cleo")) is None


def test_a_session_ends_at_once_when_an_admin_resets_its_password(shell, people, session):
    at = _sign_in(shell().run(), "cleo", PASSWORD)
    assert at.session_state[USER_KEY] == people["creative"].id
    users.reset_password(session=session, actor=people["admin"], user_id=people["creative"].id,
                         password="sea-glass-lantern-42")  # fmt: skip
    session.commit()
    at.run()
    assert USER_KEY not in at.session_state
    assert [t for t in at.text_input if t.label == "Password"]  # the sign-in form again


def test_signing_out_ends_the_accounts_login_cookies(shell, people):
    creative = people["creative"]
    claims = {"username": creative.username, "exp_date": time.time() + 7 * 86400}
    cookie = jwt.encode(claims, cookie_signing_key(), algorithm="HS256")  # e.g. copied elsewhere
    at = _sign_in(shell().run(), "cleo", PASSWORD)
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at.run()
    assert USER_KEY not in at.session_state
    assert user_from_cookie(cookie) is None


def _opened_at(at, url_path: str):
    """`at` as a browser tab on /<url_path> (AppTest asks for a page by its url_path's hash)."""
    at._page_hash = calc_hash(url_path)  # AppTest's switch_page only takes page files
    return at


def test_a_link_opened_signed_out_lands_on_its_page_and_query_after_sign_in(
    shell, people, campaign, session
):
    first, second = (make_storyboard(session, people["creative"], campaign, TINY_FIELDS,
                                     title=title) for title in ("First", "Second"))  # fmt: skip
    at = _opened_at(shell(), "storyboards")
    at.query_params["storyboard"] = second.id
    at.run()
    assert [t.label for t in at.text_input] == ["Username", "Password"]  # nothing of the page
    at = _sign_in(at, "rita", PASSWORD)
    assert not at.exception
    assert [t.value for t in at.main.title] == ["Storyboards"]
    assert at.selectbox(key="storyboards_board").value == second.id
    assert at.query_params["storyboard"] == second.id


def test_a_link_outside_the_role_opened_signed_out_says_so_after_sign_in(shell, people):
    at = _sign_in(_opened_at(shell(), "studio").run(), "vic", PASSWORD)
    assert [e.value for e in at.main.error] == ["Studio is not available to your role (viewer)."]
    assert not at.main.title


def test_after_a_sign_out_the_next_person_lands_on_their_own_home(shell, people):
    at = _opened_at(shell(people["admin"]), "users").run()
    assert [t.value for t in at.main.title] == ["Users"]
    at._page_hash = ""  # from here on, the page each run ends on, as a browser asks for it
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at = _sign_in(at.run(), "vic", PASSWORD)
    assert [t.value for t in at.main.title] == ["Showcase"]  # not "Users is not available"
