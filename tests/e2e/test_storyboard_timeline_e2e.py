"""The storyboard as a timeline in a real browser: a scene dragged to the front of the strip with
the mouse stays there after a reload; two people editing the same scene at once: the later one is
told who changed it and keeps their text, to put back and save."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.conftest import cli, settle, sign_in

pytestmark = pytest.mark.e2e
BRIEF = """# Sunrise Cold Brew — launch

**Brand:** Sunrise Coffee
**Objective:** Introduce the new cold brew to commuters.
**Key messages:**
- Smooth, never bitter
- Ready in the fridge
**Duration:** 15 seconds
**Aspect ratio:** 16:9
**Call to action:** Find Sunrise Cold Brew in the chiller
"""


@pytest.fixture(scope="module")
def board(server, tmp_path_factory) -> str:
    cli(server, "client", "add", "Sunrise Coffee")
    cli(server, "campaign", "add", "--client", "Sunrise Coffee", "--name", "Cold Brew Launch")
    for name in ("cleo", "carl"):
        cli(server, "user", "add", name, "--role", "creative", "--password", f"{name}-pass-123")
    brief = tmp_path_factory.mktemp("brief") / "sunrise.md"
    brief.write_text(BRIEF)
    made = cli(server, "storyboard", "from-brief", str(brief), "--campaign", "Cold Brew Launch",
               "--as", "cleo")  # fmt: skip
    return json.loads(made)["id"]


def _scenes(server, board: str) -> list[dict]:
    return json.loads(cli(server, "storyboard", "show", board, "--as", "cleo"))["scenes"]


def _person(browser, server, name: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server["url"], name, f"{name}-pass-123")
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Storyboards").click()
    page.get_by_role("button", name="Save scene").wait_for()
    settle(page)
    return page


def _drag(page, source, target) -> None:
    """Press on `source`, move past the drag's 10 px threshold, glide onto `target`, drop."""
    start, end = source.bounding_box(), target.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 15, y, steps=5)
    page.mouse.move(end["x"] + end["width"] / 3, end["y"] + end["height"] / 2, steps=25)
    page.mouse.up()


def test_a_scene_dragged_to_the_front_stays_there_after_a_reload(server, browser, board):
    before = [s["title"] for s in _scenes(server, board)]
    assert len(before) >= 3
    page = _person(browser, server, "cleo")
    strip = page.frame_locator("iframe[title*=scene_order]")
    items = strip.locator("li.sortable-item")
    items.nth(len(before) - 1).wait_for()
    items.first.scroll_into_view_if_needed()
    _drag(page, items.nth(len(before) - 1), items.first)
    # The message beside the strip, where the drag was made.
    page.locator(".st-key-storyboards_filmstrip").get_by_text(
        f"Moved scene {len(before)} to scene 1."
    ).wait_for()
    after = [s["title"] for s in _scenes(server, board)]
    assert after == [before[-1], *before[:-1]]
    page.reload()
    settle(page)
    cards = page.locator(".st-key-storyboards_filmstrip").get_by_role("button")
    cards.first.wait_for()
    expected = [f"{n} · {title}" for n, title in enumerate(after, 1)]
    assert [c.inner_text() for c in cards.all()][: len(after)] == expected
    first = strip.locator("li.sortable-item").first
    assert first.inner_text().startswith(f"1 · {before[-1]}")
    page.context.close()


def test_the_later_of_two_editors_is_told_and_keeps_their_text(server, browser, board):
    cleo, carl = _person(browser, server, "cleo"), _person(browser, server, "carl")
    open_scene = _scenes(server, board)[0]
    panels = [p.locator(".st-key-storyboards_panel") for p in (cleo, carl)]
    for panel in panels:  # both have the same scene open
        panel.get_by_text(f"Scene 1 · {open_scene['title']}").first.wait_for()
    panels[0].get_by_label("Description").fill("Cleo's take: steam over the city")
    panels[1].get_by_label("Description").fill("Carl's take: a cold glass at dawn")
    panels[0].get_by_role("button", name="Save scene").click()
    panels[0].get_by_text("Saved scene 1.").wait_for()

    panels[1].get_by_role("button", name="Save scene").click()
    told = panels[1].get_by_text(re.compile(r"This scene was changed by cleo at \d\d:\d\d UTC"))
    told.wait_for()
    assert "your text is kept below — re-apply it." in told.inner_text()
    panels[1].get_by_text("Carl's take: a cold glass at dawn").wait_for()  # kept, to copy
    settle(carl)
    description = panels[1].get_by_label("Description")
    assert description.input_value() == "Cleo's take: steam over the city"  # what is saved
    assert _scenes(server, board)[0]["description"] == "Cleo's take: steam over the city"

    panels[1].get_by_role("button", name="Put my text back in the form").click()
    carl.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-storyboards_panel textarea')]"
        '.some(t => t.value === "Carl\'s take: a cold glass at dawn")'
    )
    settle(carl)
    panels[1].get_by_role("button", name="Save scene").click()
    panels[1].get_by_text("Saved scene 1.").wait_for()
    assert _scenes(server, board)[0]["description"] == "Carl's take: a cold glass at dawn"
    for page in (cleo, carl):
        page.context.close()
