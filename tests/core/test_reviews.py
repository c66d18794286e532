"""Every allowed and refused transition of the review state machine."""

import pytest

from core.errors import Conflict, PermissionDenied, ValidationError
from core.services import reviews
from core.services import storyboards as sb
from tests.utils.briefs import SPRING_FIELDS
from tests.utils.factories import make_storyboard


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, SPRING_FIELDS)


def _submit(session, people, board):
    return reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)


def test_submit_makes_a_readable_version_and_enters_review(session, people, board):
    _submit(session, people, board)
    assert (board.status, board.version) == ("in_review", 1)
    (version,) = reviews.versions(session=session, actor=people["viewer"], storyboard_id=board.id)
    assert version.version == 1 and len(version.snapshot["scenes"]) == 6
    queue = reviews.review_queue(session=session, actor=people["reviewer"])
    assert [b.id for b in queue] == [board.id]


def test_scene_by_scene_approval_approves_the_board_when_every_scene_is(session, people, board):
    _submit(session, people, board)
    scenes = sb.scenes_of(session, board.id)
    for scene in scenes[:-1]:
        reviews.review_scene(
            session=session,
            actor=people["reviewer"],
            storyboard_id=board.id,
            scene_id=scene.id,
            decision="approve",
        )
        assert board.status == "in_review"
    reviews.review_scene(
        session=session,
        actor=people["admin"],
        storyboard_id=board.id,
        scene_id=scenes[-1].id,
        decision="approve",
        comment="Lovely",
    )
    assert board.status == "approved" and board.approved_at is not None
    log = reviews.history(session=session, actor=people["viewer"], storyboard_id=board.id)
    assert len(log) == 6 and {r.reviewer_id for r in log} == {
        people["reviewer"].id,
        people["admin"].id,
    }


def _decide(session, people, board, scene, decision, comment=""):
    return reviews.review_scene(session=session, actor=people["reviewer"], storyboard_id=board.id,
                                scene_id=scene.id, decision=decision, comment=comment)  # fmt: skip


def test_changes_on_a_scene_wait_for_the_other_scenes_then_resubmit_is_version_2(
    session, people, board
):
    _submit(session, people, board)
    scenes = sb.scenes_of(session, board.id)
    with pytest.raises(ValidationError, match="say what should change"):
        _decide(session, people, board, scenes[1], "request_changes")
    _decide(session, people, board, scenes[1], "request_changes", "Brighter")
    _decide(session, people, board, scenes[3], "request_changes", "Shorter")
    assert board.status == "in_review"  # the reviewer goes on through the other scenes
    for scene in (scenes[0], scenes[2], scenes[4]):
        _decide(session, people, board, scene, "approve")
    assert board.status == "in_review"
    _decide(session, people, board, scenes[5], "approve")
    assert board.status == "changes_requested"  # every scene decided, two need changes
    for scene, prompt in ((scenes[1], "Brighter kitchen"), (scenes[3], "A quick pour")):
        sb.update_scene(session=session, actor=people["creative"], scene_id=scene.id,
                        image_prompt=prompt)  # fmt: skip
    _submit(session, people, board)
    assert (board.status, board.version) == ("in_review", 2)
    # The scenes approved and left alone keep their approval; the changed ones are pending.
    assert [s.review_status for s in sb.scenes_of(session, board.id)] == [
        "approved", "pending", "approved", "pending", "approved", "approved"
    ]  # fmt: skip
    old, new = reviews.versions(session=session, actor=people["viewer"], storyboard_id=board.id)
    assert old.snapshot["scenes"][1]["image_prompt"] != "Brighter kitchen"
    assert new.snapshot["scenes"][1]["image_prompt"] == "Brighter kitchen"
    _decide(session, people, board, scenes[1], "approve")
    _decide(session, people, board, scenes[3], "approve")
    assert board.status == "approved"


def test_scene_comments_can_be_sent_back_at_once_without_another_comment(session, people, board):
    _submit(session, people, board)
    scenes = sb.scenes_of(session, board.id)
    _decide(session, people, board, scenes[2], "request_changes", "Show the can")
    reviews.request_changes(session=session, actor=people["reviewer"], storyboard_id=board.id,
                            comment="")  # fmt: skip
    assert board.status == "changes_requested"


def test_an_approved_board_edited_in_one_scene_needs_only_that_scene_again(session, people, board):
    _submit(session, people, board)
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    scene = sb.scenes_of(session, board.id)[4]
    sb.update_scene(session=session, actor=people["creative"], scene_id=scene.id, duration_s=4)
    assert board.status == "draft"
    _submit(session, people, board)
    statuses = [s.review_status for s in sb.scenes_of(session, board.id)]
    assert statuses == ["approved"] * 4 + ["pending", "approved"]
    _decide(session, people, board, scene, "approve")
    assert board.status == "approved"


def test_whole_board_request_changes_needs_a_comment(session, people, board):
    _submit(session, people, board)
    with pytest.raises(ValidationError):
        reviews.request_changes(
            session=session, actor=people["reviewer"], storyboard_id=board.id, comment=" "
        )
    reviews.request_changes(
        session=session, actor=people["reviewer"], storyboard_id=board.id, comment="Too long"
    )
    assert board.status == "changes_requested"


@pytest.mark.parametrize("role", ["creative", "viewer"])
def test_only_reviewers_and_admins_decide(session, people, board, role):
    _submit(session, people, board)
    with pytest.raises(PermissionDenied, match="cannot review"):
        reviews.approve(session=session, actor=people[role], storyboard_id=board.id)


def test_nobody_approves_their_own_submission(session, people, board):
    reviews.submit(session=session, actor=people["admin"], storyboard_id=board.id)
    with pytest.raises(PermissionDenied, match="another reviewer"):
        reviews.approve(session=session, actor=people["admin"], storyboard_id=board.id)
    assert reviews.review_queue(session=session, actor=people["admin"]) == []


def test_refused_transitions(session, people, board):
    with pytest.raises(Conflict, match="not awaiting review"):
        reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    _submit(session, people, board)
    with pytest.raises(Conflict, match="can be submitted"):
        _submit(session, people, board)
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    with pytest.raises(Conflict, match="can be submitted"):
        _submit(session, people, board)
    with pytest.raises(Conflict, match="not awaiting review"):
        reviews.request_changes(
            session=session, actor=people["reviewer"], storyboard_id=board.id, comment="late"
        )
    with pytest.raises(PermissionDenied):
        reviews.submit(session=session, actor=people["reviewer"], storyboard_id=board.id)
