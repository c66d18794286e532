"""A paid render in a real browser, on the project's fake Replicate (real HTTP, real client,
a few seconds of latency a prediction): the creative picks a Replicate video model, confirms the
quote (frames on a paid model included), and watches each step appear as it finishes before the
final ad plays; a second render is canceled from the panel, its predictions with it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import app_server, cli, settle, sign_in
from tests.integration.fake_replicate import TOKEN, FakeReplicate
from tests.utils.processes import serving

pytestmark = pytest.mark.e2e
LATENCY_S = 3.0
RENDER_TIMEOUT_MS = 180_000
BRIEF = """# Dawn Run — teaser

**Brand:** Trailhead
**Objective:** Tease the new trail shoe.
**Audience:** Runners aged 25-45
**Key messages:**
- Grip on wet rock
- Light as air
**Tone:** Bold
**Duration:** 8 seconds
**Aspect ratio:** 16:9
**Call to action:** Run the trail first
"""


@pytest.fixture(scope="module")
def fake():
    replicate = FakeReplicate()
    replicate.script.latency_s = LATENCY_S
    with serving(replicate.app) as url:
        replicate.base_url = url
        yield replicate


@pytest.fixture(scope="module")
def paid_server(tmp_path_factory, fake):
    data = tmp_path_factory.mktemp("e2e-paid")
    with app_server(data, REPLICATE_API_TOKEN=TOKEN, REPLICATE_BASE_URL=fake.base_url,
                    STUDIO_POLL_INTERVAL_S="0.5") as served:  # fmt: skip
        yield served


def _approved_storyboard(server, tmp_path) -> str:
    cli(server, "client", "add", "Trailhead", "--palette", "#1B4332,#F4A261")
    cli(server, "campaign", "add", "--client", "Trailhead", "--name", "Dawn Run")
    for name, role in (("cleo", "creative"), ("rita", "reviewer")):
        cli(server, "user", "add", name, "--role", role, "--password", f"{name}-pass-123")
    brief = tmp_path / "dawn.md"
    brief.write_text(BRIEF)
    board = json.loads(cli(server, "storyboard", "from-brief", str(brief), "--campaign",
                           "Dawn Run", "--as", "cleo"))  # fmt: skip
    cli(server, "storyboard", "submit", board["id"], "--as", "cleo")
    cli(server, "storyboard", "approve", board["id"], "--as", "rita")
    return board["id"]


def _pick(page, label: str, option: str) -> None:
    choice = page.get_by_role("option", name=option)
    for _ in range(3):  # a rerun that lands as the list opens closes it again: open it again
        settle(page)
        page.get_by_test_id("stSelectbox").filter(has_text=label).click()
        try:
            choice.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    choice.click()
    settle(page)


def _start_render(page) -> None:
    # While a rerun lasts, the quote an earlier run drew (before the model changed) can linger
    # beside the new one: wait for the one quote.
    page.wait_for_function(
        "() => [...document.querySelectorAll('p')].filter(p => "
        "p.textContent.startsWith('I confirm the estimated total')).length == 1"
    )
    page.get_by_text("I confirm the estimated total").click()
    settle(page)
    page.get_by_role("button", name="Render final ad").click()


def test_a_paid_render_shows_its_steps_as_they_finish_then_plays(paid_server, fake, page, tmp_path):
    _approved_storyboard(paid_server, tmp_path)
    sign_in(page, paid_server["url"], "cleo", "cleo-pass-123")
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Storyboards").click()
    settle(page)
    _pick(page, "Video model", "Seedance 1 Lite (ByteDance)")
    page.get_by_text(re.compile(r"Frame · scene 1 · Nano Banana \(Google\) · \$0\.04")).wait_for()
    _start_render(page)
    # Part-way: some steps done and shown (a frame's thumbnail) while others still run.
    part_way = re.compile(r"^\d+ % done · [1-9]\d* of \d+ steps")
    page.get_by_text(part_way).first.wait_for(timeout=60_000)
    assert page.get_by_text(re.compile(r"spent so far \$0\.[0-9]{2}")).count() >= 1
    page.get_by_test_id("stImage").first.wait_for()
    assert page.get_by_text("⚙️ running").count() + page.get_by_text("🕓 queued").count() > 0
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')].some(v => v.duration > 7.5)",
        timeout=RENDER_TIMEOUT_MS,
    )
    made = {model for model, _ in fake.creates}
    assert made == {"google/nano-banana", "bytedance/seedance-1-lite"}  # music: draft default

    # A second render, canceled part-way: its predictions are canceled on Replicate too.
    _start_render(page)
    page.get_by_role("button", name="Cancel render").click(timeout=60_000)
    page.get_by_text(re.compile(r"Render canceled: \d+ unfinished steps stopped\.")).wait_for()
    page.get_by_role("button", name="Resume render").wait_for()
    asked = [p for p in fake.predictions.values() if p.status == "canceled"]
    assert asked, "no prediction was canceled on Replicate"
