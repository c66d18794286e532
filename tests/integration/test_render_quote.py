"""A paid render from the Storyboards page, on the fake Replicate over HTTP: its total is
confirmed before it starts, and each render asks again (a second click would spend again)."""

from __future__ import annotations

from sqlmodel import select

from core.models import Generation
from tests.ui.conftest import screen_app
from tests.utils.factories import TINY_FIELDS, approve_storyboard, make_storyboard


def _confirm(at):
    [box] = [c for c in at.checkbox if c.key.startswith("storyboards_confirm_")]
    return box


def test_each_paid_render_needs_its_quote_confirmed_again(replicate_env, session, people,
                                                          campaign):  # fmt: skip
    replicate_env.script.latency_s = 60  # the render is still running while we look
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    at = screen_app("storyboards", people["creative"], query={"storyboard": board.id}).run()
    at.selectbox(key="storyboards_video_model").set_value("bytedance/seedance-1-lite").run()
    assert at.button(key="storyboards_render").disabled
    _confirm(at).check().run()
    at.button(key="storyboards_render").click().run()
    assert not at.exception
    assert at.success[0].value == "Render started: every step's progress is below."
    assert replicate_env.creates  # the frames went to Replicate
    assert _confirm(at).value is False  # a second click would spend again
    assert at.button(key="storyboards_render").disabled
    assert "Confirm the quote to start the render." in [c.value for c in at.main.caption]
    session.expire_all()
    assert len({g.chain_id for g in session.exec(select(Generation))}) == 1  # one render
