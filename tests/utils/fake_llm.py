"""A text model on a fake Replicate over real HTTP, for the real `replicate` client to talk to: the
brief parser's LLM answers with whatever a test scripts (its output is a list of string chunks,
as Replicate streams an LLM's answer).

`llm_on_fake_replicate(monkeypatch, chunks)` serves it for the length of a `with` and points the
settings (token, base URL) at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.config import reset_settings
from core.providers import replicate_http
from tests.utils.processes import serving

TOKEN = "r8_FakeTokenForTheLlmParserTest"


class FakeLLM:
    """Answers model-endpoint creates; the prediction succeeds on its first reload."""

    def __init__(self, chunks: list[str], status: int = 201):
        self.chunks, self.status = chunks, status
        self.bodies: list[dict] = []  # the create requests, as sent
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
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse({"title": "Unauthenticated", "detail": "bad token"}, 401)
        self.bodies.append(await request.json())
        if self.status >= 400:
            return JSONResponse({"title": "Server error", "detail": "boom"}, self.status)
        return JSONResponse(self._prediction(request, "starting", None), self.status)

    async def get(self, request: Request) -> JSONResponse:
        return JSONResponse(self._prediction(request, "succeeded", self.chunks))


def chunks(text: str, size: int = 7) -> list[str]:
    """`text` cut as a streamed answer arrives."""
    return [text[i : i + size] for i in range(0, len(text), size)]


@contextmanager
def llm_on_fake_replicate(
    monkeypatch: pytest.MonkeyPatch, answer: list[str], status: int = 201
) -> Iterator[FakeLLM]:
    fake = FakeLLM(answer, status)
    with serving(fake.app) as url:
        monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
        monkeypatch.setenv("REPLICATE_BASE_URL", url)
        monkeypatch.setattr("core.briefs.llm.POLL_S", 0.01)
        reset_settings()
        replicate_http.reset_clients()
        try:
            yield fake
        finally:
            replicate_http.reset_clients()
