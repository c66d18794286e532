"""Content-addressed media store: `media/<sha[:2]>/<sha>.<ext>`, written as streams.

Files are hashed while they are written to a temporary file inside the store, then moved into
place with `os.replace`, so a reader never sees half a file and a failure leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.config import get_settings, private_data_dir
from core.errors import ValidationError
from core.media import remote

CHUNK = 1 << 20
MIME_BY_EXT = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
}
EXT_BY_MIME = {mime: ext for ext, mime in MIME_BY_EXT.items()}
THUMB_SUFFIX = ".thumb.jpg"
WAVE_SUFFIX = ".wave.png"
POSTER_SUFFIX = ".poster.jpg"  # a video's full-size poster (`thumbs.stored_poster`)
DERIVED_SUFFIXES = (THUMB_SUFFIX, WAVE_SUFFIX, POSTER_SUFFIX)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: str  # relative to the media dir
    mime: str
    bytes: int


def media_dir() -> Path:
    private_data_dir()
    path = get_settings().media_dir
    path.mkdir(parents=True, exist_ok=True)
    return path


def abs_path(rel: str) -> Path:
    """The stored file on this machine; with object storage, fetched into this machine's data
    dir on first use (another machine may have made it)."""
    path = _local(rel)
    if not path.exists() and remote.configured() and _safe(rel):
        remote.fetch(rel, path)
    return path


def publish(tmp: Path, target: Path) -> None:
    """A file made beside the stored ones (a thumbnail), written to `tmp`: into object storage
    under `target`'s name when there is one, then moved to `target`. Uploaded first: a file on
    this machine is then always in the bucket too (a failed upload leaves nothing, and the
    next try makes it again)."""
    if remote.configured():
        remote.put(str(target.relative_to(media_dir())), tmp)
    tmp.replace(target)


def _safe(rel: str) -> bool:
    return not (rel.startswith("/") or ".." in Path(rel).parts)


def _local(rel: str) -> Path:
    return media_dir() / rel


def _tmp_root() -> Path:
    root = media_dir() / "tmp"
    root.mkdir(exist_ok=True)
    return root


def owner_prefix() -> str:
    """`<host>-<pid>`: how a work dir on a volume several machines may share names the process
    that owns it (`sweep_dead_owners`)."""
    return f"{socket.gethostname().replace('-', '_') or 'host'}-{os.getpid()}"


def sweep_dead_owners(root: Path) -> int:
    """Remove the dirs under `root` (named `owner_prefix()`, maybe with more after a '-') whose
    process of this machine died (e.g. kill -9). Another machine's are its own to sweep: a pid
    says nothing about a process there."""
    host = owner_prefix().rpartition("-")[0]
    removed = 0
    for entry in root.iterdir():
        owner, _, rest = entry.name.partition("-")
        pid = rest.split("-", 1)[0]
        if owner == host and entry.is_dir() and pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private work dir inside the store (same filesystem, so finished files move atomically)."""
    path = Path(tempfile.mkdtemp(dir=_tmp_root(), prefix=f"{owner_prefix()}-"))
    try:
        yield path
    finally:
        try:
            # Most steps leave it empty (a poll writes nothing; outputs are moved into the
            # store): one rmdir, not rmtree's descriptor-safe walk (a tenth of a poll's CPU).
            os.rmdir(path)
        except OSError:
            shutil.rmtree(path, ignore_errors=True)


def sweep_scratch() -> int:
    """Remove work dirs left by processes of this machine that died."""
    return sweep_dead_owners(_tmp_root())


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _place(tmp: Path, sha: str, ext: str, size: int) -> StoredFile:
    rel = f"{sha[:2]}/{sha}.{ext}"
    dest = media_dir() / rel
    dest.parent.mkdir(exist_ok=True)
    if dest.exists():
        tmp.unlink(missing_ok=True)
    else:
        if remote.configured():  # first: a file on this machine is always in the bucket too
            remote.put(rel, tmp)
        os.replace(tmp, dest)
    return StoredFile(sha, rel, MIME_BY_EXT[ext], size)


def store_stream(chunks: Iterable[bytes], ext: str, *, max_bytes: int | None = None) -> StoredFile:
    """Store bytes from an iterator without holding them in memory; refuses more than max_bytes."""
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=_tmp_root(), suffix=f".{ext}")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    limit = f"{max_bytes / 2**20:g} MB"
                    raise ValidationError({"file": f"The file is larger than the {limit} limit."})
                digest.update(chunk)
                out.write(chunk)
        return _place(tmp, digest.hexdigest(), ext, size)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as src:
        while chunk := src.read(CHUNK):
            yield chunk


def store_file(path: Path, ext: str) -> StoredFile:
    """Store a finished file (e.g. a render); the source is left for its owner to clean up."""
    return store_stream(read_chunks(path), ext)


def adopt_file(path: Path, ext: str, sha256: str) -> StoredFile:
    """Move a file whose digest is already known (hashed while it was written in a scratch dir of
    the store) into place; copied instead if it lives on another filesystem."""
    size = path.stat().st_size
    try:
        return _place(path, sha256, ext, size)
    except OSError:  # e.g. EXDEV: not on the store's filesystem
        return store_file(path, ext)


def derived_path(sha: str, suffix: str) -> Path:
    return media_dir() / sha[:2] / f"{sha}{suffix}"


def remove(rel: str) -> None:
    """Remove a stored file and everything derived from it (callers check it is unused)."""
    path = _local(rel)
    sha = path.name.split(".")[0]
    path.unlink(missing_ok=True)
    derived = [derived_path(sha, suffix) for suffix in DERIVED_SUFFIXES]
    for extra in derived:
        extra.unlink(missing_ok=True)
    if remote.configured():
        remote.delete(rel)
        for extra in derived:
            remote.delete(str(extra.relative_to(media_dir())))
