"""Previews: thumbnails, poster frames, single frames and waveforms."""

import numpy as np
from PIL import Image

from core.media.draft.image import render_image
from core.media.draft.music import render_music
from core.media.draft.video import render_video
from core.media.thumbs import extract_frame, poster_frame, thumbnail, waveform


def test_previews_have_the_promised_sizes_and_frames_differ(tmp_path):
    still = tmp_path / "s.png"
    render_image(
        prompt="red sneaker",
        width=1344,
        height=768,
        palette=[],
        seed=1,
        fmt="png",
        out_path=still,
        metadata={},
    )
    thumbnail(still, tmp_path / "t.jpg")
    assert Image.open(tmp_path / "t.jpg").size == (384, 219)
    clip = tmp_path / "c.mp4"
    render_video(
        start_image=still,
        width=640,
        height=360,
        duration_s=2,
        fps=24,
        seed=3,
        out_path=clip,
        metadata={},
    )
    poster_frame(clip, tmp_path / "p.jpg")
    assert Image.open(tmp_path / "p.jpg").size == (384, 216)
    extract_frame(clip, tmp_path / "first.png", at_s=0.5)
    extract_frame(clip, tmp_path / "last.png")
    first, last = (
        np.asarray(Image.open(tmp_path / n), np.float32) for n in ("first.png", "last.png")
    )
    assert first.shape == last.shape == (360, 640, 3)
    assert np.abs(first - last).mean() > 1


def test_waveform_draws_the_track(tmp_path):
    track = tmp_path / "m.wav"
    render_music(prompt="upbeat", duration_s=2, seed=1, fmt="wav", out_path=track, metadata={})
    waveform(track, tmp_path / "w.png", width=300, height=80)
    img = np.asarray(Image.open(tmp_path / "w.png").convert("L"))
    assert img.shape == (80, 300)
    assert (img < 200).mean() > 0.05  # ink: the envelope was drawn
