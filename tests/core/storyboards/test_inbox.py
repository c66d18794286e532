"""Each user's inbox: storyboards waiting for my review, changes requested on mine, guests'
answers on my share links and replies in my threads; work counts until done, news until seen."""

import pytest
from sqlalchemy import event

from core.db import get_engine
from core.sharing import guest, links, tokens
from core.storyboards import inbox, reviews
from tests.core.sharing.ads import make_ad_file, stored_ad
from tests.utils.factories import TINY_FIELDS, make_storyboard


@pytest.fixture(autouse=True)
def _fresh_signing_key():
    yield
    tokens.forget_keys()  # the next test's database has its own key


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, TINY_FIELDS, title="Fizz")


def _submit(session, people, board):
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()


def _box(session, people, who):
    return inbox.inbox(session=session, actor=people[who])


def _count(session, people, who):
    return inbox.counts(session=session, actor=people[who])


def test_a_submitted_board_waits_for_reviewers_not_for_its_creative(session, people, board):
    _submit(session, people, board)
    [item] = _box(session, people, "reviewer").to_review
    assert (item.title, item.url) == ("Fizz", f"/review?storyboard={board.id}")
    assert _box(session, people, "admin").to_review and _count(session, people, "admin") == 1
    assert _box(session, people, "creative").total == 0 == _count(session, people, "creative")
    assert _count(session, people, "reviewer") == 1
    # Work counts for as long as it waits: opening the inbox does not do it.
    box = _box(session, people, "reviewer")
    inbox.mark_seen(session=session, actor=people["reviewer"], upto=box.newest)
    assert _count(session, people, "reviewer") == 1


def test_changes_requested_reach_the_boards_creative_until_resubmitted(
    session, people, campaign, board
):
    _submit(session, people, board)
    reviews.request_changes(session=session, actor=people["reviewer"], storyboard_id=board.id,
                            comment="Shorter")  # fmt: skip
    session.commit()
    [item] = _box(session, people, "creative").changes_requested
    assert item.screen == "storyboards" and item.query == {
        "client": campaign.client_id, "campaign": campaign.id, "storyboard": board.id}  # fmt: skip
    assert _count(session, people, "creative") == 1
    assert not _box(session, people, "reviewer").changes_requested  # not theirs
    _submit(session, people, board)
    assert _box(session, people, "creative").changes_requested == []


def test_replies_in_my_threads_are_news_until_i_open_the_inbox(session, people, board):
    _submit(session, people, board)
    reviews.request_changes(session=session, actor=people["reviewer"], storyboard_id=board.id,
                            comment="Shorter")  # fmt: skip
    [asked] = reviews.history(session=session, actor=people["reviewer"], storyboard_id=board.id)
    reviews.reply(session=session, actor=people["creative"], review_id=asked.id, text="How?")
    session.commit()
    box = _box(session, people, "reviewer")
    [item] = box.replies
    assert item.new and "cleo replied" in item.detail and "“How?”" in item.detail
    assert item.screen == "storyboards"  # no longer in review: read it where the board is
    assert box.total == 1 == _count(session, people, "reviewer")
    assert _box(session, people, "creative").replies == []  # their own reply is not news to them
    assert inbox.mark_seen(session=session, actor=people["reviewer"], upto=box.newest)
    session.commit()
    again = _box(session, people, "reviewer")
    assert again.replies and not again.replies[0].new and again.total == 0
    assert _count(session, people, "reviewer") == 0
    # ...until someone writes again in the thread; the creative, who wrote in it, hears too.
    reviews.reply(session=session, actor=people["admin"], review_id=asked.id, text="Cut scene 2")
    session.commit()
    assert _count(session, people, "reviewer") == 1
    [heard] = _box(session, people, "creative").replies
    assert heard.new and "ada replied" in heard.detail


@pytest.fixture
def shared_ad(session, people, campaign, board, tmp_path):
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    session.commit()
    ad = stored_ad(session, people["creative"], campaign, board, make_ad_file(tmp_path / "a.mp4"))
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    session.commit()
    return made.link


def test_guest_answers_on_my_links_reach_me_and_stop_counting_once_seen(session, people, shared_ad):
    guest.respond(session, shared_ad, "g1", name="Dana", decision="approve", comment="")
    guest.respond(session, shared_ad, "g2", name="Sam", decision="changes", comment="Louder")
    guest.record_view(session, shared_ad, "g3")  # a view alone is no answer
    session.commit()
    box = _box(session, people, "creative")
    assert [i.detail for i in box.guests] == [
        "Sam asked for changes on your link to the final ad: “Louder”",
        "Dana approved on your link to the final ad",
    ]
    assert {(i.title, i.url, i.new) for i in box.guests} == {("Fizz", "/showcase", True)}
    assert _count(session, people, "creative") == 2
    assert _box(session, people, "admin").guests == []  # not their link
    inbox.mark_seen(session=session, actor=people["creative"], upto=box.newest)
    session.commit()
    assert _count(session, people, "creative") == 0
    guest.respond(session, shared_ad, "g4", name="Lee", decision="comment", comment="Nice")
    session.commit()
    assert _count(session, people, "creative") == 1


def test_marking_seen_never_goes_back(session, people, board):
    assert not inbox.mark_seen(session=session, actor=people["creative"], upto=None)
    now = board.created_at
    assert inbox.mark_seen(session=session, actor=people["creative"], upto=now)
    assert not inbox.mark_seen(session=session, actor=people["creative"], upto=now)


def test_the_count_is_a_few_queries(session, people, board):
    _submit(session, people, board)
    statements = []
    engine = get_engine()

    def seen(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        inbox.counts(session=session, actor=people["admin"])
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) <= 5


def test_a_viewer_has_an_empty_inbox(session, people, board):
    _submit(session, people, board)
    assert _box(session, people, "viewer").total == 0 == _count(session, people, "viewer")
