"""Replicate's webhooks reach the app's own server (st.App routes), verified and de-duplicated."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from core.jobs.webhooks import sign
from tests.e2e.conftest import WEBHOOK_SECRET

pytestmark = pytest.mark.e2e


def _post(server, body: bytes, *, webhook_id: str, secret: str = WEBHOOK_SECRET):
    ts = int(time.time())
    headers = {
        "webhook-id": webhook_id, "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, webhook_id, ts, body),
        "content-type": "application/json",
    }  # fmt: skip
    return httpx.post(f"{server['url']}/webhooks/replicate", content=body, headers=headers)


def test_a_signed_delivery_is_accepted_once_and_a_forged_one_refused(server):
    body = json.dumps({"id": "pred-unknown", "status": "succeeded"}).encode()
    first = _post(server, body, webhook_id="msg_e2e_1")
    assert first.status_code == 200 and first.json()["status"] == "ignored"
    again = _post(server, body, webhook_id="msg_e2e_1")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    forged = _post(server, body, webhook_id="msg_e2e_2", secret="whsec_Zm9yZ2VkLWtleQ==")
    assert forged.status_code in (400, 401, 403)
