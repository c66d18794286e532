"""The webhook receiver over HTTP: a Starlette route for the app's own server
(`st.App(routes=...)`) and a small standalone server (`python -m core webhooks --port N`)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.jobs.webhooks import handle_delivery

PATH = "/webhooks/replicate"
MAX_BODY_BYTES = 1 << 20  # a prediction's JSON; outputs are URLs, not bytes


async def replicate_webhook(request: Request) -> JSONResponse:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return JSONResponse({"error": "Body too large."}, status_code=413)
    # Verification touches the database and the queue: off the event loop.
    status, reply = await run_in_threadpool(handle_delivery, dict(request.headers), body)
    return JSONResponse(reply, status_code=status)


ROUTES = [Route(PATH, replicate_webhook, methods=["POST"])]


def make_app() -> Starlette:
    return Starlette(routes=ROUTES)


def serve(host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(make_app(), host=host, port=port, log_level="info")
