"""Every allowed and refused transition of the review state machine."""

import threading

import pytest

from core.db import session_scope
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import Storyboard
from core.storyboards import editing as sb
from core.storyboards import frames, reviews
from tests.utils.factories import SPRING_FIELDS, make_storyboard


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, SPRING_FIELDS)


def _submit(session, people, board):
    return reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)


def test_submit_makes_a_readable_version_and_enters_review(session, people, board):
    _submit(session, people, board)
    assert (board.status, board.version) == ("in_review", 1)
    (version,) = reviews.versions(session=session, actor=people["reviewer"], storyboard_id=board.id)
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
    log = reviews.history(session=session, actor=people["reviewer"], storyboard_id=board.id)
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
    old, new = reviews.versions(session=session, actor=people["reviewer"], storyboard_id=board.id)
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


def test_approving_the_whole_board_leaves_a_scene_with_changes_requested_to_go_back(
    session, people, board
):
    _submit(session, people, board)
    scene = sb.scenes_of(session, board.id)[1]
    _decide(session, people, board, scene, "request_changes", "Logo is wrong")
    done = reviews.approve(session=session, actor=people["admin"], storyboard_id=board.id)
    assert done.status == "changes_requested"  # not approved over the other reviewer's request
    statuses = [s.review_status for s in sb.scenes_of(session, board.id)]
    assert statuses.count("changes_requested") == 1 and statuses.count("approved") == 5


def _approved(session, people, board):
    _submit(session, people, board)
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)


def _pending_after_resubmit(session, people, board) -> list[int]:
    _submit(session, people, board)
    return [s.position for s in sb.scenes_of(session, board.id) if s.review_status == "pending"]


def test_a_new_frame_is_a_change_that_needs_review_again(session, people, board):
    creative = people["creative"]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    _approved(session, people, board)
    scene = sb.scenes_of(session, board.id)[0]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id,
                           scene_id=scene.id)  # fmt: skip
    assert _pending_after_resubmit(session, people, board) == [0]


def test_board_wide_settings_or_a_new_order_send_every_scene_back(session, people, board):
    _approved(session, people, board)
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         aspect_ratio="9:16")  # fmt: skip
    assert _pending_after_resubmit(session, people, board) == list(range(6))
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    first = sb.scenes_of(session, board.id)[0]
    sb.move_scene(session=session, actor=people["creative"], scene_id=first.id, position=3)
    assert _pending_after_resubmit(session, people, board) == list(range(6))


def test_an_added_scene_alone_needs_review_and_the_others_keep_approval(session, people, board):
    _approved(session, people, board)
    sb.add_scene(session=session, actor=people["creative"], storyboard_id=board.id, position=0,
                 title="Cold open", description="A fizzing glass", duration_s=2)  # fmt: skip
    assert _pending_after_resubmit(session, people, board) == [0]


def test_a_scene_with_decisions_can_be_deleted_and_they_stay_in_the_history(session, people, board):
    _submit(session, people, board)
    scene = sb.scenes_of(session, board.id)[2]
    _decide(session, people, board, scene, "request_changes", "Cut this scene")
    reviews.request_changes(session=session, actor=people["reviewer"], storyboard_id=board.id,
                            comment="")  # fmt: skip
    sb.delete_scene(session=session, actor=people["creative"], scene_id=scene.id)
    assert len(sb.scenes_of(session, board.id)) == 5
    [kept] = [
        r
        for r in reviews.history(session=session, actor=people["reviewer"], storyboard_id=board.id)
        if r.comment == "Cut this scene"
    ]
    assert (kept.scene_id, kept.scene_title) == (None, scene.title)  # fmt: skip


def test_two_reviewers_deciding_the_last_scenes_at_once_settle_the_board(session, people, board):
    _submit(session, people, board)
    *first, second_last, last = sb.scenes_of(session, board.id)
    for scene in first:
        _decide(session, people, board, scene, "approve")
    session.commit()
    errors: list[Exception] = []

    def other_reviewer():
        try:
            with session_scope() as other:
                reviews.review_scene(session=other, actor=people["admin"], storyboard_id=board.id,
                                     scene_id=last.id, decision="approve")  # fmt: skip
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    with session_scope() as mine:
        reviews.review_scene(session=mine, actor=people["reviewer"], storyboard_id=board.id,
                             scene_id=second_last.id, decision="approve")  # fmt: skip
        thread = threading.Thread(target=other_reviewer)
        thread.start()
        thread.join(timeout=0.5)  # the other decision waits for this one's commit
        assert thread.is_alive()
    thread.join()
    assert errors == []
    with session_scope() as fresh:
        assert fresh.get(Storyboard, board.id).status == "approved"


def test_the_history_of_a_whole_board_approval_that_went_back_says_what_happened(
    session, people, board
):
    _submit(session, people, board)
    asked = sb.scenes_of(session, board.id)[1]
    _decide(session, people, board, asked, "request_changes", "Logo is wrong")
    reviews.approve(session=session, actor=people["admin"], storyboard_id=board.id,
                    comment="The rest is lovely")  # fmt: skip
    rows = reviews.history(session=session, actor=people["reviewer"], storyboard_id=board.id)
    board_level = [(r.decision, r.comment) for r in rows if r.scene_id is None]
    assert board_level == [("comment", "The rest is lovely")]  # no approval that did not happen
    approved = {r.scene_id for r in rows if r.decision == "approve"}
    assert len(approved) == 5 and asked.id not in approved
