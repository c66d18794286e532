"""A finished render or download: checked, described, stored, and given its preview."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from core.db import session_scope
from core.errors import ProviderError
from core.media import store, thumbs, usage
from core.media.ffmpeg import RenderError, probe

SOUND_KINDS = ("audio", "voice")  # music and voice lines: checked and previewed alike


@dataclass(frozen=True)
class MediaFacts:
    """What a renderer knows it made; lets storing skip probing its own output."""

    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    poster: Path | None = None  # a frame the renderer already drew, for the preview


@dataclass(frozen=True)
class StoredOutput:
    file: store.StoredFile
    width: int | None
    height: int | None
    duration_s: float | None
    thumb_path: str | None


def _describe(path: Path, kind: str) -> tuple[int | None, int | None, float | None]:
    try:
        if kind == "image":
            with Image.open(path) as img:
                img.verify()  # the structure; decoding it all finds a file cut short
            with Image.open(path) as img:
                img.load()
                return img.width, img.height, None
        info = probe(path)
    except (OSError, RenderError, ValueError) as error:
        raise ProviderError(f"The output is not a readable {kind} file: {error}") from error
    if kind in ("video", "composite") and not info.width:
        raise ProviderError("The output has no video stream.")
    if kind in SOUND_KINDS and not info.sample_rate:
        raise ProviderError("The output has no audio stream.")
    return info.width, info.height, info.duration_s


def _preview(stored: store.StoredFile, kind: str, poster: Path | None = None) -> str | None:
    """Thumbnail (image), poster frame (video) or waveform (audio); skipped if already there."""
    source = store.abs_path(stored.path)
    suffix = store.WAVE_SUFFIX if kind in SOUND_KINDS else store.THUMB_SUFFIX
    target = store.derived_path(stored.sha256, suffix)
    if not target.exists():
        # A name of its own: two steps storing the same output at once must not share it.
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp{target.suffix}")
        if kind == "image" or poster is not None:
            thumbs.thumbnail(poster or source, tmp)
        elif kind in SOUND_KINDS:
            thumbs.waveform(source, tmp)
        else:
            thumbs.poster_frame(source, tmp)
        store.publish(tmp, target)
    return str(target.relative_to(store.media_dir()))


def describe_and_store(
    path: Path, ext: str, kind: str, facts: MediaFacts | None = None, sha256: str | None = None
) -> StoredOutput:
    """Outputs we did not make ourselves are probed: their bytes must be what they claim.
    With `sha256` (hashed while it was written) the file is moved into the store, not copied."""
    if facts is not None:
        width, height, duration = facts.width, facts.height, facts.duration_s
    else:
        width, height, duration = _describe(path, kind)
    stored = store.adopt_file(path, ext, sha256) if sha256 else store.store_file(path, ext)
    poster = facts.poster if facts is not None else None
    try:
        thumb = _preview(stored, "image" if kind == "image" else kind, poster)
    except (OSError, RenderError, ValueError) as error:
        with session_scope() as session:  # no row points at it yet: another row's stays
            usage.remove_if_unused(session, stored.path)
        raise ProviderError(f"The output is not a readable {kind} file: {error}") from error
    return StoredOutput(stored, width, height, duration, thumb)
