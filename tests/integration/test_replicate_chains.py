"""Chains on Replicate: text -> nano-banana image -> seedance or kling video (our stored image sent,
never an expiring output URL) -> a musicgen track as long as the video; and chains that mix
draft-engine and Replicate steps."""

import pytest

from core.generation import service as gen
from tests.integration.driving import drive, submit


def _chain(session, actor, campaign, models, **params):
    return gen.submit_chain(session=session, actor=actor, campaign_id=campaign.id,
                            prompt="sparkling water, summer rooftop party", models=models,
                            params=params)  # fmt: skip


def _sent_images(fake, video):
    return fake.predictions[video.prediction_id].digests


@pytest.mark.parametrize(
    ("video_model", "image_field", "seconds"),
    [("bytedance/seedance-1-lite", "image", 6), ("kwaivgi/kling-v2.1", "start_image", 10)],
)
def test_text_to_image_to_video_to_music_on_replicate(
    replicate_env, session, people, campaign, video_model, image_field, seconds
):
    fake = replicate_env
    models = {"image": "google/nano-banana", "video": video_model, "audio": "meta/musicgen"}
    chain = _chain(session, people["creative"], campaign, models, **{"video.duration": seconds})
    image, video, audio = drive(*(r.id for r in chain))
    assert [r.status for r in (image, video, audio)] == ["succeeded"] * 3, video.error
    assert _sent_images(fake, video) == {image_field: [image.media_sha256]}
    assert not any(str(v).startswith(fake.base_url + "/files/")
                   for _, body in fake.creates for v in body["input"].values())  # fmt: skip
    assert audio.params["duration"] == seconds
    assert video.duration_s == pytest.approx(seconds, abs=0.05)
    assert audio.duration_s == pytest.approx(video.duration_s, abs=0.1)
    assert sorted(m for m, _ in fake.creates) == sorted(models.values())  # one prediction each
    assert all(r.cost_usd > 0 for r in (image, video, audio))


def test_a_draft_image_can_start_a_replicate_video(replicate_env, session, people, campaign):
    fake = replicate_env
    (image,) = drive(submit(session, people["creative"], campaign, "image", "local/draft-image").id)
    video = submit(session, people["creative"], campaign, "video", "kwaivgi/kling-v2.1",
                   source_id=image.id)  # fmt: skip
    (done,) = drive(video.id)
    assert done.status == "succeeded", done.error
    assert image.cost_usd == 0 and image.media_mime == "image/png"
    # inline or uploaded, depending on its size: our stored file either way
    sent = _sent_images(fake, done).get("start_image") or list(fake.uploads.values())
    assert sent == [image.media_sha256]


def test_a_replicate_image_can_start_a_draft_video(replicate_env, session, people, campaign):
    (image,) = drive(submit(session, people["creative"], campaign, "image", "google/nano-banana",
                            params={"aspect_ratio": "16:9"}).id)  # fmt: skip
    video = submit(session, people["creative"], campaign, "video", "local/draft-video",
                   params={"duration": 2}, source_id=image.id)  # fmt: skip
    (done,) = drive(video.id)
    assert done.status == "succeeded", done.error
    assert (done.parent_id, done.cost_usd, done.media_mime) == (image.id, 0, "video/mp4")
    assert [m for m, _ in replicate_env.creates] == ["google/nano-banana"]


@pytest.mark.parametrize(
    ("video_model", "audio_model", "remote"),
    [("kwaivgi/kling-v2.1", "local/draft-music", ["google/nano-banana", "kwaivgi/kling-v2.1"]),
     ("local/draft-video", "meta/musicgen", ["meta/musicgen"])],
)  # fmt: skip
def test_chains_mixing_draft_and_replicate_steps(
    replicate_env, session, people, campaign, video_model, audio_model, remote
):
    models = {"video": video_model, "audio": audio_model}
    chain = _chain(session, people["creative"], campaign, models, **{"video.duration": 5})
    image, video, audio = drive(*(r.id for r in chain))
    assert [r.status for r in (image, video, audio)] == ["succeeded"] * 3, video.error
    assert sorted(m for m, _ in replicate_env.creates) == remote
    assert audio.duration_s == pytest.approx(video.duration_s, abs=0.1)
