"""Share links on the real server, in a real browser without an account: a guest on a phone
plays the final ad and approves it with their name, and the team sees it (the creative, signed
in in another browser context, on the Showcase's share panel); a revoked and an expired link
say so and show no video; the video answers byte ranges for seeking."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from core.models import ShareLink, table_of, utcnow
from tests.e2e.conftest import cli, settle, sign_in

pytestmark = pytest.mark.e2e
BRIEF = """# Sunrise Cold Brew — teaser

**Brand:** Sunrise Coffee
**Objective:** Introduce the new cold brew to commuters.
**Key messages:**
- Smooth, never bitter
**Duration:** 4 seconds
**Aspect ratio:** 16:9
"""
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}  # fmt: skip


@pytest.fixture(scope="module")
def ad(server, tmp_path_factory) -> dict:
    """A rendered final ad (draft engine, 480p), made through the command line."""
    cli(server, "client", "add", "Sunrise Coffee", "--palette", "#F2A65A,#2E1F27")
    cli(server, "campaign", "add", "--client", "Sunrise Coffee", "--name", "Cold Brew Launch")
    for name, role in (("cleo", "creative"), ("rita", "reviewer")):
        cli(server, "user", "add", name, "--role", role, "--password", f"{name}-pass-123")
    brief = tmp_path_factory.mktemp("brief") / "sunrise.md"
    brief.write_text(BRIEF)
    board = json.loads(cli(server, "storyboard", "from-brief", str(brief), "--campaign",
                           "Cold Brew Launch", "--as", "cleo"))  # fmt: skip
    cli(server, "storyboard", "submit", board["id"], "--as", "cleo")
    cli(server, "storyboard", "approve", board["id"], "--as", "rita")
    made = json.loads(cli(server, "render", board["id"], "--resolution", "480p", "--wait",
                          "--timeout", "300", "--as", "cleo"))  # fmt: skip
    assert made["status"] == "succeeded", made["error"]
    return made


def _share(server, ad: dict) -> tuple[str, str]:
    """(the link on this server, its id); made as the CLI prints it (STUDIO_PUBLIC_URL unset)."""
    made = json.loads(cli(server, "share", "create", ad["id"], "--as", "cleo"))
    assert made["url"].startswith("http://localhost:8501/share/")
    return server["url"] + made["url"].removeprefix("http://localhost:8501"), made["id"]


def test_a_guest_on_a_phone_plays_the_ad_and_approves_it(server, browser, ad):
    url, link_id = _share(server, ad)
    context = browser.new_context(**PHONE)  # no login cookie: a guest
    page = context.new_page()
    page.set_default_timeout(30_000)
    opened = page.goto(url)
    assert opened is not None and opened.status == 200
    page.get_by_role("heading", name="Sunrise Cold Brew").wait_for()
    page.get_by_text("Sunrise Coffee · Cold Brew Launch").wait_for()
    page.get_by_text("Introduce the new cold brew to commuters.").wait_for()

    video = page.locator("video")
    assert video.get_attribute("playsinline") is not None and video.get_attribute("poster")
    assert video.bounding_box()["width"] <= 390  # fits the phone's screen
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.3")
    duration = video.evaluate("v => v.duration")
    assert duration == pytest.approx(4.0, abs=0.3)
    video.evaluate("v => { v.currentTime = 3; }")  # seeking: ranges of the file
    page.wait_for_function("() => document.querySelector('video').currentTime >= 3")
    poster = page.request.get(url + "/poster")
    assert poster.status == 200 and poster.headers["content-type"] == "image/jpeg"

    page.get_by_label("Your name").fill("Dana from Sunrise")
    page.get_by_role("button", name="Request changes").click()  # without saying which
    page.get_by_text("Say what you would change").wait_for()
    # The refused answer's page still plays the ad and sends the form to its own link.
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    assert page.get_by_label("Your name").input_value() == "Dana from Sunrise"
    page.get_by_label("Comment").fill("Ship it!")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Thank you: your approval was sent to the team.").wait_for()
    context.close()

    listed = json.loads(cli(server, "share", "list", ad["id"], "--as", "rita"))
    mine = next(link for link in listed if link["id"] == link_id)
    assert mine["views"] == 1
    assert [(r["guest_name"], r["decision"], r["comment"]) for r in mine["responses"]] == [
        ("Dana from Sunrise", "approve", "Ship it!")
    ]


def _guest_answers(browser, url: str, name: str, comment: str) -> None:
    guest = browser.new_context(**PHONE)  # no login cookie: a guest
    page = guest.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Thank you: your approval was sent to the team.").wait_for()
    guest.close()


def test_a_guests_approval_shows_on_the_creatives_showcase(server, browser, ad):
    url, _ = _share(server, ad)
    _guest_answers(browser, url, "Priya at Sunrise", "Lovely ending, approved for launch.")
    team = browser.new_context(viewport={"width": 1400, "height": 1000})  # another browser
    page = team.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server["url"], "cleo", "cleo-pass-123")
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Showcase").click()
    page.get_by_role("heading", name="Showcase").first.wait_for()
    settle(page)
    page.get_by_role("button", name="Play").first.wait_for()  # a real frame until played
    panel = page.get_by_test_id("stExpander").filter(has_text="Share links")
    panel.get_by_text("approved", exact=False).first.wait_for()  # counted in its label
    panel.locator("summary").first.click()
    table = panel.get_by_test_id("stDataFrame").filter(has_text="Priya at Sunrise")
    table.wait_for()
    # The grid draws on a canvas; its cells' text is in the page for screen readers.
    row = table.locator("tr", has_text="Priya at Sunrise")
    cells = [c.strip() for c in row.locator("td[role=gridcell]").all_inner_texts()]
    assert cells[:3] == ["Priya at Sunrise", "✅ Approved", "Lovely ending, approved for launch."]
    team.close()


def _expire(server, link_id: str) -> None:
    """As if its days had passed: the server's own database says it ended a minute ago."""
    engine = sa.create_engine(f"sqlite:///{Path(server['data']) / 'studio.db'}")
    with engine.begin() as conn:
        table = table_of(ShareLink)
        conn.execute(sa.update(table).where(table.c.id == link_id)
                     .values(expires_at=utcnow() - timedelta(minutes=1)))  # fmt: skip
    engine.dispose()


@pytest.mark.parametrize(("close", "says"), [("revoke", "This link was revoked."),
                                             ("expire", "This link has expired.")])  # fmt: skip
def test_a_closed_link_says_so_and_shows_no_video(server, page, ad, close, says):
    url, link_id = _share(server, ad)
    if close == "revoke":
        revoked = json.loads(cli(server, "share", "revoke", link_id, "--as", "cleo"))
        assert revoked["state"] == "revoked"
    else:
        _expire(server, link_id)
    opened = page.goto(url)
    assert opened is not None and opened.status == 410
    page.get_by_role("heading", name=says).wait_for()
    assert page.locator("video, img, form").count() == 0
    assert "Sunrise" not in page.content()
    for media in ("video", "poster"):
        assert page.request.get(f"{url}/{media}").status == 410


def test_the_video_answers_a_range_with_its_bytes(server, ad):
    url, _ = _share(server, ad)
    data = Path(ad["media"]["path"]).read_bytes()
    part = httpx.get(f"{url}/video", headers={"Range": "bytes=1000-2999"}, timeout=30)
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-2999/{len(data)}"
    assert part.headers["accept-ranges"] == "bytes"
    assert part.content == data[1000:3000]
    page = httpx.get(url, timeout=30).text
    assert ad["id"] not in page and ad["media"]["sha256"] not in page
