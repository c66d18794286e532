"""Inbox: each item links to where to act on it; news (a guest's answer, a reply) is marked new
on the visit that first shows it, then stops counting in the navigation."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest

from core.db import session_scope
from core.models import ShareEvent, ShareLink, User, utcnow
from core.storyboards import inbox, reviews
from tests.utils.factories import TINY_FIELDS, make_campaign, make_storyboard


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, TINY_FIELDS, title="Fizz")


def _text(at) -> str:
    """What a person reads: Markdown's backslash escapes are not drawn."""
    shown = "\n".join(p.value for p in [*at.markdown, *at.caption, *at.info, *at.subheader])
    return re.sub(r"\\(.)", r"\1", shown)


def _count(user) -> int:
    with session_scope() as s:
        return inbox.counts(session=s, actor=user)


def test_a_reviewer_is_sent_to_the_board_waiting_for_them(screen, people, board, session):
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = screen("inbox", people["reviewer"]).run()
    assert not at.exception
    assert "Waiting for your review (1)" in _text(at) and "**Fizz** · v1 waits" in _text(at)
    [link] = at.page_link
    assert (link.value, link.proto.page) == ("Review it", "review")
    assert parse_qs(link.proto.query_string) == {"storyboard": [board.id]}
    assert _count(people["reviewer"]) == 1  # work counts until it is done


def _guest_answer(session, creative, board, name, comment):
    """A guest's request for changes on `creative`'s link to `board`, as the share route
    records it (the link's own making needs a rendered cut; tests/core/sharing covers it)."""
    link = ShareLink(token_hash=f"h{name}", target_kind="storyboard", target_id=board.id,
                     created_by=creative.id, expires_at=utcnow())  # fmt: skip
    session.add(link)
    session.flush()
    session.add(ShareEvent(link_id=link.id, kind="decision", guest_name=name, decision="changes",
                           comment=comment))  # fmt: skip
    session.commit()


def test_a_guests_answer_is_new_once_then_stops_counting(screen, people, campaign, board, session):
    _guest_answer(session, people["creative"], board, "Dana", "Louder music")
    assert _count(people["creative"]) == 1
    at = screen("inbox", people["creative"]).run()
    assert not at.exception
    said = "🔵 **Fizz** · Dana asked for changes on your link to the storyboard: “Louder music”"
    assert said in _text(at)
    [link] = at.page_link
    assert link.proto.page == "storyboards"
    where = {"client": [campaign.client_id], "campaign": [campaign.id], "storyboard": [board.id]}
    assert parse_qs(link.proto.query_string) == where
    assert _count(people["creative"]) == 0  # seen: the navigation's count drops
    session.expire_all()
    assert session.get(User, people["creative"].id).inbox_seen_at is not None
    at.run()  # the next run of the page: still listed, no longer new
    assert "**Fizz** · Dana asked" in _text(at) and "🔵" not in _text(at)


def test_a_guests_markdown_is_shown_as_written_not_drawn(screen, people, board, session):
    said = "![](https://evil.example/p.png) [Revised cut](https://phish.example)"
    _guest_answer(session, people["creative"], board, "Mallory", said)
    at = screen("inbox", people["creative"]).run()
    [line] = [m.value for m in at.markdown if "Mallory" in m.value]
    assert "![](" not in line and "](https://" not in line  # no image fetched, no link drawn
    assert f"“{said}”" in _text(at)  # every character still there, as the guest typed it


def test_an_item_in_another_campaign_opens_there_not_in_the_sidebars(
    screen, people, campaign, board, session
):
    # The sidebar starts on a campaign sorted first, with a board of its own.
    first = make_campaign(session, people["admin"], "Aardvark", client_id=campaign.client_id)
    make_storyboard(session, people["creative"], first, TINY_FIELDS, title="Other")
    _guest_answer(session, people["creative"], board, "Dana", "Louder music")
    at = screen("inbox", people["creative"]).run()
    assert at.sidebar.selectbox(key="context_campaign").value == first.id
    [link] = at.page_link
    # Follow the link as the browser does: another page, the link's query in the URL.
    at.session_state["harness_screen"] = link.proto.page
    for param in list(at.query_params):
        del at.query_params[param]
    for param, [value] in parse_qs(link.proto.query_string).items():
        at.query_params[param] = value
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="context_campaign").value == campaign.id
    assert at.selectbox(key="storyboards_board").value == board.id
