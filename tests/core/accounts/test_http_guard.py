"""The guard in front of Streamlit's upload endpoint, over real HTTP: an upload is taken only
from a signed-in session allowed to upload, and within that session's budget of bytes held in
memory (uploads in flight counted), so one browser cannot fill the server's memory."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import jwt
import pytest

from core.accounts.http_guard import SignedInOnly
from core.accounts.login_cookie import COOKIE_DAYS, COOKIE_NAME, cookie_signing_key
from core.config import reset_settings
from tests.utils.processes import serving

MB = 1024 * 1024


class _Uploads:
    """A stand-in for Streamlit's upload manager: it keeps what is PUT, per session."""

    def __init__(self, hold_s: float = 0.0):
        self.held: dict[str, dict[str, bytes]] = {}
        self.hold_s = hold_s

    async def __call__(self, scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self.hold_s:
            await asyncio.sleep(self.hold_s)  # slow: the next uploads arrive meanwhile
        session_id, file_id = scope["path"].split("/")[-2:]
        self.held.setdefault(session_id, {})[file_id] = body
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def held_bytes(self, session_id: str) -> int:
        return sum(len(b) for b in self.held.get(session_id, {}).values())


def _cookie(username: str) -> dict[str, str]:
    token = jwt.encode({"username": username, "exp_date": time.time() + COOKIE_DAYS * 86400},
                       cookie_signing_key(), algorithm="HS256")  # fmt: skip
    return {COOKIE_NAME: token}


@pytest.fixture
def budget_2mb(monkeypatch):
    monkeypatch.setenv("STUDIO_UPLOAD_SESSION_MB", "2")
    reset_settings()


def _put(url, session_id, file_id, size, cookies):
    return httpx.put(f"{url}/_stcore/upload_file/{session_id}/{file_id}", cookies=cookies,
                     files={"file": ("a.png", b"x" * size)}, timeout=30)  # fmt: skip


def test_uploads_past_a_sessions_budget_are_refused_and_nothing_is_kept(budget_2mb, people):
    uploads = _Uploads()
    guard = SignedInOnly(uploads, held_bytes=uploads.held_bytes)
    cookies = _cookie(people["creative"].username)
    with serving(guard) as url:
        assert _put(url, "s1", "f1", MB, cookies).status_code == 204
        refused = _put(url, "s1", "f2", int(1.5 * MB), cookies)
        assert refused.status_code == 413
        assert "2 MB is the most at once" in refused.text
        assert set(uploads.held["s1"]) == {"f1"}  # the refused one was never read into memory
        assert _put(url, "s2", "f1", MB, cookies).status_code == 204  # another page: its own


def test_uploads_in_flight_count_against_the_budget(budget_2mb, people):
    uploads = _Uploads(hold_s=1.0)
    guard = SignedInOnly(uploads, held_bytes=uploads.held_bytes)
    cookies = _cookie(people["creative"].username)
    answers: list[int] = []
    with serving(guard) as url:
        calls = [
            threading.Thread(
                target=lambda i=i: answers.append(
                    _put(url, "s1", f"f{i}", int(0.8 * MB), cookies).status_code
                )
            )
            for i in range(4)
        ]
        for call in calls:
            call.start()
        for call in calls:
            call.join()
    assert sorted(answers) == [204, 204, 413, 413]
    assert uploads.held_bytes("s1") <= 2 * MB


def test_an_upload_without_a_cookie_or_the_right_is_refused(people):
    uploads = _Uploads()
    guard = SignedInOnly(uploads, held_bytes=uploads.held_bytes)
    with serving(guard) as url:
        assert _put(url, "s1", "f1", 10, {}).status_code == 403
        assert _put(url, "s1", "f1", 10, _cookie(people["viewer"].username)).status_code == 403
    assert uploads.held == {}
