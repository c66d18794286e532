"""Streamlit's own HTTP endpoints for media and uploads, closed to anyone not signed in.

Streamlit serves every file a page shows at `/media/<id>.<ext>` to whoever has the URL, and
takes uploads at `/_stcore/upload_file/<session>/<file>` from whoever knows a session id. This
ASGI middleware lets those requests through only with a login cookie naming an active account
(uploads: one whose role may upload), so a URL copied from a log, a history or a screenshot
shows nothing to someone without the account.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from core.accounts.auth import can
from core.accounts.login_cookie import COOKIE_NAME, user_from_cookie

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


class SignedInOnly:
    """Answers 403 to media and upload requests without a valid login cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith((MEDIA_PREFIX, UPLOAD_PREFIX)):
            if not await run_in_threadpool(_allowed, path, _login_cookie(scope)):
                refusal = PlainTextResponse("Sign in to Campaign Studio to see this.", 403)
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
