"""The working context in a real browser: a campaign chosen in the sidebar stays chosen on every
page, in the URL, and after a reload, with its spend against its budget beside it."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ADMIN, cli, settle, sign_in

pytestmark = pytest.mark.e2e


def _choose(page, label: str, option: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def _chosen(page, label: str) -> str:
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=label)
    return box.input_value() or box.inner_text()


def _open(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for()
    settle(page)


def test_the_campaign_chosen_once_is_the_context_of_every_page_and_of_a_reload(server, page):
    cli(server, "client", "add", "Aardvark Audio")
    cli(server, "campaign", "add", "--client", "Aardvark Audio", "--name", "Alpha")
    cli(server, "campaign", "add", "--client", "Aardvark Audio", "--name", "Beta",
        "--budget", "250")  # fmt: skip
    sign_in(page, server["url"], *ADMIN)
    _choose(page, "Client", "Aardvark Audio")
    assert "Alpha" in _chosen(page, "Campaign") and "Beta" not in _chosen(page, "Campaign")
    _choose(page, "Campaign", "Beta")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("$0.00 of $250.00 budget").wait_for()

    for title in ("Gallery", "Briefs", "Storyboards", "Studio"):
        _open(page, title)
        assert "Beta" in _chosen(page, "Campaign"), title
        assert re.search(r"[?&]campaign=", page.url), page.url
    page.reload()
    page.get_by_text("Signed in as").wait_for()
    settle(page)
    assert "Beta" in _chosen(page, "Campaign")
    assert "Aardvark Audio" in _chosen(page, "Client")
    sidebar.get_by_text("$0.00 of $250.00 budget").wait_for()
