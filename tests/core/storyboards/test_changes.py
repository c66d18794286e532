"""What changed since a reviewer last decided: a word diff per field, both frames, scenes new,
removed or moved, the board's settings; measured from that reviewer's own last decision."""

import pytest

from core.storyboards import changes, reviews
from core.storyboards import editing as sb
from tests.utils.factories import (
    SPRING_FIELDS,
    add_generation_rows,
    generation_row,
    make_storyboard,
)


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, SPRING_FIELDS)


def _submit(session, people, board):
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()


def _send_back(session, people, board, reviewer="reviewer"):
    reviews.request_changes(session=session, actor=people[reviewer], storyboard_id=board.id,
                            comment="Tighten it")  # fmt: skip
    session.commit()


def _frame(session, campaign, people, scene, prompt):
    row = generation_row(campaign, people["creative"], "image", prompt=prompt, scene_id=scene.id)
    return add_generation_rows(session, [row])[0]


def _since(session, people, board, who="reviewer"):
    return changes.since_last_decision(session=session, actor=people[who], storyboard_id=board.id)


def test_a_reviewer_sees_what_changed_in_each_scene_since_their_decision(
    session, people, campaign, board
):
    scenes = sb.scenes_of(session, board.id)
    old_frame = _frame(session, campaign, people, scenes[0], "can on ice")
    _submit(session, people, board)
    _send_back(session, people, board)
    sb.update_scene(session=session, actor=people["creative"], scene_id=scenes[0].id,
                    description=scenes[0].description.replace("arresting", "icy"),
                    duration_s=scenes[0].duration_s + 1)  # fmt: skip
    new_frame = _frame(session, campaign, people, scenes[0], "can on crushed ice")
    sb.delete_scene(session=session, actor=people["creative"], scene_id=scenes[2].id)
    added = sb.add_scene(session=session, actor=people["creative"], storyboard_id=board.id,
                         title="Tagline", description="The logo.")  # fmt: skip
    _submit(session, people, board)

    found = _since(session, people, board)
    assert (found.since, found.version) == (1, 2) and found.anything
    first = found.of(scenes[0].id)
    assert first is not None and first.state == "changed"
    assert {f.label for f in first.fields} == {"Description", "Duration"}
    described = next(f for f in first.fields if f.name == "description")
    assert described.after == scenes[0].description
    # a word diff, not the whole text
    assert described.pieces[1:3] == [("removed", "arresting"), ("added", "icy")]
    assert "".join(t for k, t in described.pieces if k != "removed") == described.after
    assert "".join(t for k, t in described.pieces if k != "added") == described.before
    assert (first.frame_changed, first.frame_before.id, first.frame_after.id) == (
        True, old_frame.id, new_frame.id)  # fmt: skip
    assert found.of(scenes[1].id).state == "same"
    new = found.of(added.id)
    assert (new.state, new.number) == ("new", len(scenes))
    [removed] = found.removed
    assert (removed.scene_id, removed.title, removed.number) == (scenes[2].id, scenes[2].title, 3)
    # the scenes after the deleted one moved up a place
    assert found.of(scenes[3].id).moved_from == 4 and found.of(scenes[3].id).state == "changed"


def test_board_settings_changes_are_listed(session, people, board):
    _submit(session, people, board)
    _send_back(session, people, board)
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         call_to_action="Grab one today", transition="crossfade")  # fmt: skip
    _submit(session, people, board)
    found = _since(session, people, board)
    assert {(f.label, f.after) for f in found.board} == {
        ("Call to action", "Grab one today"), ("Transition", "crossfade")}  # fmt: skip
    assert all(s.state == "same" for s in found.scenes)


def test_the_baseline_is_this_reviewers_own_last_decision(session, people, board):
    _submit(session, people, board)
    _send_back(session, people, board, reviewer="admin")  # v1: the admin decided, not rita
    scene = sb.scenes_of(session, board.id)[0]
    sb.update_scene(session=session, actor=people["creative"], scene_id=scene.id, title="Open")
    _submit(session, people, board)
    never = _since(session, people, board)
    assert never.since is None and not never.anything and never.scenes == []
    admin = _since(session, people, board, who="admin")
    assert admin.since == 1 and admin.of(scene.id).state == "changed"


def test_a_decision_on_the_version_in_review_does_not_move_the_baseline(session, people, board):
    _submit(session, people, board)
    _send_back(session, people, board)
    first, second = sb.scenes_of(session, board.id)[:2]
    sb.update_scene(session=session, actor=people["creative"], scene_id=first.id, title="Open")
    _submit(session, people, board)
    reviews.review_scene(session=session, actor=people["reviewer"], storyboard_id=board.id,
                         scene_id=second.id, decision="approve")  # fmt: skip
    found = _since(session, people, board)
    assert found.since == 1 and found.of(first.id).state == "changed"


def test_word_diff_keeps_the_text_and_marks_words():
    pieces = changes.word_diff("a red can", "a blue can on ice")
    assert pieces == [("same", "a "), ("removed", "red"), ("added", "blue"),
                      ("same", " can"), ("added", " on ice")]  # fmt: skip


def test_a_rewritten_text_is_shown_whole_before_and_after():
    before, after = "A red can on a table", "Sunset over the beach, the logo"
    assert changes.word_diff(before, after) == [("removed", before), ("added", after)]
    assert changes.word_diff("", "New words") == [("added", "New words")]
