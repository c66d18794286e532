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
    assert at.text_input(key=f"review_{hook.id}_v1_comment").value == ""  # sent: not twice
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


def _asked(session, people, board, scene, comment="Bigger logo"):
    reviews.review_scene(session=session, actor=people["reviewer"], storyboard_id=board.id,
                         scene_id=scene.id, decision="request_changes",
                         comment=comment)  # fmt: skip
    session.commit()
    return next(
        r
        for r in reviews.history(session=session, actor=people["reviewer"], storyboard_id=board.id)
        if r.comment == comment
    )


def test_another_reviewer_replies_under_a_scenes_comment(screen, people, submitted, session):
    hook, _end = sb.scenes_of(session, submitted.id)
    asked = _asked(session, people, submitted, hook)
    at = screen("review", people["admin"]).run()
    form = f"thread_{asked.id}_form_0"
    at.button(key=f"FormSubmitter:{form}-Send reply").click().run()
    assert "reply: write something first" in at.error[0].value
    assert not session.exec(select(Review).where(Review.decision == "reply")).all()
    at.text_area(key=f"{form}_text").input("Agreed, twice the size.")
    at.button(key=f"FormSubmitter:{form}-Send reply").click().run()
    assert "Reply sent." in [s.value for s in at.success]
    assert "↳ **ada** replied" in "\n".join(c.value for c in at.caption)
    assert "“Agreed, twice the size.”" in "\n".join(c.value for c in at.caption)
    # A fresh form for the next reply, and the reply is no decision: scene 1 still waits on one.
    assert at.text_area(key=f"thread_{asked.id}_form_1_text").value == ""
    assert sb.scenes_of(session, submitted.id)[0].review_status == "changes_requested"


def test_the_creative_replies_from_the_history_and_reviewers_see_the_thread(
    screen, people, submitted, session
):
    hook, end = sb.scenes_of(session, submitted.id)
    asked = _asked(session, people, submitted, hook)
    reviews.review_scene(session=session, actor=people["reviewer"], storyboard_id=submitted.id,
                         scene_id=end.id, decision="approve")  # fmt: skip
    session.commit()  # every scene decided: back to its creative
    creative = screen("storyboards", people["creative"], query={"storyboard": submitted.id}).run()
    assert creative.selectbox(key="history_reply_form_0_to").value == asked.id
    creative.text_area(key="history_reply_form_0_text").input("Logo at 20% now.")
    creative.button(key="FormSubmitter:history_reply_form_0-Send reply").click().run()
    assert "Reply sent." in [s.value for s in creative.success]
    history = _text(creative)
    assert "✏️ changes requested: “Bigger logo”\n    - ↳ **cleo** replied" in history
    # ...and under the comment on the scene itself, where the creative works on it
    assert any(c.value.startswith("↳ **cleo** replied") for c in creative.caption)
    reviews.submit(session=session, actor=people["creative"], storyboard_id=submitted.id)
    session.commit()
    at = screen("review", people["reviewer"]).run()
    assert "↳ **cleo** replied" in _text(at) and "“Logo at 20% now.”" in _text(at)


def test_a_reviewer_sees_what_changed_since_their_last_decision(screen, people, submitted, session):
    hook, end = sb.scenes_of(session, submitted.id)
    _asked(session, people, submitted, hook)
    reviews.request_changes(session=session, actor=people["reviewer"], storyboard_id=submitted.id,
                            comment="")  # fmt: skip
    sb.update_scene(session=session, actor=people["creative"], scene_id=hook.id,
                    description="A cold can, logo twice the size.")  # fmt: skip
    sb.add_scene(session=session, actor=people["creative"], storyboard_id=submitted.id,
                 title="Tagline")  # fmt: skip
    reviews.submit(session=session, actor=people["creative"], storyboard_id=submitted.id)
    session.commit()
    at = screen("review", people["reviewer"]).run()
    labels = {e.label: e.proto.expanded for e in at.expander}
    assert labels["Changed since v1: description"] is True
    assert labels["New since v1"] is True
    assert labels["Unchanged since v1"] is False  # the end card: nothing to look at again
    diff = next(m.value for m in at.markdown if m.value.startswith("**Description:**"))
    # rewritten: the old text struck through on red, the new on green
    assert diff.endswith("scroll\\.~~] :green-background[A cold can, logo twice the size\\.]")
    # A reviewer who never decided on it sees no comparison.
    fresh = screen("review", people["admin"]).run()
    assert not [e for e in fresh.expander if "since v1" in e.label]


def test_a_reviewer_watches_the_animatic_before_deciding(screen, people, submitted, session):
    at = screen("review", people["reviewer"]).run()
    assert at.button(key="review_animatic_make").label == "Make animatic (free)"
    at.button(key="review_animatic_make").click().run()
    assert not at.exception
    assert at.get("video") and "Made from v1 · 4 s" in _text(at)
    assert not [b for b in at.button if b.key == "review_animatic_make"]  # it is up to date
    assert _status(session, submitted) == "in_review"  # watching changes nothing
