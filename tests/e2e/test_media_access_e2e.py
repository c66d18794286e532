"""Stored media reaches only a signed-in browser: the URL of a thumbnail the gallery shows is
refused to a request without the login cookie (a URL copied from a log or a history), and to the
same browser once it has signed out."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import ADMIN, cli, settle, sign_in, wait_for_login_cookie

pytestmark = pytest.mark.e2e


def _status_without_cookie(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def _shown_media_url(page, base: str) -> str:
    """The URL of a thumbnail the page shows now: Streamlit forgets the files of a run once a
    later run (a login cookie's rerun) has replaced them, so it is read after the page settled,
    and again if that run's files were just replaced."""
    for _ in range(10):
        src = page.locator("img[src*='/media/']").first.get_attribute("src")
        url = src if src.startswith("http") else base + src
        if page.request.get(url).status == 200:
            return url
        page.wait_for_timeout(300)
    raise AssertionError("no thumbnail URL the signed-in browser could fetch")


def test_a_media_url_is_refused_without_a_session(server, page):
    cli(server, "client", "add", "Media Guard Co", "--palette", "#FF6B35,#004E89")
    cli(
        server, "campaign", "add", "--client", "Media Guard Co", "--name", "Locked", "--budget", "5"
    )
    cli(server, "generate", "image", "--campaign", "Locked", "--prompt", "a locked box", "--wait")
    sign_in(page, server["url"], *ADMIN)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Gallery").click()
    page.locator("img[src*='/media/']").first.wait_for()
    settle(page)
    url = _shown_media_url(page, server["url"])
    assert page.request.get(url).status == 200  # the signed-in browser sees it
    assert _status_without_cookie(url) == 403  # the same URL, anywhere else, shows nothing
    settle(page)
    page.get_by_role("button", name="Sign out").click()
    wait_for_login_cookie(page, present=False)
    assert page.request.get(url).status == 403
