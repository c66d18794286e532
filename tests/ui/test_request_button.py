"""A request button acts once per click, and a click noted in a run that never drew the button
(the form refused early) does not fire on a later visit."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from ui import session as ui_session


def _app():
    import streamlit as st

    from ui.session import request_button

    if st.session_state.get("refused"):
        st.stop()  # as a form that returns early when its request is refused
    with request_button("Go", key="go") as clicked:
        if clicked:
            st.session_state["made"] = st.session_state.get("made", 0) + 1


def test_one_click_one_request_and_a_stale_click_never_fires(monkeypatch):
    monkeypatch.setattr(ui_session, "CLICK_FRESH_S", 0.5)
    at = AppTest.from_function(_app).run()
    at.button(key="go").click().run()
    assert at.session_state["made"] == 1
    at.run()
    assert at.session_state["made"] == 1  # a rerun is not a click
    at.button(key="go").click()
    at.session_state["refused"] = True
    at.run()  # the click is noted, the button never drawn
    time.sleep(0.6)
    at.session_state["refused"] = False
    at.run()
    assert at.session_state["made"] == 1
