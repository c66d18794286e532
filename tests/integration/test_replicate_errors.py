"""Replicate's errors as a person sees them, and which ones are retried: 401, 402, 422, 429 with
Retry-After, 5xx, network errors, and downloads (host allow-list, retries, type checks)."""

import logging
import socket
import time
from datetime import timedelta

import pytest

from core import catalog
from core.config import reset_settings
from core.errors import ProviderError
from core.media import store
from core.models import utcnow
from core.providers.base import JobSpec
from core.providers.downloads import allowed
from core.providers.replicate import ReplicateProvider
from tests.integration import fake_media
from tests.integration.driving import drive, row, submit, submit_image


def test_a_bad_token_says_fix_it_and_is_not_retried(
    replicate_env, session, people, campaign, monkeypatch, caplog
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_WrongTokenWrongTokenWrong")
    reset_settings()
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed"
    assert "fix REPLICATE_API_TOKEN" in done.error and "401" in done.error
    assert (replicate_env.create_calls, done.attempts) == (1, 1)
    assert done.prediction_id is None  # the marker was cleared: nothing was created
    assert "WrongToken" not in caplog.text and "WrongToken" not in done.error


def test_payment_required_says_set_up_billing(replicate_env, session, people, campaign):
    replicate_env.inject("create", status=402, detail="You have insufficient credit.")
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed" and "billing" in done.error and "402" in done.error
    assert replicate_env.create_calls == 1


def test_unprocessable_input_shows_replicates_field_message(
    replicate_env, session, people, campaign
):
    (image,) = drive(submit_image(session, people, campaign).id)
    detail = "- input.duration: Must be greater than or equal to 4\n"
    replicate_env.inject("create", status=422, detail=detail)
    video = submit(session, people["creative"], campaign, "video", "bytedance/seedance-1-lite",
                   params={"duration": 2}, source_id=image.id)  # fmt: skip
    (done,) = drive(video.id)
    assert done.status == "failed" and done.attempts == 1
    assert "input.duration: Must be greater than or equal to 4" in done.error


def test_the_fake_checks_each_field_like_replicate(replicate_env, tmp_path):
    """A field the model does not have, sent through the provider: Replicate's 422 message."""
    spec = catalog.get_model("google/nano-banana")
    job = JobSpec("gen_x", "image", spec, {"aspect_ratio": "1:1", "bogus": 1, "output_format":
                  "gif"}, "a cat", "", [], 1, tmp_path)  # fmt: skip
    with pytest.raises(ProviderError) as caught:
        ReplicateProvider().step(job, lambda _pid: True)
    message = str(caught.value)
    assert "(422)" in message and "Additional property bogus is not allowed" in message
    assert "input.output_format: output_format must be one of the following: jpg, png" in message
    assert not caught.value.transient


def test_rate_limited_create_waits_as_retry_after_says(replicate_env, session, people, campaign):
    fake = replicate_env
    fake.inject("create", status=429, headers={"Retry-After": "7"},
                detail="Request was throttled. Your rate limit resets in ~7s.")  # fmt: skip
    image = submit_image(session, people, campaign)
    waiting = row(image.id)
    assert waiting.status == "queued" and waiting.prediction_id is None
    assert "rate limiting" in waiting.error and "resets in ~7s" in waiting.error
    wait = (waiting.next_attempt_at - utcnow()).total_seconds()
    assert 5.5 < wait <= 7
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert (fake.create_calls, len(fake.creates), done.attempts) == (2, 1, 2)


def test_server_errors_are_retried_with_backoff(replicate_env, session, people, campaign):
    fake = replicate_env
    fake.inject("create", status=500, detail="Internal server error")
    fake.inject("get", status=503, detail="Service unavailable")
    image = submit_image(session, people, campaign)
    first = row(image.id)
    assert first.status == "queued" and "unavailable (HTTP 500)" in first.error
    assert timedelta(0) < first.next_attempt_at - utcnow() <= timedelta(seconds=2)
    started = time.monotonic()
    (done,) = drive(image.id)
    assert time.monotonic() - started < 2  # the client's own GET retry loop did not sleep
    assert done.status == "succeeded", done.error
    # The create was tried twice; the poll's 503 only put the next poll off (no attempt spent).
    assert len(fake.creates) == 1 and done.attempts == 2


def test_unreachable_replicate_is_retried_then_fails(
    replicate_env, session, people, campaign, monkeypatch
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    monkeypatch.setenv("REPLICATE_BASE_URL", f"http://127.0.0.1:{closed_port}")
    reset_settings()
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed"
    assert "Could not reach Replicate (ConnectError)" in done.error
    assert "after 3 attempts" in done.error and done.prediction_id is None


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://replicate.delivery/pbxt/abc/out.png", True),
        ("https://pbxt.replicate.delivery/abc/out.png", True),
        ("http://replicate.delivery/abc/out.png", False),
        ("https://replicate.delivery.evil.example/out.png", False),
        ("https://evilreplicate.delivery/out.png", False),
        ("https://api.replicate.com/v1/files/x", True),
        ("https://api.replicate.com:8443/v1/files/x", False),
        ("http://api.replicate.com/v1/files/x", False),
        ("file:///etc/passwd", False),
    ],
)
def test_download_host_allow_list(url, ok):
    assert allowed(url, "https://api.replicate.com") is ok


def test_an_output_on_another_host_is_refused(replicate_env, session, people, campaign):
    replicate_env.script.output_url = "https://evil.example.com/steal.jpg"
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed"
    assert "Refused to download the output from evil.example.com" in done.error
    assert done.attempts == 1


def test_a_redirect_to_another_host_is_refused(replicate_env, session, people, campaign):
    replicate_env.inject("download", status=302,
                         headers={"Location": "https://evil.example.com/x.jpg"})  # fmt: skip
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed" and "evil.example.com" in done.error


def test_a_failed_download_is_retried(replicate_env, session, people, campaign):
    replicate_env.inject("download", status=502, times=2)
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "succeeded", done.error
    assert replicate_env.count("GET", "/files/") == 3 and done.attempts == 1


def test_an_output_of_the_wrong_type_is_refused(replicate_env, session, people, campaign):
    replicate_env.script.output_content_type = "text/html"
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed" and "text/html, not image" in done.error


def test_a_corrupt_output_is_refused(replicate_env, session, people, campaign):
    replicate_env.script.output_bytes = b"<html>not an image</html>"
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed" and "not a readable image" in done.error


def test_the_token_is_sent_as_bearer_and_never_to_download_hosts(
    replicate_env, session, people, campaign
):
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "succeeded"  # the fake accepts only `Authorization: Bearer <token>`
    assert replicate_env.download_auth == [None]


def _stored_files() -> set[str]:
    root = store.media_dir()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
            and "tmp" not in p.relative_to(root).parts}  # fmt: skip


def test_a_truncated_output_fails_the_row_and_leaves_no_file_in_the_store(
    replicate_env, session, people, campaign
):
    whole = fake_media.image("jpg", "1:1")
    replicate_env.script.output_bytes = whole[: len(whole) // 2]  # the download was cut short
    before = _stored_files()
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed" and "not a readable image" in done.error
    assert done.media_path is None
    assert _stored_files() == before  # no corrupt, unreferenced file left behind
