"""Replies under a review comment: anyone on the team who may see the storyboard replies; the
reply sits in its decision's thread, never counted as a decision; bad input writes nothing."""

import pytest
from sqlmodel import func, select

from core.errors import NotFound, PermissionDenied, ValidationError
from core.models import Review
from core.storyboards import editing as sb
from core.storyboards import reviews
from tests.utils.factories import TINY_FIELDS, make_storyboard, make_user


@pytest.fixture
def asked(session, people, campaign):
    """A board whose reviewer asked for changes to its last scene, in v1."""
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    last = sb.scenes_of(session, board.id)[-1]
    reviews.review_scene(session=session, actor=people["reviewer"], storyboard_id=board.id,
                         scene_id=last.id, decision="request_changes",
                         comment="Bigger logo")  # fmt: skip
    session.commit()
    return board


def _thread(session, people, board):
    return reviews.history(session=session, actor=people["creative"], storyboard_id=board.id)


def _rows(session) -> int:
    return session.exec(select(func.count()).select_from(Review)).one()


def _asked_for(session, people, board) -> Review:
    return next(r for r in _thread(session, people, board) if r.decision == "request_changes")


def test_the_creative_and_the_reviewer_talk_under_the_comment(session, people, asked):
    comment = _asked_for(session, people, asked)
    reviews.reply(session=session, actor=people["creative"], review_id=comment.id,
                  text="  How much bigger?  ")  # fmt: skip
    reviews.reply(session=session, actor=people["reviewer"], review_id=comment.id,
                  text="Twice the size.")  # fmt: skip
    session.commit()
    session.expunge_all()
    decisions = _thread(session, people, asked)
    # Replies are not decisions: the history still holds the one request, with its thread.
    assert [d.decision for d in decisions] == ["request_changes"]
    [thread] = decisions
    said = [(r.reviewer_id, r.comment) for r in thread.replies]
    assert said == [(people["creative"].id, "How much bigger?"),
                    (people["reviewer"].id, "Twice the size.")]  # fmt: skip
    # A reply belongs to the comment's scene and version, so it follows the scene's feedback.
    assert {(r.scene_id, r.version) for r in thread.replies} == {(thread.scene_id, 1)}


def test_a_reply_to_a_reply_joins_the_same_thread(session, people, asked):
    comment = _asked_for(session, people, asked)
    first = reviews.reply(session=session, actor=people["creative"], review_id=comment.id,
                          text="Which logo?")  # fmt: skip
    reviews.reply(session=session, actor=people["admin"], review_id=first.id, text="The can's.")
    session.commit()
    [thread] = [d for d in _thread(session, people, asked) if d.id == comment.id]
    assert [r.comment for r in thread.replies] == ["Which logo?", "The can's."]


def test_another_creative_on_the_team_may_reply(session, people, asked):
    other = make_user(session, people["admin"], "otto", "creative")
    comment = _asked_for(session, people, asked)
    reply = reviews.reply(session=session, actor=other, review_id=comment.id, text="On it.")
    assert reply.reply_to == comment.id


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_reply_is_refused_and_nothing_is_written(session, people, asked, text):
    comment = _asked_for(session, people, asked)
    before = _rows(session)
    with pytest.raises(ValidationError, match="reply: write something first"):
        reviews.reply(session=session, actor=people["creative"], review_id=comment.id, text=text)
    assert _rows(session) == before


def test_a_too_long_reply_is_refused(session, people, asked):
    comment = _asked_for(session, people, asked)
    with pytest.raises(ValidationError, match="at most 4000 characters"):
        reviews.reply(session=session, actor=people["creative"], review_id=comment.id,
                      text="x" * 4001)  # fmt: skip


def test_a_viewer_cannot_reply_and_nothing_is_written(session, people, asked):
    comment = _asked_for(session, people, asked)
    before = _rows(session)
    with pytest.raises(PermissionDenied):
        reviews.reply(session=session, actor=people["viewer"], review_id=comment.id, text="Hi")
    assert _rows(session) == before


def test_a_reply_to_an_unknown_comment_says_so(session, people, asked):
    with pytest.raises(NotFound, match="No review comment with id rev_nope"):
        reviews.reply(session=session, actor=people["creative"], review_id="rev_nope", text="Hi")
