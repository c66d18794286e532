"""Showcase: approved storyboards with their finished ads playing inline, for every role."""

from __future__ import annotations

import pytest

from core.storyboards import editing as sb
from core.storyboards import final_ad, reviews
from tests.utils.factories import TINY_FIELDS, approve_storyboard, make_storyboard
from tests.utils.screens import video_widths
from ui.media import PORTRAIT_WIDTH


def _board(session, people, campaign, title, *, approve=True):
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS, title=title)
    if approve:
        approve_storyboard(session, board, people["creative"], people["reviewer"])
    return board


def _text(at) -> str:
    return "\n".join(p.value for p in [*at.subheader, *at.caption, *at.markdown, *at.info])


def test_a_storyboard_rendered_on_its_screen_plays_on_the_showcase(
    screen, people, campaign, session
):
    board = _board(session, people, campaign, "Rendered ad")
    at = screen("storyboards", people["creative"], query={"storyboard": board.id}).run()
    at.button(key="storyboards_render").click().run()  # a free render: nothing to confirm
    assert not at.exception
    show = screen("showcase", people["viewer"]).run()
    assert not show.exception and not show.error
    assert [s.value for s in show.subheader] == ["Rendered ad"]
    assert len(show.get("video")) == 1
    assert "**Draft** · 16:9 · 4 s" in _text(show)  # every render says which it is
    assert "Acme Drinks · Spring Launch · v1" in _text(show)
    assert "Draft render (offline engine)" in _text(show)  # not passed off as the final look
    assert "Render cost $0.00 (frames, clips, music)" in _text(show)


def test_a_portrait_ad_plays_in_a_narrow_box_beside_a_full_width_landscape_one(
    screen, people, campaign, session
):
    board = _board(session, people, campaign, "Tall ad")
    board.aspect_ratio = "9:16"
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                  extra_ratios=("16:9",))  # fmt: skip
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert [c.value for c in at.caption if c.value.endswith(" s")] == [
        "**Draft** · 9:16 · 4 s",
        "**Draft** · 16:9 · 4 s",
    ]
    assert video_widths(at) == [PORTRAIT_WIDTH, "stretch"]


def test_only_approved_storyboards_show_and_unrendered_ones_say_so(
    screen, people, campaign, session
):
    _board(session, people, campaign, "Draft only", approve=False)
    _board(session, people, campaign, "Approved, not rendered")
    at = screen("showcase", people["viewer"]).run()
    assert [s.value for s in at.subheader] == ["Approved, not rendered"]
    assert "the finished ad has not been rendered yet" in _text(at)
    assert not at.get("video")


def test_an_edit_after_approval_takes_it_off_the_showcase(screen, people, campaign, session):
    board = _board(session, people, campaign, "Edited later")
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    assert len(screen("showcase", people["viewer"]).run().get("video")) == 1
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         title="Edited later, v2")  # fmt: skip
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert "Nothing to show yet" in _text(at) and not at.get("video")


def test_a_render_from_before_a_later_approval_is_not_shown_as_the_current_version(
    screen, people, campaign, session
):
    board = _board(session, people, campaign, "Reframed")  # v1, 16:9
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         aspect_ratio="9:16")  # fmt: skip
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert "Acme Drinks · Spring Launch · v2" in _text(at)
    assert not at.get("video")  # the 16:9 ad of v1 is not the approved v2
    assert "Not rendered since v2 was approved" in _text(at)
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert len(at.get("video")) == 1
    assert [c.value for c in at.caption if c.value.endswith(" s")] == ["**Draft** · 9:16 · 4 s"]
    assert "Not rendered since" not in _text(at)


@pytest.mark.parametrize("role", ["admin", "creative", "reviewer", "viewer"])
def test_every_role_may_watch(screen, people, campaign, role):
    at = screen("showcase", people[role]).run()
    assert not at.error and "Nothing to show yet" in _text(at)
