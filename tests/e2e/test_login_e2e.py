"""Signing in, the login cookie, and what a viewer is offered, in a real browser."""

from __future__ import annotations

import sqlite3
import time

import jwt
import pytest

from core.accounts.login_cookie import COOKIE_DAYS, COOKIE_NAME
from tests.e2e.conftest import (
    ADMIN,
    cli,
    settle,
    sign_in,
    wait_for_login_cookie,
    wait_for_sign_in_form,
)

pytestmark = pytest.mark.e2e


def _cookie(server, key: str, username: str) -> dict:
    """A login cookie as the sign-in form writes it now: it expires in COOKIE_DAYS."""
    claims = {"username": username, "exp_date": time.time() + COOKIE_DAYS * 86400}
    return {"name": COOKIE_NAME, "value": jwt.encode(claims, key, algorithm="HS256"),
            "url": server["url"]}  # fmt: skip


def _raw_cookie(server, token: str) -> dict:
    return {"name": COOKIE_NAME, "value": token, "url": server["url"]}


def test_admin_signs_in_stays_in_on_reload_and_signs_out_for_good(server, page):
    sign_in(page, server["url"], *ADMIN)
    page.get_by_role("link", name="Users").wait_for()
    page.reload()
    page.get_by_text("Signed in as").wait_for()  # the login cookie, no password asked
    settle(page)  # a click while the cookie's rerun is going on can be dropped
    page.get_by_role("button", name="Sign out").click()
    wait_for_sign_in_form(page)
    wait_for_login_cookie(page, present=False)
    page.reload()
    wait_for_sign_in_form(page)
    assert page.get_by_text("Signed in as").count() == 0


def test_a_cookie_signed_with_the_library_default_key_is_rejected(server, page):
    page.context.add_cookies([_cookie(server, "some_key", ADMIN[0])])
    page.goto(server["url"])
    wait_for_sign_in_form(page)
    assert page.get_by_text("Signed in as").count() == 0


def _servers_key(server) -> str:
    """The cookie key the server made and keeps in its database."""
    with sqlite3.connect(server["data"] / "studio.db") as db:
        return db.execute(
            "SELECT value FROM shared_secret WHERE name = 'login_cookie_key'"
        ).fetchone()[0]


@pytest.mark.parametrize("forged", ["alg none", "no expiry", "not a token"])
def test_a_malformed_cookie_shows_the_sign_in_form(server, page, forged):
    key = _servers_key(server)
    token = {
        "alg none": jwt.encode(
            {"username": ADMIN[0], "exp_date": time.time() + 3600}, None, algorithm="none"
        ),  # fmt: skip
        "no expiry": jwt.encode({"username": ADMIN[0]}, key, algorithm="HS256"),
        "not a token": "e30.e30.e30",
    }[forged]
    page.context.add_cookies([_raw_cookie(server, token)])
    page.goto(server["url"])
    wait_for_sign_in_form(page)
    assert page.get_by_text("Signed in as").count() == 0
    assert page.get_by_test_id("stException").count() == 0


def test_a_cookie_signed_with_the_servers_key_signs_in_without_a_password(server, page):
    # The positive control for the test above: same cookie, the right key.
    key = _servers_key(server)
    page.context.add_cookies([_cookie(server, key, ADMIN[0])])
    page.goto(server["url"])
    page.get_by_text("Signed in as").wait_for()


def test_a_viewer_finds_no_studio(server, page):
    cli(server, "user", "add", "vic", "--role", "viewer", "--password", "viewer-pass-123")
    sign_in(page, server["url"], "vic", "viewer-pass-123")
    page.get_by_role("link", name="Gallery").wait_for()
    assert page.get_by_role("link", name="Studio").count() == 0
    page.goto(f"{server['url']}/studio")
    page.get_by_text("Signed in as").wait_for()
    assert page.get_by_role("link", name="Studio").count() == 0
    assert page.get_by_text("Generate", exact=True).count() == 0


def test_right_after_a_password_sign_in_the_video_form_opens_at_its_defaults(server, page):
    """The login cookie's writer reruns the app once it loads; a form in a tab not opened yet
    came up at its lowest values after that rerun (1 s, 480p, 12 fps) and sent them."""
    cli(server, "client", "add", "Defaults Co")
    cli(server, "campaign", "add", "--client", "Defaults Co", "--name", "Launch")
    sign_in(page, server["url"], *ADMIN)  # returns once the cookie is written (that rerun)
    page.get_by_role("tab", name="Video").click()
    panel = page.locator("[role=tabpanel]:visible")
    duration = panel.get_by_test_id("stSlider").filter(has_text="Duration")
    assert duration.get_by_test_id("stSliderThumbValue").inner_text() == "5"
    assert panel.get_by_role("combobox", name="Resolution").input_value() == "720p"
    assert panel.get_by_role("combobox", name="Fps").input_value() == "24"


def test_an_account_deactivated_while_signed_in_is_told_so_on_its_next_visit(server, page):
    """Its login cookie is still valid: the sign-in form comes back with why, not an error."""
    cli(server, "user", "add", "dora", "--role", "creative", "--password", "dora-pass-123")
    sign_in(page, server["url"], "dora", "dora-pass-123")
    with sqlite3.connect(server["data"] / "studio.db") as db:  # an admin deactivates dora
        db.execute("update user set active = 0 where username = 'dora'")
    page.reload()
    page.get_by_text("The account 'dora' was deactivated").wait_for()
    wait_for_login_cookie(page, present=False)  # deleted by a component, which reruns the app
    wait_for_sign_in_form(page)
    settle(page)
    assert page.get_by_test_id("stException").count() == 0
    page.reload()  # the cookie is gone: a plain sign-in page
    wait_for_sign_in_form(page)
    assert page.get_by_text("Signed in as").count() == 0
