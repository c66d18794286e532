"""The LLM brief parser through the real replicate client against a small fake over HTTP: its
JSON becomes the fields; no token, an API error or an unusable answer fall back to the offline
parser and say why."""

from __future__ import annotations

import json
from contextlib import ExitStack

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.briefs.llm import OFFLINE, parse_with
from core.config import reset_settings
from core.providers import replicate_http
from tests.utils.processes import serving

BRIEF = """Brief: Taste the Light
Brand: Lumen Beverages
Call to action: Find Lumen in the chiller aisle.
Duration: 30 seconds
"""
ANSWER = {
    "title": "Taste the Light", "brand": "Lumen Beverages", "objective": "Launch yuzu-ginger",
    "audience": "Urban professionals 25-40", "key_messages": ["Zero sugar", "Real fruit"],
    "tone": "Bright", "palette": ["#6ec6ff"], "call_to_action": "Find Lumen in the chiller aisle.",
    "duration_s": 30, "aspect_ratios": ["16:9"], "platforms": ["YouTube"], "mandatories": [],
    "music": None, "budget_usd": None,
}  # fmt: skip


class FakeLLM:
    """Answers model-endpoint creates; the prediction succeeds on its first reload."""

    def __init__(self, chunks: list[str], status: int = 201):
        self.chunks, self.status, self.bodies = chunks, status, []
        self.app = Starlette(routes=[
            Route("/v1/models/{owner}/{name}/predictions", self.create, methods=["POST"]),
            Route("/v1/predictions/{pid}", self.get),
        ])  # fmt: skip

    def _prediction(self, request: Request, status: str, output) -> dict:
        base = str(request.base_url).rstrip("/")
        return {"id": "p1", "model": "openai/gpt-4o-mini", "version": "hidden", "input": {},
                "status": status, "output": output, "error": None, "logs": "", "metrics": {},
                "created_at": "2026-11-25T08:00:00Z", "urls": {
                    "get": f"{base}/v1/predictions/p1", "cancel": f"{base}/v1/predictions/p1/cancel"
                }}  # fmt: skip

    async def create(self, request: Request) -> JSONResponse:
        self.bodies.append(await request.json())
        if self.status >= 400:
            return JSONResponse({"title": "Server error", "detail": "boom"}, self.status)
        return JSONResponse(self._prediction(request, "starting", None), self.status)

    async def get(self, request: Request) -> JSONResponse:
        return JSONResponse(self._prediction(request, "succeeded", self.chunks))


@pytest.fixture
def llm(monkeypatch):
    servers = ExitStack()

    def start(chunks: list[str], status: int = 201) -> FakeLLM:
        fake = FakeLLM(chunks, status)
        url = servers.enter_context(serving(fake.app))
        monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_FakeTokenForTheLlmParserTest")
        monkeypatch.setenv("REPLICATE_BASE_URL", url)
        reset_settings()
        replicate_http.reset_clients()
        return fake

    monkeypatch.setattr("core.briefs.llm.POLL_S", 0.01)
    with servers:
        yield start
    replicate_http.reset_clients()


def _chunks(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_the_llms_json_becomes_the_fields(llm):
    fake = llm(_chunks("Here you go:\n" + json.dumps(ANSWER)))
    outcome = parse_with("openai/gpt-4o-mini", BRIEF)
    assert (outcome.parser, outcome.note) == ("openai/gpt-4o-mini", None)
    assert outcome.fields.objective == "Launch yuzu-ginger"  # not in the text: the LLM's reading
    assert outcome.fields.palette == ["#6EC6FF"] and outcome.fields.duration_s == 30
    assert outcome.fields.missing == ["mandatories", "music", "budget_usd"]
    sent = fake.bodies[0]["input"]
    assert "Taste the Light" in sent["prompt"] and "never invent" in sent["system_prompt"]


@pytest.mark.parametrize(
    ("chunks", "reason"),
    [(["I cannot help with that."], "no JSON object"),
     (_chunks(json.dumps({**ANSWER, "palette": ["teal"]})), "palette")],
)  # fmt: skip
def test_an_unusable_answer_falls_back_to_the_offline_parser_and_says_so(llm, chunks, reason):
    llm(chunks)
    outcome = parse_with("openai/gpt-4o-mini", BRIEF)
    assert outcome.parser == OFFLINE
    assert "failed" in outcome.note and reason in outcome.note and "offline parser" in outcome.note
    assert outcome.fields.brand == "Lumen Beverages" and outcome.fields.objective is None


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
