"""The LLM brief parser through the real replicate client against a small fake over HTTP: its
JSON becomes the fields where the brief's text supports them; no token, an API error or an
unusable answer fall back to the offline parser and say why; a parse is quoted before it runs."""

from __future__ import annotations

import json
from contextlib import ExitStack

import pytest

from core.briefs import parse_brief
from core.briefs.llm import LLM_MODELS, MAX_BRIEF_CHARS, OFFLINE, parse_with, quote
from tests.utils.factories import SAMPLE_BRIEFS
from tests.utils.fake_llm import chunks as _chunks
from tests.utils.fake_llm import llm_on_fake_replicate

BRIEF = """Brief: Taste the Light
Brand: Lumen Beverages
We are launching yuzu-ginger for urban professionals aged 25-40. Zero sugar, real fruit.
It should feel bright. Colours: #6EC6FF. A 30-second spot, 16:9, for YouTube.
Call to action: Find Lumen in the chiller aisle.
"""
ANSWER = {
    "title": "Taste the Light", "brand": "Lumen Beverages", "objective": "Launch yuzu-ginger",
    "audience": "Urban professionals 25-40", "key_messages": ["Zero sugar", "Real fruit"],
    "tone": "Bright", "palette": ["#6ec6ff"], "call_to_action": "Find Lumen in the chiller aisle.",
    "duration_s": 30, "aspect_ratios": ["16:9"], "platforms": ["YouTube"], "mandatories": [],
    "music": None, "budget_usd": None,
}  # fmt: skip


@pytest.fixture
def llm(monkeypatch):
    with ExitStack() as servers:
        yield lambda chunks, status=201: servers.enter_context(
            llm_on_fake_replicate(monkeypatch, chunks, status)
        )


def test_the_llms_json_becomes_the_fields(llm):
    fake = llm(_chunks("Here you go:\n" + json.dumps(ANSWER)))
    outcome = parse_with("openai/gpt-4o-mini", BRIEF)
    assert (outcome.parser, outcome.note, outcome.dropped) == ("openai/gpt-4o-mini", None, ())
    assert outcome.fields.objective == "Launch yuzu-ginger"  # no label: the LLM's reading
    assert outcome.fields.palette == ["#6EC6FF"] and outcome.fields.duration_s == 30
    assert outcome.fields.missing == ["mandatories", "music", "budget_usd"]
    sent = fake.bodies[0]["input"]
    assert "Taste the Light" in sent["prompt"] and "never invent" in sent["system_prompt"]


def test_what_the_llm_invents_is_dropped_and_named(llm):
    invented = {**ANSWER, "audience": "Retired couples who love gardening", "budget_usd": 50000,
                "platforms": ["YouTube", "Snapchat"]}  # fmt: skip
    llm(_chunks(json.dumps(invented)))
    outcome = parse_with("openai/gpt-4o-mini", BRIEF)
    assert outcome.parser == "openai/gpt-4o-mini" and outcome.note is None
    assert outcome.dropped == ("audience", "platforms", "budget_usd")
    assert outcome.fields.audience == parse_brief(BRIEF).audience  # the offline parser's reading
    assert outcome.fields.budget_usd is None and outcome.fields.platforms == ["YouTube"]
    assert outcome.fields.brand == "Lumen Beverages" and outcome.fields.tone == "Bright"


@pytest.mark.parametrize(
    ("chunks", "reason"),
    [(["I cannot help with that."], "no JSON object"),
     (_chunks(json.dumps({**ANSWER, "palette": ["teal"]})), "palette"),
     (_chunks(json.dumps({**ANSWER, "duration_s": "half a minute"})), "duration_s"),
     (_chunks(json.dumps({**ANSWER, "budget_usd": -5})), "budget_usd")],
)  # fmt: skip
def test_an_unusable_answer_falls_back_to_the_offline_parser_and_says_so(llm, chunks, reason):
    llm(chunks)
    outcome = parse_with("openai/gpt-4o-mini", BRIEF)
    assert outcome.parser == OFFLINE
    assert "failed" in outcome.note and reason in outcome.note and "offline parser" in outcome.note
    assert outcome.dropped == () and outcome.fields == parse_brief(BRIEF)


def test_a_replicate_error_falls_back_too(llm):
    llm([], status=500)
    outcome = parse_with("meta/meta-llama-3-8b-instruct", BRIEF)
    assert outcome.parser == OFFLINE and "meta/meta-llama-3-8b-instruct" in outcome.note
    assert "r8_FakeToken" not in outcome.note
    assert outcome.fields.call_to_action == "Find Lumen in the chiller aisle."


def test_without_a_token_the_offline_parser_is_used_and_the_reason_given():
    outcome = parse_with("openai/gpt-4o-mini", BRIEF)
    assert outcome.parser == OFFLINE and "REPLICATE_API_TOKEN" in outcome.note
    assert parse_with(OFFLINE, BRIEF).note is None


def test_a_parse_is_quoted_at_a_few_tenths_of_a_cent_at_most():
    brief = (SAMPLE_BRIEFS / "spring-launch.md").read_text()
    gpt, llama = (quote(model, brief) for model in LLM_MODELS)
    assert 0.0005 < gpt < 0.005 and 0 < llama < gpt  # the 8B model is the cheaper one
    assert quote(OFFLINE, brief) == 0.0
    longest = quote("openai/gpt-4o-mini", "x" * MAX_BRIEF_CHARS)
    assert gpt < longest == quote("openai/gpt-4o-mini", "x" * 10 * MAX_BRIEF_CHARS)  # cut there
