"""A video's poster is a frame that shows something: not the black of a fade-in, not a flat
colour, and for a final ad not its end card; at the video's own size, made once and kept."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.media import compose, store, thumbs
from core.media.compose import Clip
from core.media.draft.image import render_image
from core.media.draft.video import render_video
from core.media.ffmpeg import run_ffmpeg
from tests.core.media.measure import solid_clip

W, H = 640, 360


def _lavfi(path, source: str) -> None:
    run_ffmpeg(["-y", "-loglevel", "error", "-f", "lavfi", "-i", source, "-c:v", "libx264",
                "-pix_fmt", "yuv420p", str(path)])  # fmt: skip


def _draft_clip(tmp_path, name: str, seconds: float = 2) -> Clip:
    still = tmp_path / f"{name}.png"
    render_image(prompt=f"{name} on a sunny shelf", width=W, height=H, palette=["#F2A65A"],
                 seed=7, fmt="png", out_path=still, metadata={})  # fmt: skip
    clip = tmp_path / f"{name}.mp4"
    render_video(start_image=still, width=W, height=H, duration_s=seconds, fps=24, seed=7,
                 out_path=clip, metadata={})  # fmt: skip
    return Clip(clip, seconds)


def _grey(path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("L"), np.float32)


def test_detail_is_nothing_for_black_or_flat_frames_and_grows_with_what_is_shown():
    rng = np.random.default_rng(1)
    black, flat = np.full((54, 96), 3.0), np.full((54, 96), 140.0)
    textured = rng.uniform(0, 255, (54, 96))
    soft = 120 + 20 * np.sin(np.arange(96) / 6)[None, :].repeat(54, axis=0)
    assert thumbs.detail(black) == thumbs.detail(flat) == 0
    assert thumbs.detail(textured) > thumbs.detail(soft) > 0


def test_a_video_black_for_its_first_half_gets_a_poster_from_its_second(tmp_path):
    video = tmp_path / "late.mp4"
    _lavfi(video, f"testsrc2=size={W}x{H}:rate=24:duration=4,"
                  "drawbox=color=black:t=fill:enable='lt(t,2)'")  # fmt: skip
    assert thumbs.representative_time(video) > 2
    thumbs.poster_frame(video, tmp_path / "p.jpg", max_side=None)
    with Image.open(tmp_path / "p.jpg") as img:
        assert (img.format, img.size) == ("JPEG", (W, H))
    assert _grey(tmp_path / "p.jpg").mean() > 40


def test_a_video_of_nothing_but_black_still_gets_a_poster(tmp_path):
    video = tmp_path / "black.mp4"
    _lavfi(video, f"color=c=black:size={W}x{H}:rate=24:duration=2")
    thumbs.poster_frame(video, tmp_path / "p.jpg")
    with Image.open(tmp_path / "p.jpg") as img:
        assert img.size == (384, 216)


def test_a_final_ads_poster_is_a_real_frame_before_its_end_card_at_its_size(tmp_path):
    clips = [_draft_clip(tmp_path, "sneaker"), Clip(solid_clip(tmp_path / "end.mp4", W, H, 2,
                                                              "0x202020"), 2)]  # fmt: skip
    made = tmp_path / "ad.mp4"
    compose.compose(clips=clips, out_path=made, width=W, height=H, call_to_action="Shop now",
                    accent="#0000FF")  # fmt: skip
    rel = store.store_file(made, "mp4").path
    params = {"durations": [2, 2], "transition": "cut"}
    assert thumbs.representative_time(store.abs_path(rel), 2.0) < 2.0
    poster = compose.poster_of(rel, params)
    with Image.open(poster) as img:
        assert (img.format, img.size) == ("JPEG", (W, H))
        picture = np.asarray(img.convert("RGB"), np.float32)
    assert picture.mean() > 40 and picture.std() > 10  # not near-black, not a flat colour
    band_top, band_bottom = compose.end_card_band("Shop now", W, H)
    band = picture[band_top:band_bottom]
    assert not (band[..., 2] - band[..., 0] > 80).mean() > 0.5  # not the blue call to action


def test_a_stored_poster_is_made_once_and_kept_beside_the_video(tmp_path, monkeypatch):
    video = tmp_path / "v.mp4"
    _lavfi(video, f"testsrc2=size={W}x{H}:rate=24:duration=2")
    stored = store.store_file(video, "mp4")
    first = thumbs.stored_poster(stored.path)
    assert first == store.derived_path(stored.sha256, store.POSTER_SUFFIX)

    def again(*args, **kwargs):
        raise AssertionError("made a second time")

    monkeypatch.setattr(thumbs, "poster_frame", again)
    assert thumbs.stored_poster(stored.path) == first


def test_removing_a_video_removes_its_poster(tmp_path):
    video = tmp_path / "v.mp4"
    _lavfi(video, f"testsrc2=size={W}x{H}:rate=24:duration=2")
    stored = store.store_file(video, "mp4")
    poster = thumbs.stored_poster(stored.path)
    store.remove(stored.path)
    assert not poster.exists() and not store.abs_path(stored.path).exists()


@pytest.mark.parametrize(
    ("durations", "transition", "starts"),
    [([2, 3, 4], "cut", 5.0), ([2, 3, 4], "crossfade", 4.5), ([4], "cut", 0.0)],
)
def test_the_end_card_shows_from_the_last_scenes_start(durations, transition, starts):
    assert compose.end_card_from(durations, transition) == starts
