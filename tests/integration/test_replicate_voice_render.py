"""A render whose voice lines are spoken on Replicate (MiniMax, through the fake over HTTP) while
its pictures and music are drafts: one prediction per line, the line as written (no brand rules
read aloud), its characters billed, and the final ad saying it in its scene, captioned."""

from __future__ import annotations

import re

import pytest

from core.media import store
from core.storyboards import final_ad
from tests.core.media.measure import level_between, sound
from tests.integration.driving import drive
from tests.utils.factories import TINY_FIELDS, approve_storyboard, make_storyboard

MINIMAX = "minimax/speech-02-turbo"
LINE = "Find Lumen Yuzu-Ginger."  # the end card's line; the 2 s hook has none


def test_a_paid_voice_speaks_the_lines_of_a_draft_render(replicate_env, session, people, campaign):
    fake, creative = replicate_env, people["creative"]
    board = make_storyboard(session, creative, campaign, TINY_FIELDS)
    approve_storyboard(session, board, creative, people["reviewer"])
    plan = final_ad.render(session=session, actor=creative, storyboard_id=board.id,
                           voice_model=MINIMAX, voice_params={"voice_id": "Deep_Voice_Man"},
                           resolution="480p")  # fmt: skip
    assert plan.total_usd == pytest.approx(0.00006 * len(LINE))  # the quote: the voice alone
    done = {s.id: s for s in drive(*(s.id for s in plan.steps))}
    assert all(s.status == "succeeded" for s in done.values()), [s.error for s in done.values()]
    ((model, body),) = fake.creates  # one line, one prediction; nothing else is paid
    assert model == MINIMAX
    assert (body["input"]["text"], body["input"]["voice_id"]) == (LINE, "Deep_Voice_Man")
    [voice] = [s for s in done.values() if s.kind == "voice"]
    assert voice.cost_usd == pytest.approx(0.00006 * len(LINE))
    final = done[plan.composites[0].id]
    session.expire_all()  # the steps ran in sessions of their own
    vtt = final_ad.captions_of(session=session, actor=people["viewer"], composite_id=final.id)
    [(start, end)] = [(float(a), float(b)) for a, b in
                      re.findall(r"00:(\d+\.\d+) --> 00:(\d+\.\d+)\nFind Lumen", vtt)]  # fmt: skip
    assert 2.0 < start < end <= 4.0  # said in the end card's scene
    samples = sound(store.abs_path(final.media_path))
    assert level_between(samples, start, end - 0.4) > level_between(samples, 0.3, 1.7) + 4
