"""Streamlit's own HTTP endpoints for media and uploads, closed to anyone not signed in.

Streamlit serves every file a page shows at `/media/<id>.<ext>` to whoever has the URL, and
takes uploads at `/_stcore/upload_file/<session>/<file>` from whoever knows a session id. This
ASGI middleware lets those requests through only with a login cookie naming an active account
(uploads: one whose role may upload), so a URL copied from a log, a history or a screenshot
shows nothing to someone without the account.

Streamlit keeps every uploaded file in memory until its widget lets go of it. Each browser
session may hold at most `STUDIO_UPLOAD_SESSION_MB` that way: the server asks how much a session
holds already (`held_bytes`, from Streamlit's upload manager) and refuses an upload that would
go past it, counting uploads still in flight.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from core.accounts.auth import can
from core.accounts.login_cookie import COOKIE_NAME, user_from_cookie
from core.config import get_settings

MEDIA_PREFIX = "/media/"
UPLOAD_PREFIX = "/_stcore/upload_file/"


def _login_cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar = SimpleCookie(value.decode("latin-1"))
            except CookieError:
                return None
            if COOKIE_NAME in jar:
                return jar[COOKIE_NAME].value
    return None


def _allowed(path: str, token: str | None) -> bool:
    user = user_from_cookie(token)
    if user is None:
        return False
    return can(user, "upload") if path.startswith(UPLOAD_PREFIX) else True


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class _UploadBudget:
    """Bytes reserved per session by uploads in flight, next to what the session holds."""

    def __init__(self, held_bytes: Callable[[str], int]) -> None:
        self.held_bytes = held_bytes
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    def reserve(self, session_id: str, size: int) -> str | None:
        """None if `size` more bytes fit (they are reserved), else why not."""
        limit_mb = get_settings().studio_upload_session_mb
        with self._lock:
            held = self.held_bytes(session_id) + self._in_flight.get(session_id, 0)
            if held + size > limit_mb * 1024 * 1024:
                return (f"This page holds {held / 2**20:.1f} MB of uploaded files already; "
                        f"{limit_mb} MB is the most at once. Remove a file or reload the "
                        "page.")  # fmt: skip
            self._in_flight[session_id] = self._in_flight.get(session_id, 0) + size
            return None

    def release(self, session_id: str, size: int) -> None:
        with self._lock:
            left = self._in_flight.get(session_id, 0) - size
            if left > 0:
                self._in_flight[session_id] = left
            else:
                self._in_flight.pop(session_id, None)


class SignedInOnly:
    """Answers 403 to media and upload requests without a valid login cookie, and 413 to an
    upload past its session's budget (when `held_bytes` says what a session holds)."""

    def __init__(self, app: ASGIApp, held_bytes: Callable[[str], int] | None = None) -> None:
        self.app = app
        self.budget = _UploadBudget(held_bytes) if held_bytes else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith((MEDIA_PREFIX, UPLOAD_PREFIX)):
            if not await run_in_threadpool(_allowed, path, _login_cookie(scope)):
                refusal = PlainTextResponse("Sign in to Campaign Studio to see this.", 403)
                await refusal(scope, receive, send)
                return
        if self.budget and path.startswith(UPLOAD_PREFIX) and scope.get("method") == "PUT":
            await self._within_budget(path, scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _within_budget(self, path: str, scope: Scope, receive: Receive, send: Send):
        assert self.budget is not None
        size = _content_length(scope)
        if size is None:  # a chunked body could not be counted before it is held
            await PlainTextResponse("An upload must say its length.", 411)(scope, receive, send)
            return
        session_id = path[len(UPLOAD_PREFIX) :].split("/", 1)[0]
        if refused := self.budget.reserve(session_id, size):
            await PlainTextResponse(refused, 413)(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.budget.release(session_id, size)
