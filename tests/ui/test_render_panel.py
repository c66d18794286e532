"""The render panel on the Storyboards page: money first (a paid render's quote, where it takes
the budget, confirmed before it starts; refused before Render when over budget) and progress
people trust (percent done, the time left of a running step). Free renders: see
test_storyboards_page.py; a paid render confirmed once per render: tests/integration."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.campaigns import campaigns
from core.models import Generation, utcnow
from core.storyboards import final_ad
from tests.utils.factories import (
    TINY_FIELDS,
    add_generation_rows,
    approve_storyboard,
    generation_row,
    make_storyboard,
)


@pytest.fixture
def board(session, people, campaign):
    made = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    return approve_storyboard(session, made, people["creative"], people["reviewer"])


def _open(screen, user, board):
    return screen("storyboards", user, query={"storyboard": board.id}).run()


def _paid(at):
    return at.selectbox(key="storyboards_video_model").set_value("bytedance/seedance-1-lite").run()


def _confirm(at):
    return [c for c in at.checkbox if c.key.startswith("storyboards_confirm_")]


def test_a_paid_render_says_where_it_takes_the_budget_and_waits_for_confirmation(
    screen, people, board, session, token
):
    at = _paid(_open(screen, people["creative"], board))
    assert "This takes Spring Launch to under 1 % of its $50.00 budget." in [
        c.value for c in at.main.caption
    ]
    [box] = _confirm(at)
    assert box.label.startswith("I confirm the estimated total of $0.")
    assert at.button(key="storyboards_render").disabled
    box.check().run()
    assert not at.button(key="storyboards_render").disabled
    assert session.exec(select(Generation)).all() == []  # nothing is spent before Render


def test_a_paid_render_over_budget_is_refused_before_render(
    screen, people, board, campaign, session, token
):
    campaigns.update_campaign(session=session, actor=people["admin"], campaign_id=campaign.id,
                              budget_usd=0.05)  # fmt: skip
    session.commit()
    at = _paid(_open(screen, people["creative"], board))
    [refusal] = [e.value for e in at.main.error]
    assert refusal.startswith("This would take Spring Launch over its $0.05 budget")
    assert refusal.endswith("Ask an admin to raise it, or pick a draft model (free).")
    assert not _confirm(at) and at.button(key="storyboards_render").disabled


def _mark(session, step: Generation, **values) -> None:
    session.execute(sa.update(Generation).where(Generation.id == step.id).values(**values))
    session.commit()


def test_a_render_in_progress_shows_percent_done_and_each_running_steps_time_left(
    screen, people, board, campaign, session, real_queue
):
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    by_kind = {}
    for step in plan.steps:
        by_kind.setdefault(str(step.kind), []).append(step)
    now = utcnow()
    # The draft video model usually takes 20 s here (an earlier clip, outside this render).
    earlier = now - timedelta(hours=1)
    add_generation_rows(session, [
        generation_row(campaign, None, "video", started_at=earlier,
                       finished_at=earlier + timedelta(seconds=20)),
    ])  # fmt: skip
    for frame in by_kind["image"]:  # both frames made, in 2 s each
        _mark(session, frame, status="succeeded", started_at=now - timedelta(seconds=5),
              finished_at=now - timedelta(seconds=3))  # fmt: skip
    _mark(session, by_kind["video"][0], status="running", started_at=now - timedelta(seconds=4))
    at = _open(screen, people["creative"], board)  # the real queue, no worker: nothing moves
    [bar] = at.main.get("progress")
    # Weighed by usual times: frames 2 s each (done), clips 20 s (one 4 s in), the music and
    # the final ad unknown here, so typical: (2 + 2 + 4) / (2 + 2 + 20 + 20 + 11 + 11), 12 %
    # (13 % if a second passes before the page is drawn).
    assert re.match(r"\d+ % done · 2 of 7 steps · spent so far \$0\.00", bar.proto.text)
    running = [c.value for c in at.main.caption if c.value.startswith("Draft video · ")]
    assert running == ["Draft video · about 15 s left"]


def test_the_voice_over_is_picked_in_the_panel_and_none_removes_it_from_the_quote(
    screen, people, board
):
    at = _open(screen, people["creative"], board)
    assert at.selectbox(key="storyboards_voice_model").value == "local/draft-voice"
    assert at.toggle(key="storyboards_captions").value is True
    assert "Voice · scene" in "\n".join(m.value for m in at.markdown)
    at.selectbox(key="storyboards_voice_model").set_value("none").run()
    assert "Voice · scene" not in "\n".join(m.value for m in at.markdown)
    assert at.toggle(key="storyboards_captions").proto.disabled  # no lines to caption
