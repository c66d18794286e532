"""A creative's day in a real browser: client and campaign, an image, a video and a track on the
draft engine, each playing; then the gallery: filter, open, delete."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ADMIN, settle, sign_in

pytestmark = pytest.mark.e2e
JOB_TIMEOUT_MS = 90_000


def _open(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title).wait_for()


def _visible_tab(page):
    return page.locator("[role=tabpanel]:visible")


def _create_client_and_campaign(page) -> None:
    _open(page, "Clients & campaigns")
    page.get_by_text("New client").click()
    new_client = page.get_by_test_id("stExpander").filter(has_text="New client")
    new_client.get_by_label("Name", exact=True).fill("E2E Drinks")
    new_client.get_by_role("textbox", name="Brand guidelines").fill("Sunny, crisp, optimistic.")
    page.get_by_role("button", name="Create client").click()
    page.get_by_text("Client 'E2E Drinks' created.").wait_for()
    new_campaign = page.get_by_test_id("stExpander").filter(has_text="New campaign")
    new_campaign.get_by_label("Name", exact=True).fill("Summer Splash")
    page.get_by_role("button", name="Create campaign").click()
    page.get_by_text("Summer Splash").first.wait_for()


def _generate(page, tab: str, kind: str, prompt: str) -> None:
    page.get_by_role("tab", name=tab).click()
    panel = _visible_tab(page)
    panel.get_by_label("Prompt", exact=True).fill(prompt)
    panel.get_by_label("Prompt", exact=True).press(
        "Control+Enter"
    )  # commit the text before clicking
    panel.get_by_role("button", name=f"Generate {kind}").click()


def _media_duration(page, selector: str) -> float:
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{selector}')].some(m => m.duration > 0)",
        timeout=JOB_TIMEOUT_MS,
    )
    return page.evaluate(
        f"() => Math.max(...[...document.querySelectorAll('{selector}')].map(m => m.duration || 0))"
    )


def test_a_creative_makes_an_image_a_video_and_a_track_and_each_plays(server, page):
    sign_in(page, server["url"], *ADMIN)
    _create_client_and_campaign(page)
    _open(page, "Studio")

    _generate(page, "Image", "image", "a can of lemonade on a sunny beach")
    page.locator("[data-testid=stImage] img").first.wait_for(timeout=JOB_TIMEOUT_MS)
    assert page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')]"
        ".some(i => i.complete && i.naturalWidth > 0)"
    )

    _generate(page, "Video", "video", "the can spins slowly")
    assert _media_duration(page, "video") > 0

    _generate(page, "Music", "music", "upbeat 120 BPM summer pop")
    assert _media_duration(page, "audio") > 0


def _match_count(page) -> int:
    settle(page)
    caption = page.get_by_text(re.compile(r"^[\d,]+ items? match(es)?\.$")).first
    caption.wait_for()
    return int(caption.inner_text().split()[0].replace(",", ""))


def _open_first_item(page) -> None:
    settle(page)
    # (exact: a select's own "Open" arrow would match too)
    page.get_by_test_id("stButton").get_by_role("button", name="Open", exact=True).first.click()
    page.get_by_role("button", name="← Back to the gallery").wait_for()


def test_the_gallery_plays_filters_and_deletes(server, page):
    # Runs after the Studio test above (same server): image, video (+ its image) and a track.
    sign_in(page, server["url"], *ADMIN)
    _open(page, "Gallery")
    everything = _match_count(page)
    assert everything >= 4

    page.get_by_label("Prompt contains").fill("spins")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=spins**")
    assert _match_count(page) == 2  # the video and the image it was made from
    page.goto(page.url + "&kind=video")
    assert _match_count(page) == 1
    _open_first_item(page)
    assert _media_duration(page, "video") > 0
    page.get_by_role("button", name="← Back to the gallery").click()
    page.wait_for_url(lambda url: "item=" not in url)

    # The filtered view is a link: opening it in a fresh page shows the same result.
    shared = page.url
    assert "q=spins" in shared and "kind=video" in shared
    other = page.context.new_page()
    other.goto(shared)
    assert _match_count(other) == 1
    other.close()

    page.goto(f"{server['url']}/gallery?kind=image")
    assert _match_count(page) == 2  # the one asked for and the video's start image
    _open_first_item(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')]"
        ".some(i => i.complete && i.naturalWidth >= 512)"  # the full image, not a thumbnail
    )

    page.goto(f"{server['url']}/gallery?kind=audio")
    assert _match_count(page) == 1
    _open_first_item(page)
    assert _media_duration(page, "audio") > 0
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Delete").click()
    page.get_by_text("Deleted the music").wait_for()
    assert _match_count(page) == 0
