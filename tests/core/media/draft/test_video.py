"""Draft video decodes as H.264/yuv420p with faststart, exact size, duration and frame count."""

import numpy as np
import pytest
from PIL import Image

from core.media.draft.image import render_image
from core.media.draft.video import render_video
from core.media.ffmpeg import count_frames, probe
from core.media.thumbs import extract_frame


@pytest.fixture(scope="module")
def start(tmp_path_factory):
    path = tmp_path_factory.mktemp("start") / "start.png"
    render_image(
        prompt="lighthouse on a cliff",
        width=832,
        height=1216,
        palette=[],
        seed=1,
        fmt="png",
        out_path=path,
        metadata={},
    )
    return path


def _video(start, tmp_path, w, h, seconds, fps=24, seed=1, name="v.mp4"):
    out = tmp_path / name
    render_video(
        start_image=start,
        width=w,
        height=h,
        duration_s=seconds,
        fps=fps,
        seed=seed,
        out_path=out,
        metadata={"title": "lighthouse", "comment": "seed=1"},
    )
    return out


@pytest.mark.parametrize(
    ("w", "h", "seconds", "fps"), [(1280, 720, 2, 24), (480, 854, 5, 24), (640, 640, 1, 12)]
)
def test_h264_yuv420p_at_the_requested_size_duration_and_frame_count(
    start, tmp_path, w, h, seconds, fps
):
    out = _video(start, tmp_path, w, h, seconds, fps)
    info = probe(out)
    assert (info.video_codec, info.pix_fmt, info.width, info.height) == ("h264", "yuv420p", w, h)
    assert abs(info.duration_s - seconds) <= 0.1
    assert count_frames(out) == seconds * fps
    assert info.tags["title"] == "lighthouse"


def test_faststart_puts_the_index_before_the_media(start, tmp_path):
    data = _video(start, tmp_path, 320, 180, 1).read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")


def _frame(path, at, tmp_path, name):
    png = tmp_path / name
    extract_frame(path, png, at_s=at)
    return np.asarray(Image.open(png).convert("L"), dtype=np.float32)


def test_it_moves_smoothly_and_shows_the_start_image(start, tmp_path):
    out = _video(start, tmp_path, 320, 464, 2)
    a, b, mid = (_frame(out, t, tmp_path, f"{t}.png") for t in (0.9, 1.0, 1.0))
    assert np.abs(a - b).mean() > 0.1  # frames differ: it moves
    source = np.asarray(Image.open(start).convert("L").resize((320, 464)), dtype=np.float32)
    flat = np.full_like(source, source.mean())
    assert np.abs(mid - source).mean() < np.abs(flat - source).mean()


def test_deterministic_for_the_same_seed(start, tmp_path):
    one = _video(start, tmp_path, 320, 180, 1, name="a.mp4")
    two = _video(start, tmp_path, 320, 180, 1, name="b.mp4")
    other = _video(start, tmp_path, 320, 180, 1, seed=2, name="c.mp4")
    frame = lambda p, n: _frame(p, 0.6, tmp_path, n)  # noqa: E731
    assert np.array_equal(frame(one, "1.png"), frame(two, "2.png"))
    assert not np.array_equal(frame(one, "3.png"), frame(other, "4.png"))
