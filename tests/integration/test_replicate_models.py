"""Every seed model end to end through the service, the runner, the real client and the fake
Replicate over HTTP: the endpoint used, the request body (checked against the model's schema by
the fake), the stored output, and the estimated and actual cost."""

import hashlib

import pytest

from core.media import store
from tests.integration.driving import drive, rows, submit


def _only_create(fake, model):
    bodies = [body for m, body in fake.creates if m == model]
    assert len(bodies) == 1
    return bodies[0]


def test_nano_banana_by_model_endpoint(replicate_env, session, people, campaign):
    fake = replicate_env
    image = submit(session, people["creative"], campaign, "image", "google/nano-banana",
                   params={"aspect_ratio": "16:9", "output_format": "png"})  # fmt: skip
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert fake.count("POST", "/v1/models/google/nano-banana/predictions") == 1
    body = _only_create(fake, "google/nano-banana")
    assert body == {"input": {"prompt": done.effective_prompt, "aspect_ratio": "16:9",
                              "output_format": "png"}}  # fmt: skip
    assert (done.media_mime, done.width, done.height) == ("image/png", 1344, 768)
    assert done.prediction_id in fake.predictions
    assert done.estimated_cost_usd == done.cost_usd == 0.039
    assert store.abs_path(done.thumb_path).is_file()


def test_seedance_video_starts_from_the_stored_image(replicate_env, session, people, campaign):
    fake = replicate_env
    video = submit(session, people["creative"], campaign, "video", "bytedance/seedance-1-lite",
                   params={"duration": 6, "resolution": "480p", "seed": 7})  # fmt: skip
    image_id = video.parent_id  # the image step it waits on
    image, done = drive(image_id, video.id)
    assert (image.status, done.status) == ("succeeded", "succeeded"), done.error
    body = _only_create(fake, "bytedance/seedance-1-lite")["input"]
    assert body["image"].startswith("data:image/jpeg;base64,")
    assert fake.predictions[done.prediction_id].digests == {"image": [image.media_sha256]}
    assert {k: body[k] for k in ("duration", "resolution", "fps", "seed", "camera_fixed")} == {
        "duration": 6,
        "resolution": "480p",
        "fps": 24,
        "seed": 7,
        "camera_fixed": False,
    }
    assert done.media_mime == "video/mp4" and done.duration_s == pytest.approx(6, abs=0.05)
    assert done.estimated_cost_usd == pytest.approx(0.018 * 6)
    assert done.cost_usd == pytest.approx(0.018 * 6, rel=0.01)


def test_kling_gets_negative_prompt_and_mode_pricing(replicate_env, session, people, campaign):
    fake = replicate_env
    video = submit(session, people["creative"], campaign, "video", "kwaivgi/kling-v2.1",
                   params={"mode": "pro", "duration": 10})  # fmt: skip
    image, done = drive(video.parent_id, video.id)
    assert done.status == "succeeded", done.error
    body = _only_create(fake, "kwaivgi/kling-v2.1")["input"]
    assert body["negative_prompt"] == done.negative_prompt == "no text artifacts"
    assert (body["mode"], body["duration"]) == ("pro", 10)
    assert fake.predictions[done.prediction_id].digests == {"start_image": [image.media_sha256]}
    assert done.estimated_cost_usd == pytest.approx(0.9)
    assert done.cost_usd == pytest.approx(0.9, rel=0.01)


def test_musicgen_runs_by_version_and_bills_gpu_seconds(replicate_env, session, people, campaign):
    fake = replicate_env
    fake.script.predict_time_s = 3.5
    track = submit(session, people["creative"], campaign, "audio", "meta/musicgen",
                   params={"duration": 6, "output_format": "mp3", "seed": 3})  # fmt: skip
    (done,) = drive(track.id)
    assert done.status == "succeeded", done.error
    assert fake.count("POST", "/v1/predictions") == 1
    assert fake.count("POST", "/v1/models/") == 0
    body = _only_create(fake, "meta/musicgen")
    assert body["version"] == "671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb"
    assert body["input"]["prompt"] == done.effective_prompt
    assert (body["input"]["duration"], body["input"]["output_format"]) == (6, "mp3")
    assert done.media_mime == "audio/mpeg" and done.duration_s == pytest.approx(6, abs=0.1)
    assert done.estimated_cost_usd == pytest.approx(0.00115 * (8 + 2 * 6))
    assert done.cost_usd == pytest.approx(0.00115 * 3.5)


def test_riffusion_keeps_the_audio_of_its_object_output(replicate_env, session, people, campaign):
    fake = replicate_env
    fake.script.predict_time_s = 4.0
    clip = submit(session, people["creative"], campaign, "audio", "riffusion/riffusion",
                  params={"seed_image_id": "og_beat", "denoising": 0.6})  # fmt: skip
    (done,) = drive(clip.id)
    assert done.status == "succeeded", done.error
    body = _only_create(fake, "riffusion/riffusion")
    assert body["input"] == {"prompt_a": done.effective_prompt, "seed_image_id": "og_beat",
                             "denoising": 0.6, "num_inference_steps": 50}  # fmt: skip
    assert done.media_mime == "audio/wav"
    assert fake.count("GET", f"/files/{done.prediction_id}/audio.wav") == 1
    assert fake.count("GET", f"/files/{done.prediction_id}/spectrogram") == 0
    assert done.estimated_cost_usd == pytest.approx(0.000225 * 6)
    assert done.cost_usd == pytest.approx(0.000225 * 4.0)


def test_a_large_start_image_is_uploaded_not_inlined(replicate_env, session, people, campaign):
    fake = replicate_env
    noisy = _noisy_png(700, 500)  # over the 256 KB data-URI limit
    fake.script.output_bytes = noisy
    image = submit(session, people["creative"], campaign, "image", "google/nano-banana",
                   params={"output_format": "png"})  # fmt: skip
    drive(image.id)
    fake.script.output_bytes = None
    video = submit(session, people["creative"], campaign, "video", "kwaivgi/kling-v2.1",
                   source_id=image.id)  # fmt: skip
    (done,) = drive(video.id)
    assert done.status == "succeeded", done.error
    start = _only_create(fake, "kwaivgi/kling-v2.1")["input"]["start_image"]
    assert start.startswith(fake.base_url + "/v1/files/")
    assert list(fake.uploads.values()) == [hashlib.sha256(noisy).hexdigest()]
    assert rows(image.id)[0].media_sha256 == hashlib.sha256(noisy).hexdigest()


def _noisy_png(width: int, height: int) -> bytes:
    import io
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()
