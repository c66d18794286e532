"""Replicate's signed webhooks: verify, drop replays, wake the matching generation.

A delivery wakes the generation's next step early. Its body is trusted only once the signature,
timestamp and replay checks pass (the HMAC proves it came from Replicate, for this account): a
finished prediction is then settled from it without another GET; its output URL still passes the
download host checks. Anything else (a body that is not a finished prediction of that
generation) only wakes a poll, and polling stays the fallback when a delivery is lost.

Signature (Standard Webhooks, as Replicate documents it): HMAC-SHA256 over
`{webhook-id}.{webhook-timestamp}.{raw body}`, keyed with the base64-decoded part of the
account's `whsec_...` secret; `webhook-signature` lists `v1,<base64>` entries, space-separated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from core import jobs
from core.config import get_settings
from core.db import get_engine, session_scope
from core.errors import StudioError
from core.models import Generation, Status, WebhookSeen, table_of

log = logging.getLogger(__name__)
TOLERANCE_S = 300  # older (or further in the future) deliveries are refused
SEEN_KEEP_S = 2 * TOLERANCE_S  # an id older than this would be refused as stale anyway
SEEN = table_of(WebhookSeen)


class WebhookRejected(StudioError):
    def __init__(self, message: str, status: int = 400):
        self.status = status
        super().__init__(message)


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `v1,<base64>` signature of a delivery (used to verify, and by tests to send)."""
    content = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError) as error:
        raise WebhookRejected("The webhook secret is not a whsec_ base64 key.", 500) from error


def verify(headers: Mapping, body: bytes, secret: str, *, now: float | None = None) -> str:
    """The delivery's webhook id if its signature and timestamp are good; else WebhookRejected."""
    webhook_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (webhook_id and stamp and signatures):
        raise WebhookRejected("Missing webhook-id, webhook-timestamp or webhook-signature.")
    if not stamp.isdigit():
        raise WebhookRejected("webhook-timestamp is not a unix time.")
    now = time.time() if now is None else now
    if abs(now - int(stamp)) > TOLERANCE_S:
        raise WebhookRejected("Stale webhook: its timestamp is over 5 minutes from now.")
    expected = sign(secret, webhook_id, int(stamp), body)
    if not any(hmac.compare_digest(expected, given) for given in signatures.split()):
        raise WebhookRejected("Bad webhook signature.", 401)
    return webhook_id


_next_prune = 0.0  # time.monotonic() of this process's next sweep of old ids


def _first_seen(webhook_id: str, now: float) -> bool:
    """Remember `webhook_id` in the database every machine shares (a replay sent to another
    receiver is refused too). An id seen longer ago than the window counts as new; old ids are
    swept once a minute per process, not on every delivery (the receiver shares the database
    with the workers)."""
    global _next_prune
    with get_engine().begin() as conn:
        if time.monotonic() >= _next_prune:
            _next_prune = time.monotonic() + 60
            conn.execute(sa.delete(SEEN).where(SEEN.c.at < now - SEEN_KEEP_S))
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(SEEN).values(id=webhook_id, at=now))
        except IntegrityError:
            stale = sa.update(SEEN).where(SEEN.c.id == webhook_id, SEEN.c.at < now - SEEN_KEEP_S)
            return conn.execute(stale.values(at=now)).rowcount == 1
        return True


def first_delivery(webhook_id: str, *, now: float | None = None) -> bool:
    """Remember a verified id; False if it was already seen within the last 10 minutes."""
    return _first_seen(webhook_id, time.time() if now is None else now)


def signing_secret() -> str:
    configured = get_settings().studio_webhook_secret
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    settings = get_settings()
    api_token = settings.replicate_api_token
    if api_token is None or not settings.replicate_enabled:
        raise WebhookRejected("No webhook secret: set STUDIO_WEBHOOK_SECRET.", 503)
    return _fetched_secret(settings.replicate_base_url, api_token.get_secret_value())


@lru_cache(maxsize=2)
def _fetched_secret(base_url: str, _token: str) -> str:
    """GET /v1/webhooks/default/secret once per account (the token is part of the cache key)."""
    from core.providers.replicate_http import get_client, replicate_errors

    try:
        with replicate_errors():
            return get_client().webhooks.default.secret().key
    except StudioError as error:
        raise WebhookRejected(f"Could not fetch the webhook secret: {error}", 503) from error


def wake(prediction_id: str, delivered: dict | None = None) -> str | None:
    """Run the next step of the generation waiting on this prediction now, with the delivered
    prediction; returns the generation's id."""
    with session_scope() as session:
        row = session.exec(
            select(Generation.id, Generation.status, Generation.claim_token).where(
                Generation.prediction_id == prediction_id
            )
        ).first()
    if row is None:
        return None
    generation_id, status, token = row
    if status != Status.running or not token:
        return None  # finished, canceled, or between retries: its own schedule covers it
    jobs.enqueue(generation_id, token=token, delivered=delivered)
    return generation_id


def handle_delivery(headers: Mapping[str, str], body: bytes) -> tuple[int, dict]:
    """(HTTP status, JSON reply) for one delivery."""
    try:
        webhook_id = verify(headers, body, signing_secret())
    except WebhookRejected as error:
        log.warning("webhook rejected: %s", error)
        return error.status, {"error": str(error)}
    if not first_delivery(webhook_id):
        # Answered 200 so that Replicate stops retrying; the first delivery already acted.
        return 200, {"status": "duplicate", "webhook_id": webhook_id}
    try:
        prediction = json.loads(body)
        prediction_id = str(prediction["id"])
    except (ValueError, KeyError, TypeError):
        return 400, {"error": "The body is not a prediction."}
    woken = wake(prediction_id, prediction)
    return 200, {"status": "woken" if woken else "ignored", "generation_id": woken}
