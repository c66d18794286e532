"""From a brief to the finished ad in a real browser: a creative uploads a brief and makes a
storyboard, a reviewer approves it, the creative renders it, and the final video plays on the
Showcase for a viewer."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import cli, settle, sign_in

pytestmark = pytest.mark.e2e
RENDER_TIMEOUT_MS = 180_000
BRIEF = """# Sunrise Cold Brew — launch

**Brand:** Sunrise Coffee
**Objective:** Introduce the new cold brew to commuters.
**Audience:** Commuters aged 25-40
**Key messages:**
- Smooth, never bitter
- Ready in the fridge
**Tone:** Warm and upbeat
**Duration:** 12 seconds
**Aspect ratio:** 16:9
**Call to action:** Find Sunrise Cold Brew in the chiller
"""


def _person(browser, server, username: str, password: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server["url"], username, password)
    return page


def _open(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for()
    settle(page)


def _setup(server) -> None:
    cli(server, "client", "add", "Sunrise Coffee", "--palette", "#F2A65A,#2E1F27")
    cli(server, "campaign", "add", "--client", "Sunrise Coffee", "--name", "Cold Brew Launch")
    for name, role in (("cleo", "creative"), ("rita", "reviewer"), ("vic", "viewer")):
        cli(server, "user", "add", name, "--role", role, "--password", f"{name}-pass-123")


def _make_storyboard(page, brief_path) -> None:
    _open(page, "Briefs")
    page.get_by_role("tab", name="Upload a file").click()
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(brief_path))
    page.get_by_role("button", name="Read file").click()
    page.get_by_text("check the fields below").wait_for()
    page.get_by_role("button", name="Save and make storyboard").click()
    page.get_by_text("Made the storyboard").wait_for()


def test_a_brief_becomes_an_approved_storyboard_and_a_finished_ad(server, browser, tmp_path):
    _setup(server)
    brief = tmp_path / "sunrise.md"
    brief.write_text(BRIEF)

    creative = _person(browser, server, "cleo", "cleo-pass-123")
    _make_storyboard(creative, brief)
    creative.get_by_role("link", name="on Storyboards").click()  # the link beside the message
    creative.get_by_role("heading", name="Storyboards").first.wait_for()
    settle(creative)
    creative.get_by_role("button", name="Submit for review").wait_for()
    creative.get_by_role("button", name="Submit for review").click()
    creative.get_by_text("in review", exact=False).first.wait_for()

    reviewer = _person(browser, server, "rita", "rita-pass-123")
    menu = reviewer.get_by_test_id("stSidebarNavItems")
    menu.get_by_role("link", name="Review queue (1)", exact=True).wait_for()  # what awaits
    reviewer.get_by_role("heading", name="Review queue").wait_for()  # a reviewer's home
    settle(reviewer)
    reviewer.get_by_label("Comment on the whole storyboard").fill("Lovely, ship it.")
    reviewer.get_by_role("button", name="Approve the whole storyboard").click()
    reviewer.get_by_text("Lovely, ship it.").first.wait_for()

    # The creative's open page notices the decision by itself: no reload. (A draft render is
    # free: nothing to confirm.)
    creative.get_by_role("button", name="Render final ad").click(timeout=20_000)
    creative.wait_for_function(
        "() => [...document.querySelectorAll('video')].some(v => v.duration > 11.5)",
        timeout=RENDER_TIMEOUT_MS,
    )

    viewer = _person(browser, server, "vic", "vic-pass-123")
    _open(viewer, "Showcase")
    viewer.get_by_text("Sunrise Cold Brew").first.wait_for()
    viewer.get_by_role("button", name="Play").first.click()  # behind a real frame until then
    viewer.wait_for_function(
        "() => [...document.querySelectorAll('video')].some(v => v.duration > 11.5)"
    )
    duration = viewer.evaluate("() => Math.max(...[...document.querySelectorAll('video')]"
                               ".map(v => v.duration || 0))")  # fmt: skip
    assert duration == pytest.approx(12.0, abs=0.3)  # the sum of the scenes
    for page in (creative, reviewer, viewer):
        page.context.close()
