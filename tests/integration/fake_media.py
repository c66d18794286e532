"""Small but valid output files for the fake Replicate: JPG/PNG, H.264 MP4, WAV/MP3.

Made with PIL, the wave module and the ffmpeg binary imageio-ffmpeg ships (not the draft engine,
which is developed separately). Videos are small frames at the requested length and 24 fps;
cached per process because tests ask for the same few files again and again.
"""

from __future__ import annotations

import io
import math
import struct
import subprocess
import tempfile
import wave
import zlib
from functools import lru_cache
from pathlib import Path

import imageio_ffmpeg
from PIL import Image

from core.catalog import IMAGE_SIZES

SAMPLE_RATE = 32_000  # musicgen's EnCodec rate
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "mp4": "video/mp4",
                 "wav": "audio/wav", "mp3": "audio/mpeg"}  # fmt: skip


@lru_cache(maxsize=32)
def image(fmt: str = "jpg", aspect_ratio: str = "1:1") -> bytes:
    size = IMAGE_SIZES.get(aspect_ratio, IMAGE_SIZES["1:1"])
    img = Image.new("RGB", size, (240, 140, 40))
    img.paste((20, 60, 140), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    out = io.BytesIO()
    img.save(out, "JPEG" if fmt == "jpg" else "PNG", quality=80)
    return out.getvalue()


def tagged(data: bytes, ext: str, tag: str) -> bytes:
    """The same picture with `tag` in a comment: distinct predictions give distinct files."""
    text = tag.encode()
    if ext == "jpg":  # a COM segment right after SOI
        return data[:2] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + data[2:]
    if ext == "png":  # a tEXt chunk right after IHDR (8-byte signature + 25-byte chunk)
        body = b"tEXt" + b"Comment\x00" + text
        chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
        return data[:33] + chunk + data[33:]
    return data


def _ffmpeg(args: list[str], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"out.{suffix}"
        cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
        subprocess.run([*cmd, *args, str(out)], check=True, capture_output=True)
        return out.read_bytes()


@lru_cache(maxsize=16)
def video(duration_s: float) -> bytes:
    return _ffmpeg(
        ["-f", "lavfi", "-i", f"color=c=0x336699:s=160x90:d={duration_s}:r=24",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-movflags", "+faststart"],
        "mp4",
    )  # fmt: skip


@lru_cache(maxsize=16)
def wav(duration_s: float) -> bytes:
    frames = int(SAMPLE_RATE * duration_s)
    tone = (int(8000 * math.sin(2 * math.pi * 220 * i / SAMPLE_RATE)) for i in range(frames))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(struct.pack(f"<{frames}h", *tone))
    return out.getvalue()


@lru_cache(maxsize=8)
def mp3(duration_s: float) -> bytes:
    return _ffmpeg(
        ["-f", "lavfi", "-i", f"sine=frequency=220:duration={duration_s}",
         "-c:a", "libmp3lame", "-b:a", "64k"],
        "mp3",
    )  # fmt: skip


@lru_cache(maxsize=16)
def speech(text: str, fmt: str = "wav") -> bytes:
    """A stand-in for a voice line: a short voiced burst per word (a 140 Hz buzz, about a
    voice's pitch), a quarter second of silence before and after, so it is as long as the line
    takes to say and its speech can be found in it."""
    words = max(1, len(text.split()))
    rate = 24000
    seconds = 0.5 + words * 0.36
    tone = []
    for i in range(int(rate * seconds)):
        t = i / rate
        voiced = t >= 0.25 and (t - 0.25) % 0.36 < 0.28 and t < 0.25 + words * 0.36
        buzz = sum(math.sin(2 * math.pi * 140 * k * t) / k for k in (1, 2, 3))
        tone.append(int(6000 * buzz) if voiced else 0)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack(f"<{len(tone)}h", *tone))
    if fmt != "mp3":
        return out.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "speech.wav"
        source.write_bytes(out.getvalue())
        return _ffmpeg(["-i", str(source), "-c:a", "libmp3lame", "-b:a", "64k"], "mp3")
