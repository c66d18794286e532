"""The share panel: a creative makes a link and sees its URL once, sees guests' views and
answers, and revokes it; a reviewer only reads; a viewer sees nothing of it."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from core.db import session_scope
from core.sharing import guest, tokens
from tests.core.sharing.ads import approved_board_ad
from tests.utils.factories import TINY_FIELDS, make_storyboard
from ui.session import SIGNED_IN_AT_KEY, USER_KEY


def _panel():
    import streamlit as st

    from ui.session import current_user
    from ui.share_panel import share_panel

    share_panel(current_user(), st.session_state["target"], key="ad")


@pytest.fixture
def ad(session, people, campaign, tmp_path):
    yield approved_board_ad(session, people, campaign, tmp_path)
    tokens.forget_keys()


def _as(user, target_id: str) -> AppTest:
    at = AppTest.from_function(_panel, default_timeout=30)
    at.session_state[USER_KEY] = user.id
    at.session_state[SIGNED_IN_AT_KEY] = time.time()
    at.session_state["target"] = target_id
    return at.run()


def _texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def test_a_creative_shares_sees_answers_and_revokes(people, ad):
    at = _as(people["creative"], ad.id)
    assert at.expander[0].label == "Share links · none yet"
    at.number_input(key="ad_days").set_value(3)
    at.button(key="ad_create").click().run()
    url = at.code[0].value
    assert url.startswith("http://localhost:8501/share/")
    assert "cannot be shown again" in at.success[0].value
    assert "🟢 Active" in _texts(at) and "0 views" in _texts(at)
    assert at.expander[0].label == "Share links · 1 active"

    with session_scope() as session:  # a guest opens the link and asks for changes
        opened = guest.open_link(session, url.rsplit("/", 1)[1])
        guest.record_view(session, opened.link, "guest")
        guest.respond(session, opened.link, "guest", name="Dana <b>Client</b>",
                      decision="changes", comment="**Bigger** logo, please.")  # fmt: skip
    at.run()
    assert at.expander[0].label == "Share links · 1 active · 1 changes requested"
    assert "1 view, last" in _texts(at)
    table = at.dataframe[0].value
    assert list(table["Guest"]) == ["Dana <b>Client</b>"]  # as typed: a cell, not markup
    assert list(table["Answer"]) == ["✏️ Changes requested"]
    assert list(table["Comment"]) == ["**Bigger** logo, please."]

    link_id = opened.link.id
    at.button(key=f"ad_revoke_{link_id}").click().run()
    assert "Link revoked" in at.success[0].value
    assert "⛔ Revoked" in _texts(at) and not at.code  # the URL is not shown any more
    assert not [b for b in at.button if b.key == f"ad_revoke_{link_id}"]


def test_a_reviewer_reads_the_links_and_a_viewer_sees_none(people, ad):
    reviewer = _as(people["reviewer"], ad.id)
    assert reviewer.expander[0].label == "Share links · none yet"
    assert not [b for b in reviewer.button if b.key == "ad_create"]
    viewer = _as(people["viewer"], ad.id)
    assert not viewer.expander and not viewer.button


def test_nothing_to_show_yet_is_said_and_nothing_made(people, session, campaign):
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    at = _as(people["creative"], board.id)
    at.button(key="ad_create").click().run()
    assert "no animatic or finished ad to show yet" in at.error[0].value
    assert not at.code and at.expander[0].label == "Share links · none yet"
