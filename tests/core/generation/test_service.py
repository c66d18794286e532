"""Generation requests through the services, run on the draft engine (huey immediate mode); chain
quotes."""

import pytest
from PIL import Image
from sqlmodel import select

from core.campaigns import clients
from core.errors import Conflict, PermissionDenied, ValidationError
from core.generation import service as gen
from core.jobs import dependents
from core.media import store
from core.media.ffmpeg import probe
from core.models import Generation, Status
from tests.utils.factories import submit_generation


def _fresh(session, row):
    session.expire_all()
    return session.get(Generation, row.id)


def test_image_request_ends_with_a_stored_png_thumbnail_and_brand_prompt(session, people, campaign):
    row = _fresh(
        session,
        submit_generation(
            session, people["creative"], campaign, "image", params={"aspect_ratio": "16:9"}
        ),
    )
    assert row.status == "succeeded", row.error
    assert row.prompt == "a can of soda on a sunny beach"
    assert "Bright, optimistic, clean" in row.effective_prompt and "#004E89" in row.effective_prompt
    with Image.open(store.abs_path(row.media_path)) as img:
        assert (img.format, img.size) == ("PNG", (1344, 768))
    assert (row.width, row.height, row.cost_usd, row.attempts) == (1344, 768, 0.0, 1)
    assert store.abs_path(row.thumb_path).is_file()
    assert row.started_at <= row.finished_at


def test_brand_can_be_turned_off_per_request(session, people, campaign):
    row = submit_generation(session, people["admin"], campaign, "image", apply_brand=False)
    assert _fresh(session, row).effective_prompt == "a can of soda on a sunny beach"


def test_refused_requests_write_nothing(session, people, campaign):
    with pytest.raises(PermissionDenied, match="viewer"):
        submit_generation(session, people["viewer"], campaign, "image")
    with pytest.raises(ValidationError, match="aspect_ratio"):
        submit_generation(
            session, people["admin"], campaign, "image", params={"aspect_ratio": "2:1"}
        )
    with pytest.raises(ValidationError, match="needs REPLICATE_API_TOKEN"):
        submit_generation(session, people["admin"], campaign, "image", model="google/nano-banana")
    with pytest.raises(ValidationError, match="makes audio, not video"):
        submit_generation(session, people["admin"], campaign, "video", model="local/draft-music")
    assert session.exec(select(Generation)).all() == []
    assert not list((store.media_dir()).glob("??/*"))


def test_video_without_start_image_chains_text_to_image_to_video(session, people, campaign):
    video = _fresh(
        session,
        submit_generation(
            session,
            people["admin"],
            campaign,
            "video",
            params={"duration": 2, "resolution": "480p", "aspect_ratio": "9:16"},
        ),
    )
    image = session.get(Generation, video.parent_id)
    assert image.kind == "image" and image.status == "succeeded"
    assert dependents.inputs_of(session, video.id) == [image.id]  # it waited on its image
    assert video.status == "succeeded", video.error
    info = probe(store.abs_path(video.media_path))
    assert (info.video_codec, info.width, info.height) == ("h264", 480, 854)
    assert abs(info.duration_s - 2.0) <= 0.1
    assert video.chain_id == image.id == image.chain_id
    # The gallery's poster: a JPEG of the clip's own shape, a picture rather than a blank frame.
    with Image.open(store.abs_path(video.thumb_path)) as poster:
        assert poster.format == "JPEG" and poster.height == 384
        assert abs(poster.width / poster.height - 480 / 854) < 0.01
        low, high = poster.convert("L").getextrema()
        assert high - low > 40


def test_video_from_an_uploaded_asset_and_from_a_frame_of_a_video(session, people, campaign):
    admin = people["admin"]
    first = _fresh(
        session,
        submit_generation(
            session, admin, campaign, "video", params={"duration": 1, "resolution": "480p"}
        ),
    )
    from_frame = _fresh(
        session,
        submit_generation(
            session,
            admin,
            campaign,
            "video",
            "keep moving",
            params={"duration": 1, "resolution": "480p"},
            source_id=first.id,
            source_frame_s=0.5,
        ),
    )
    assert from_frame.status == "succeeded", from_frame.error
    assert from_frame.parent_id == first.id and from_frame.source_frame_s == 0.5


def test_chain_makes_image_video_and_a_track_as_long_as_the_video(session, people, campaign):
    rows = gen.submit_chain(
        session=session,
        actor=people["creative"],
        campaign_id=campaign.id,
        prompt="upbeat 120 BPM summer party",
        params={"video.duration": 3, "resolution": "480p"},
    )
    image, video, audio = (_fresh(session, r) for r in rows)
    assert [r.kind for r in (image, video, audio)] == ["image", "video", "audio"]
    assert video.parent_id == image.id and audio.parent_id == video.id
    assert all(r.status == "succeeded" for r in (image, video, audio))
    assert audio.params["duration"] == 3
    assert abs(audio.duration_s - video.duration_s) <= 0.1


def test_a_chains_track_has_its_own_prompt_and_only_the_sound_direction(session, people, campaign):
    clients.update_client(session=session, actor=people["admin"], client_id=campaign.client_id,
                          sound_direction="warm acoustic guitar")  # fmt: skip
    image, video, audio = gen.plan_chain(
        session=session, actor=people["creative"], campaign_id=campaign.id,
        prompt="a can of lemonade on a sunny beach", music_prompt="upbeat summer pop, 120 BPM",
    )  # fmt: skip
    assert image.prompt == video.prompt == "a can of lemonade on a sunny beach"
    assert "#FF6B35" in image.effective_prompt and "#FF6B35" in video.effective_prompt
    assert audio.prompt == "upbeat summer pop, 120 BPM"
    assert audio.effective_prompt == (
        "upbeat summer pop, 120 BPM. Sound direction: warm acoustic guitar."
    )
    assert audio.negative_prompt == ""


def test_a_chain_with_an_empty_music_prompt_is_refused_by_name(session, people, campaign):
    with pytest.raises(ValidationError, match="music prompt: write what the track should sound"):
        gen.plan_chain(session=session, actor=people["creative"], campaign_id=campaign.id,
                       prompt="a beach", music_prompt="  ")  # fmt: skip


def test_chain_param_for_no_step_is_refused(session, people, campaign):
    with pytest.raises(ValidationError, match="no step of the chain takes"):
        gen.submit_chain(
            session=session,
            actor=people["admin"],
            campaign_id=campaign.id,
            prompt="x",
            params={"colour": "red"},
        )


def test_deleting_removes_files_unless_another_generation_uses_them(session, people, campaign):
    admin = people["admin"]
    a = _fresh(session, submit_generation(session, admin, campaign, "image", params={"seed": 7}))
    b = _fresh(session, submit_generation(session, admin, campaign, "image", params={"seed": 7}))
    assert a.media_sha256 == b.media_sha256  # deterministic: same prompt, params and seed
    path = store.abs_path(a.media_path)
    gen.delete(session=session, actor=admin, generation_id=a.id)
    assert path.is_file()
    gen.delete(session=session, actor=admin, generation_id=b.id)
    assert not path.exists() and not store.abs_path(b.thumb_path).exists()


def test_creatives_delete_only_their_own_work(session, people, campaign):
    row = submit_generation(session, people["admin"], campaign, "image")
    with pytest.raises(PermissionDenied, match="your own work"):
        gen.delete(session=session, actor=people["creative"], generation_id=row.id)


def test_cancel_and_retry_rules(session, people, campaign):
    row = submit_generation(session, people["admin"], campaign, "image")
    with pytest.raises(Conflict, match="only unfinished jobs"):
        gen.cancel(session=session, actor=people["admin"], generation_id=row.id)
    with pytest.raises(Conflict, match="only failed or canceled"):
        gen.retry(session=session, actor=people["admin"], generation_id=row.id)


def test_deleting_a_parent_keeps_its_children_and_their_memory_of_it(session, people, campaign):
    admin = people["admin"]
    video = _fresh(
        session, submit_generation(session, admin, campaign, "video", params={"duration": 1})
    )
    image_id = video.parent_id
    gen.delete(session=session, actor=admin, generation_id=image_id)
    video = _fresh(session, video)
    assert video.parent_id is None  # no dangling foreign key
    assert dependents.inputs_of(session, video.id) == []
    assert video.deleted_parent_id == image_id
    # Nothing else points at it, so the child can still be deleted in turn.
    gen.delete(session=session, actor=admin, generation_id=video.id)


def test_retrying_a_video_whose_start_image_was_deleted_says_so(session, people, campaign):
    admin = people["admin"]
    image = _fresh(session, submit_generation(session, admin, campaign, "image"))
    video = submit_generation(
        session, admin, campaign, "video", source_id=image.id, params={"duration": 1}
    )
    video = _fresh(session, video)
    video.status, video.error = Status.failed, "the model was down"
    session.add(video)
    session.commit()
    gen.delete(session=session, actor=admin, generation_id=image.id)
    gen.retry(session=session, actor=admin, generation_id=video.id)
    video = _fresh(session, video)  # not silently made from the prompt alone instead
    assert (video.status, video.error) == ("failed", f"The start image {image.id} was deleted.")


def test_a_chain_quote_lists_each_step_and_writes_nothing(session, people, campaign):
    rows = gen.plan_chain(
        session=session, actor=people["creative"], campaign_id=campaign.id,
        prompt="waves at dawn", params={"video.duration": 7},
    )  # fmt: skip
    assert [str(r.kind) for r in rows] == ["image", "video", "audio"]
    assert rows[2].params["duration"] == 7
    assert sum(r.estimated_cost_usd for r in rows) == 0.0
    assert session.exec(select(Generation)).all() == []


def test_viewers_get_no_quote(session, people, campaign):
    with pytest.raises(PermissionDenied):
        gen.plan_chain(session=session, actor=people["viewer"], campaign_id=campaign.id, prompt="x")


def test_a_replicate_chain_quote_prices_every_step(session, people, campaign, monkeypatch):
    from core.config import reset_settings

    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_test")
    reset_settings()
    rows = gen.plan_chain(
        session=session, actor=people["creative"], campaign_id=campaign.id, prompt="waves",
        models={"video": "bytedance/seedance-1-lite", "audio": "meta/musicgen"},
        params={"video.duration": 5, "video.resolution": "720p"},
    )  # fmt: skip
    quote = [(r.model, r.estimated_cost_usd) for r in rows]
    assert quote == [
        ("google/nano-banana", 0.039),
        ("bytedance/seedance-1-lite", 0.18),
        ("meta/musicgen", pytest.approx(0.00115 * (8 + 2 * 5))),
    ]
