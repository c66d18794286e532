"""Review: the queue, per-scene and whole-storyboard decisions with comments, the history with
who and when; creatives have no review screen and core refuses them; no one decides on their
own submission."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.errors import PermissionDenied
from core.models import Review, Storyboard
from core.storyboards import editing as sb
from core.storyboards import reviews
from tests.utils.factories import TINY_FIELDS, make_storyboard


def _board(session, actor, campaign, title="Tiny"):
    return make_storyboard(session, actor, campaign, TINY_FIELDS, title=title)


@pytest.fixture
def submitted(session, people, campaign):
    board = _board(session, people["creative"], campaign)
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    return board


def _status(session, board) -> str:
    session.expire_all()
    return session.get(Storyboard, board.id).status


def _text(at) -> str:
    parts = [*at.markdown, *at.caption, *at.success, *at.error, *at.info]
    return "\n".join(p.value for p in parts)


def test_the_queue_shows_a_submitted_storyboard_and_approving_it_approves(
    screen, people, submitted, session
):
    at = screen("review", people["reviewer"]).run()
    assert at.selectbox(key="review_board").options == ["Tiny · v1"]
    assert "submitted by cleo" in _text(at) and "Scene 1 · Hook · 2 s" in _text(at)
    key = f"review_{submitted.id}_v1"
    at.text_area(key=f"{key}_comment").input("Lovely")
    at.button(key=f"{key}_approve").click().run()
    assert at.success[0].value == "Approved 'Tiny'."
    assert _status(session, submitted) == "approved"
    assert "Nothing awaits your review." in _text(at)  # it left the queue
    assert not [i for i in at.info if "meanwhile" in i.value]  # their own decision
    decisions = session.exec(select(Review)).all()
    [board_level] = [d for d in decisions if d.scene_id is None]
    assert (board_level.reviewer_id, board_level.comment) == (people["reviewer"].id, "Lovely")
    # each scene's approval is kept too, so its creative sees it on the scene
    assert sorted(d.decision for d in decisions if d.scene_id) == ["approve", "approve"]


def test_scene_by_scene_with_changes_requested_and_the_history(screen, people, submitted, session):
    hook, end = sb.scenes_of(session, submitted.id)
    at = screen("review", people["admin"]).run()
    at.button(key=f"review_{hook.id}_v1_approve").click().run()
    assert at.success[0].value == "Approved scene 1."
    assert _status(session, submitted) == "in_review"  # not every scene yet
    at.button(key=f"review_{end.id}_v1_changes").click().run()
    assert "comment: say what should change" in at.error[0].value  # a comment is required
    at.text_input(key=f"review_{end.id}_v1_comment").input("Bigger logo")
    at.button(key=f"review_{end.id}_v1_changes").click().run()
    assert at.success[0].value == (
        "Asked for changes to scene 2. Every scene is decided: 'Tiny' goes back to its creative "
        "with the changes asked for."
    )
    assert _status(session, submitted) == "changes_requested"
    creative = screen("storyboards", people["creative"], query={"storyboard": submitted.id}).run()
    history = _text(creative)
    assert "**ada** · v1 · scene 1 · ✅ approved" in history
    assert "**ada** · v1 · scene 2 · ✏️ changes requested: “Bigger logo”" in history
    # ...and on the scene itself, where the creative edits it.
    assert "changes requested in v1 by ada: “Bigger logo”" in [w.value for w in creative.warning]
    reviews.submit(session=session, actor=people["creative"], storyboard_id=submitted.id)
    session.commit()
    creative.run()  # v2: the v1 request was answered, it no longer stands out
    assert not [w for w in creative.warning if "Bigger logo" in w.value]
    assert "✏️ changes requested in v1 by ada: “Bigger logo”" in _text(creative)


def test_a_reviewer_comments_on_several_scenes_before_it_goes_back(
    screen, people, submitted, session
):
    hook, end = sb.scenes_of(session, submitted.id)
    at = screen("review", people["admin"]).run()
    at.text_input(key=f"review_{end.id}_v1_comment").input("Bigger logo")
    at.text_input(key=f"review_{hook.id}_v1_comment").input("Warmer light").run()
    at.button(key=f"review_{hook.id}_v1_changes").click().run()
    assert at.success[0].value.startswith("Asked for changes to scene 1. Decide the other scenes")
    assert _status(session, submitted) == "in_review"
    assert at.text_input(key=f"review_{end.id}_v1_comment").value == "Bigger logo"  # kept
    assert "changes requested in v1 by ada: “Warmer light”" in [w.value for w in at.warning]
    at.button(key=f"review_{end.id}_v1_changes").click().run()
    assert at.success[0].value == (
        "Asked for changes to scene 2. Every scene is decided: 'Tiny' goes back to its creative "
        "with the changes asked for."
    )
    assert _status(session, submitted) == "changes_requested"


def test_nobody_reviews_their_own_submission(screen, people, campaign, session):
    board = _board(session, people["admin"], campaign, "Mine")
    reviews.submit(session=session, actor=people["admin"], storyboard_id=board.id)
    session.commit()
    at = screen("review", people["admin"]).run()
    assert "Nothing awaits your review." in _text(at)
    assert "1 storyboard you submitted awaits another reviewer" in _text(at)
    with pytest.raises(PermissionDenied, match="another reviewer must decide"):
        reviews.approve(session=session, actor=people["admin"], storyboard_id=board.id)


def test_creatives_have_no_review_screen_and_core_refuses_them(screen, people, submitted, session):
    at = screen("review", people["creative"]).run()
    assert [e.value for e in at.error] == ["Your role (creative) cannot review storyboards."]
    assert not at.button
    with pytest.raises(PermissionDenied, match="cannot review storyboards"):
        reviews.approve(session=session, actor=people["creative"], storyboard_id=submitted.id)
    assert _status(session, submitted) == "in_review"


def test_reviewers_see_where_the_storyboard_departs_from_its_brief(
    screen, people, campaign, session
):
    board = _board(session, people["creative"], campaign)
    hook = sb.scenes_of(session, board.id)[0]
    sb.update_scene(session=session, actor=people["creative"], scene_id=hook.id, duration_s=5)
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = screen("review", people["reviewer"]).run()
    [warning] = at.warning
    assert "Against the brief" in warning.value
    assert "The scenes add up to 7 s; the brief asks for 4 s." in warning.value


def test_a_whole_board_request_stands_out_where_the_creative_starts(
    screen, people, submitted, session
):
    reviews.request_changes(session=session, actor=people["reviewer"], storyboard_id=submitted.id,
                            comment="Rethink the swap scene")  # fmt: skip
    session.commit()
    creative = screen("storyboards", people["creative"], query={"storyboard": submitted.id}).run()
    assert "Changes requested on the whole storyboard (v1) by rita: “Rethink the swap scene”" in [
        w.value for w in creative.warning
    ]


def test_a_board_decided_meanwhile_by_another_reviewer_is_said(screen, people, submitted, session):
    at = screen("review", people["reviewer"]).run()
    assert at.selectbox(key="review_board").options == ["Tiny · v1"]
    reviews.approve(session=session, actor=people["admin"], storyboard_id=submitted.id)
    session.commit()
    at.run()  # e.g. the reviewer clicks on the page they still had open
    assert [i.value for i in at.info] == [
        "'Tiny' (v1) was decided meanwhile by another reviewer: it is approved. Anything you "
        "had not sent on it yet was not recorded.",
        "Nothing awaits your review.",
    ]
    at.run()
    assert [i.value for i in at.info] == ["Nothing awaits your review."]  # said once
