"""Frames piped into ffmpeg: an MP4 whole or nothing, and ffmpeg's refusal reported (not a
render that waits forever for an encoder that has stopped reading)."""

from __future__ import annotations

import pytest

from core.media.ffmpeg import RenderError, probe
from core.media.frame_pipe import drawn_in_order, encode, raw_input

W, H, FPS = 64, 36, 12


def _frames(count: int):
    return drawn_in_order(lambda i: bytes([i % 256]) * (W * H * 3), count)


def test_frames_become_an_mp4_of_their_count(tmp_path):
    out = tmp_path / "clip.mp4"
    encode(_frames(24), [*raw_input(W, H, FPS), "-c:v", "libx264", "-pix_fmt", "yuv420p"], out)
    facts = probe(out)
    assert (facts.width, facts.height) == (W, H)
    assert facts.duration_s == pytest.approx(2.0, abs=0.1)
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]  # no part left beside it


def test_an_encoder_that_refuses_is_reported_and_leaves_nothing(tmp_path):
    out = tmp_path / "clip.mp4"
    # Many more frames than are buffered: drawing must end once ffmpeg has stopped reading.
    with pytest.raises(RenderError, match="ffmpeg failed"):
        encode(_frames(200), [*raw_input(W, H, FPS), "-c:v", "no-such-codec"], out)
    assert list(tmp_path.iterdir()) == []
