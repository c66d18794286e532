"""One submission, one set of jobs: a request repeated with its key (a double click, a CLI run
retried after its answer was lost) returns the jobs of the first instead of making more."""

from __future__ import annotations

import json
import subprocess
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from core.config import reset_settings
from core.db import get_engine
from core.errors import ValidationError
from core.generation import service as gen
from core.generation.submissions import REPEAT_WINDOW
from core.models import Submission
from core.storyboards import final_ad, frames
from tests.utils.factories import approve_storyboard, count_generations, make_storyboard
from tests.utils.processes import child_env, python_m

PAID_IMAGE = "google/nano-banana"


def _submit(session, people, campaign, key, prompt="a can on a beach"):
    session.expire_all()
    req = gen.Request("image", prompt, "local/draft-image")
    return gen.submit(session=session, actor=people["creative"], campaign_id=campaign.id,
                      req=req, submission_key=key)  # fmt: skip


def test_a_repeat_of_a_submission_returns_its_job(session, people, campaign):
    first = _submit(session, people, campaign, "click-1")
    again = _submit(session, people, campaign, "click-1")
    assert again.id == first.id and count_generations() == 1
    other = _submit(session, people, campaign, "click-2")  # another submission: another job
    assert other.id != first.id and count_generations() == 2


def test_a_key_is_forgotten_after_ten_minutes(session, people, campaign):
    first = _submit(session, people, campaign, "click-1")
    for made in session.exec(select(Submission)):
        made.created_at -= REPEAT_WINDOW + timedelta(seconds=1)
        session.add(made)
    session.commit()
    assert _submit(session, people, campaign, "click-1").id != first.id


def test_a_double_click_at_the_same_instant_makes_one_job(session, people, campaign):
    results, errors = [], []

    def click():
        with Session(get_engine(), expire_on_commit=False) as own:
            try:
                results.append(_submit(own, people, campaign, "same-instant").id)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    clicks = [threading.Thread(target=click) for _ in range(4)]
    for c in clicks:
        c.start()
    for c in clicks:
        c.join(timeout=60)
    assert not errors and len(set(results)) == 1 and count_generations() == 1


def test_frames_and_renders_are_made_once_per_submission(session, people, campaign):
    board = make_storyboard(session, people["creative"], campaign)
    ask = {"session": session, "actor": people["creative"], "storyboard_id": board.id}
    first, _ = frames.generate_frames(**ask, submission_key="frames-1")
    again, _ = frames.generate_frames(**ask, submission_key="frames-1")
    assert {r.id for r in again} == {r.id for r in first}
    made = count_generations()
    board = approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                           submission_key="render-1")  # fmt: skip
    repeat = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                             submission_key="render-1")  # fmt: skip
    assert [c.id for c in repeat.composites] == [c.id for c in plan.composites]
    assert count_generations() == made + len(plan.steps)


def test_a_key_longer_than_80_characters_is_refused(session, people, campaign):
    with pytest.raises(ValidationError, match="idempotency key: 1 to 80 characters"):
        _submit(session, people, campaign, "k" * 81)
    assert count_generations() == 0


def test_the_cli_run_again_with_its_key_prints_the_same_job(replicate_on, session, people,
                                                             campaign, monkeypatch):  # fmt: skip
    monkeypatch.setenv("STUDIO_RATE_LIMITS", "image=1/minute")
    reset_settings()
    session.commit()
    argv = python_m("core", "generate", "image", "--campaign", campaign.name, "--model",
                    PAID_IMAGE, "--prompt", "a can", "--idempotency-key", "run-7")  # fmt: skip
    runs = [subprocess.run(argv, env=child_env(), capture_output=True, text=True, timeout=120)
            for _ in range(2)]  # fmt: skip
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    assert json.loads(runs[0].stdout)["id"] == json.loads(runs[1].stdout)["id"]
    assert count_generations() == 1  # and the repeat took nothing from the 1-a-minute limit
