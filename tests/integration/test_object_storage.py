"""Media in S3-compatible object storage, shared by machines with their own data dirs: an image
made by a worker on one machine is the start of a video made by a worker on another (it had
the image only in the bucket), and a third machine plays the video. The bucket is a real
S3-compatible server on loopback (moto's), spoken to by boto3 as AWS or MinIO would be."""

from __future__ import annotations

import os

import boto3
import httpx
import pytest
import redis

from core import jobs
from core.config import get_settings, reset_settings
from core.media import remote, store
from core.media.ffmpeg import probe
from core.storyboards import final_ad
from tests.integration.driving import rows
from tests.utils.factories import (
    TINY_FIELDS,
    approve_storyboard,
    make_storyboard,
    submit_generation,
)
from tests.utils.processes import core_worker, free_port

BUCKET = "studio-media"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def shared_media(s3_server, monkeypatch, studio_env):
    """Object storage, a Redis queue (the run's own index) and the run's database, each set so
    that another machine's environment can point at the same ones."""
    settings = {
        "STUDIO_MEDIA_URL": f"s3://{BUCKET}/studio", "STUDIO_S3_ENDPOINT_URL": s3_server,
        "STUDIO_S3_ACCESS_KEY_ID": "testing", "STUDIO_S3_SECRET_ACCESS_KEY": "testing",
        "STUDIO_QUEUE_URL": os.environ.get("STUDIO_TEST_REDIS_URL", "redis://127.0.0.1:6379/13"),
    }  # fmt: skip
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("STUDIO_DATABASE_URL", get_settings().database_url)  # shared by all
    reset_settings()
    remote.forget_clients()
    jobs.reset_queues()
    bucket = boto3.resource("s3", endpoint_url=s3_server, aws_access_key_id="testing",
                            aws_secret_access_key="testing", region_name="us-east-1")  # fmt: skip
    bucket.create_bucket(Bucket=BUCKET)
    queue = redis.Redis.from_url(settings["STUDIO_QUEUE_URL"])
    queue.flushdb()
    yield bucket.Bucket(BUCKET)
    queue.flushdb()
    queue.close()
    bucket.Bucket(BUCKET).objects.all().delete()
    bucket.Bucket(BUCKET).delete()
    jobs.reset_queues()


def _machine(tmp_path, name: str) -> dict[str, str]:
    return {**os.environ, "STUDIO_DATA_DIR": str(tmp_path / name)}


def _wait_done(worker, gen_id: str):
    return worker.wait_until(lambda: rows(gen_id)[0].status in ("succeeded", "failed"),
                             timeout=120, what=f"{gen_id} to finish")  # fmt: skip


def test_a_video_on_one_machine_starts_from_an_image_made_on_another(
    shared_media, session, people, campaign, tmp_path
):
    image = submit_generation(session, people["creative"], campaign, "image")
    session.commit()
    with core_worker(env=_machine(tmp_path, "machine-a")) as worker_a:
        _wait_done(worker_a, image.id)
    [made] = rows(image.id)
    assert made.status == "succeeded", made.error
    assert not (tmp_path / "machine-b").exists()
    session.expire_all()  # made by another process since
    video = submit_generation(session, people["creative"], campaign, "video",
                              source_id=image.id, params={"duration": 2})  # fmt: skip
    session.commit()
    with core_worker(env=_machine(tmp_path, "machine-b")) as worker_b:
        _wait_done(worker_b, video.id)
    [clip] = rows(video.id)
    assert clip.status == "succeeded", clip.error  # machine B fetched A's image from the bucket
    assert (tmp_path / "machine-b" / "media" / made.media_path).exists()
    keys = {o.key for o in shared_media.objects.all()}
    assert {f"studio/{made.media_path}", f"studio/{clip.media_path}",
            f"studio/{clip.thumb_path}"} <= keys  # fmt: skip
    # A third machine (this test's data dir never saw either file) plays the clip.
    local = store.abs_path(clip.media_path)
    info = probe(local)
    assert info.video_codec == "h264" and abs(info.duration_s - 2) <= 0.1


def test_a_render_on_two_machines_at_once_plays_anywhere(
    shared_media, session, people, campaign, tmp_path
):
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    ids = [s.id for s in plan.steps]
    with (
        core_worker(env=_machine(tmp_path, "machine-a")) as worker_a,
        core_worker(env=_machine(tmp_path, "machine-b")),
    ):
        worker_a.wait_until(
            lambda: all(r.status in ("succeeded", "failed") for r in rows(*ids)),
            timeout=180, what=lambda: f"the render: {[(r.kind, r.status) for r in rows(*ids)]}",
        )  # fmt: skip
    done = rows(*ids)
    assert all(r.status == "succeeded" for r in done), [(r.kind, r.error) for r in done]
    [final] = [r for r in done if r.kind == "composite"]
    info = probe(store.abs_path(final.media_path))  # a third machine plays it
    assert info.video_codec == "h264" and abs(info.duration_s - 4) <= 0.1


def test_a_file_the_bucket_refused_is_not_kept_on_this_machine(s3_server, monkeypatch, studio_env):
    monkeypatch.setenv("STUDIO_MEDIA_URL", "s3://no-such-bucket/studio")
    monkeypatch.setenv("STUDIO_S3_ENDPOINT_URL", s3_server)
    monkeypatch.setenv("STUDIO_S3_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("STUDIO_S3_SECRET_ACCESS_KEY", "testing")
    reset_settings()
    remote.forget_clients()
    with pytest.raises(Exception, match="NoSuchBucket|does not exist"):
        store.store_stream(iter([b"\x89PNG fake bytes"]), "png")
    kept = [p for p in store.media_dir().rglob("*") if p.is_file()]
    assert kept == []  # a later try stores and uploads it again, so every machine gets it


def _clip_made_elsewhere(session, people, campaign, tmp_path):
    """A 2 s clip made by a worker on another machine (a data dir of its own), in the bucket."""
    clip = submit_generation(session, people["creative"], campaign, "video",
                             params={"duration": 2})  # fmt: skip
    session.commit()
    with core_worker(env=_machine(tmp_path, "render-box")) as worker:
        _wait_done(worker, clip.id)
    [made] = rows(clip.id)
    assert made.status == "succeeded", made.error
    return made


def _play(gen_id: str):
    import streamlit as st  # noqa: F401  (AppTest runs this function as the page)

    from core.db import session_scope
    from core.models import Generation
    from ui.media import stored_file, video

    with session_scope() as session:
        row = session.get(Generation, gen_id)
    video(row, stored_file(row.media_path))


def test_a_video_plays_from_a_signed_link_to_the_bucket_not_from_the_server(
    shared_media, session, people, campaign, tmp_path
):
    from streamlit.testing.v1 import AppTest

    made = _clip_made_elsewhere(session, people, campaign, tmp_path)
    at = AppTest.from_function(_play, args=(made.id,)).run()
    [player] = at.get("video")
    link = player.proto.url
    assert link.startswith(os.environ["STUDIO_S3_ENDPOINT_URL"]) and "Signature" in link
    fetched = httpx.get(link, headers={"Range": "bytes=0-99"}, timeout=30)
    assert fetched.status_code == 206  # the browser seeks in it straight from the store
    assert fetched.content == store.abs_path(made.media_path).read_bytes()[:100]
    assert remote.download_url(made.media_path) == link  # the same link on the next rerun


def _download(gen_id: str):
    from core.db import session_scope
    from core.models import Generation
    from ui.media import download_as

    with session_scope() as session:
        row = session.get(Generation, gen_id)
    download_as(row, label="Download 16:9 MP4", name="spring-ad-16x9-final.mp4", key="dl")


def test_a_download_is_a_signed_link_that_saves_under_its_name(
    shared_media, session, people, campaign, tmp_path
):
    from streamlit.testing.v1 import AppTest

    made = _clip_made_elsewhere(session, people, campaign, tmp_path)
    at = AppTest.from_function(_download, args=(made.id,)).run()
    assert not at.get("download_button")  # the app server never read the bytes
    [link] = at.get("link_button")
    assert link.proto.label == "Download 16:9 MP4"
    fetched = httpx.get(link.proto.url, timeout=30)
    assert fetched.status_code == 200
    assert (
        fetched.headers["content-disposition"] == 'attachment; filename="spring-ad-16x9-final.mp4"'
    )
    assert fetched.content == store.abs_path(made.media_path).read_bytes()
