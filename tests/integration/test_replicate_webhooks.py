"""Signed webhooks: the signature round trip (valid, forged, tampered, stale, replayed), the
receiver over HTTP waking the generation, the secret fetched once, and the whole path on the
SQLite queue where the webhook, not the (slow) poll, finishes the job."""

import json
import threading
import time

import httpx
import pytest

from core import jobs
from core.config import reset_settings
from core.jobs import worker
from core.jobs.webhook_server import PATH, make_app
from core.jobs.webhooks import WebhookRejected, first_delivery, sign, verify
from tests.integration.driving import row, submit_image
from tests.integration.fake_replicate import SECRET
from tests.utils.processes import free_port, python_m, serving, started

BODY = json.dumps({"id": "p1", "status": "succeeded"}).encode()
NOW = 1_750_000_000


def _headers(body=BODY, *, secret=SECRET, webhook_id="msg_1", stamp=NOW, signature=None):
    return {"webhook-id": webhook_id, "webhook-timestamp": str(stamp),
            "webhook-signature": signature or sign(secret, webhook_id, stamp, body)}  # fmt: skip


def test_a_good_signature_passes_also_among_rotated_keys():
    assert verify(_headers(), BODY, SECRET, now=NOW) == "msg_1"
    old = sign("whsec_" + "b2xkLWtleQ==", "msg_1", NOW, BODY)
    rotated = _headers(signature=f"{old} {sign(SECRET, 'msg_1', NOW, BODY)}")
    assert verify(rotated, BODY, SECRET, now=NOW) == "msg_1"


@pytest.mark.parametrize(
    ("headers", "body", "now", "message"),
    [
        (_headers(secret="whsec_" + "Zm9yZ2Vk"), BODY, NOW, "Bad webhook signature"),
        (_headers(), BODY.replace(b"succeeded", b"failed"), NOW, "Bad webhook signature"),
        (_headers(), BODY, NOW + 301, "Stale webhook"),
        (_headers(), BODY, NOW - 301, "Stale webhook"),  # from the future
        ({"webhook-id": "msg_1", "webhook-timestamp": str(NOW)}, BODY, NOW, "Missing"),
        (_headers(stamp="yesterday", signature="v1,x"), BODY, NOW, "not a unix time"),
    ],
    ids=["forged", "tampered", "stale", "future", "unsigned", "bad-timestamp"],
)
def test_bad_deliveries_are_rejected(headers, body, now, message):
    with pytest.raises(WebhookRejected, match=message):
        verify(headers, body, SECRET, now=now)


def test_a_replayed_id_is_refused_within_the_window_and_forgotten_after():
    assert first_delivery("msg_a", now=NOW) is True
    assert first_delivery("msg_a", now=NOW + 10) is False
    assert first_delivery("msg_a", now=NOW + 601) is True  # pruned; it would be stale anyway


@pytest.fixture
def receiver():
    with serving(make_app()) as url:
        yield url + PATH


@pytest.fixture
def waiting_image(replicate_env, session, people, campaign):
    """An image whose prediction has ended at Replicate, but whose next poll is far away."""
    image = submit_image(session, people, campaign)
    pred = replicate_env.predictions[row(image.id).prediction_id]
    pred.polls_needed = 0
    return image, pred.id


def test_a_delivery_wakes_the_generation_and_a_replay_does_nothing(
    replicate_env, receiver, waiting_image
):
    fake, (image, pid) = replicate_env, waiting_image
    first = fake.deliver(pid, receiver, webhook_id="msg_42")
    assert first.status_code == 200 and first.json()["status"] == "woken"
    assert row(image.id).status == "succeeded"  # the immediate queue ran the woken poll
    gets = fake.count("GET", "/v1/predictions/")
    assert gets == 1  # the delivery said "processing": not an end, so the API was asked
    again = fake.deliver(pid, receiver, webhook_id="msg_42")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    late = fake.deliver(pid, receiver)  # a new id for a finished generation: nothing to wake
    assert late.json()["status"] == "ignored"
    assert fake.count("GET", "/v1/predictions/") == gets


def test_forged_and_stale_deliveries_get_4xx_over_http(replicate_env, receiver, waiting_image):
    fake, (image, pid) = replicate_env, waiting_image
    forged = fake.deliver(pid, receiver, signature="v1," + "A" * 44)
    stale = fake.deliver(pid, receiver, timestamp=int(time.time()) - 600)
    assert (forged.status_code, stale.status_code) == (401, 400)
    assert row(image.id).status == "running"


def test_the_secret_is_fetched_from_replicate_once(replicate_env, receiver, waiting_image):
    fake, (_, pid) = replicate_env, waiting_image
    for _ in range(3):
        assert fake.deliver(pid, receiver).status_code == 200
    assert fake.count("GET", "/v1/webhooks/default/secret") == 1


def test_a_configured_secret_is_used_instead(replicate_env, receiver, waiting_image, monkeypatch):
    monkeypatch.setenv("STUDIO_WEBHOOK_SECRET", "whsec_" + "c29tZS1vdGhlci1rZXk=")
    reset_settings()
    fake, (_, pid) = replicate_env, waiting_image
    assert fake.deliver(pid, receiver).status_code == 401
    assert fake.count("GET", "/v1/webhooks/default/secret") == 0


@pytest.mark.usefixtures("real_queue")
def test_with_a_webhook_url_the_webhook_finishes_the_job_before_any_poll(
    replicate_env, receiver, session, people, campaign, monkeypatch
):
    fake = replicate_env
    fake.script.latency_s = 0.5
    monkeypatch.setenv("STUDIO_WEBHOOK_URL", receiver)
    monkeypatch.setenv("STUDIO_POLL_INTERVAL_S", "30")  # polling alone would take 30 s
    reset_settings()
    consumer = jobs.start_consumer(workers=2)
    try:
        image = submit_image(session, people, campaign)
        deadline = time.monotonic() + 10
        while row(image.id).status == "queued" or row(image.id).status == "running":
            assert time.monotonic() < deadline, "the webhook did not wake the generation"
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)
    done = row(image.id)
    assert done.status == "succeeded", done.error
    (_, body) = fake.creates[0]
    assert (body["webhook"], body["webhook_events_filter"]) == (receiver, ["completed"])
    assert fake.deliveries == [(done.prediction_id, 200)]
    # The verified delivery carried the finished prediction: settled from it, no GET at all.
    assert fake.count("GET", "/v1/predictions/") == 0
    assert done.media_path and done.width == 1024


def test_the_cli_runs_a_standalone_receiver(replicate_env, people, tmp_path):
    port = free_port()
    with started(python_m("core", "webhooks", "--port", str(port)), graceful=True) as receiver:
        url = f"http://127.0.0.1:{port}{PATH}"
        reply = receiver.wait_until(
            lambda: httpx.post(url, content=b"{}"), timeout=20, every=0.1,
            what="the receiver to answer", ignoring=(httpx.ConnectError,),
        )  # fmt: skip
        assert reply.status_code == 400 and "Missing" in reply.json()["error"]


def test_a_wake_during_a_running_step_waits_for_it_instead_of_downloading_twice(
    replicate_env, receiver, waiting_image
):
    fake, (image, pid) = replicate_env, waiting_image
    fake.inject("download", hang_s=0.6)  # the scheduled poll is mid-download...
    poll = threading.Thread(target=worker.run_step, args=(image.id, row(image.id).claim_token))
    poll.start()
    deadline = time.monotonic() + 10
    while not fake.download_auth:
        assert time.monotonic() < deadline, "the poll never started its download"
        time.sleep(0.01)
    woken = fake.deliver(pid, receiver)  # ...when the webhook arrives
    poll.join()
    assert woken.status_code == 200 and woken.json()["status"] == "woken"
    assert row(image.id).status == "succeeded"
    assert len(fake.download_auth) == 1
    assert fake.count("GET", "/v1/predictions/") == 1


def test_a_signed_end_with_an_output_on_a_foreign_host_is_refused(
    replicate_env, receiver, waiting_image
):
    fake, (image, pid) = replicate_env, waiting_image
    finished = {"status": "succeeded", "output": "https://attacker.example/output.jpg",
                "completed_at": "2026-11-26T10:00:02.000Z"}  # fmt: skip
    woken = fake.deliver(pid, receiver, changes=finished)
    assert woken.status_code == 200 and woken.json()["status"] == "woken"
    failed = row(image.id)
    assert failed.status == "failed" and "attacker.example" in failed.error
    assert failed.media_path is None and fake.count("GET", "/v1/predictions/") == 0
