"""Uploaded files kept on disk, not in the server's memory, until their widget lets go of them.

Streamlit keeps every upload in memory (`MemoryUploadedFileManager.file_storage`, a dict of
session id -> file id -> record with the bytes) until the page drops it. `install` gives the
running manager a storage with the same dict interface that writes each file to a private
spool dir in the data dir and reads it back only when a script asks for it (a brief or an asset
being read), so idle uploads cost disk, not RAM. Held bytes per session (the upload budget,
`core.accounts.http_guard`) are counted from the files' sizes.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator, MutableMapping
from pathlib import Path

from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from core.config import get_settings, private_data_dir, private_file
from core.media import store


def _safe(name: str) -> str:
    """Session and file ids are Streamlit's UUIDs; anything else never names a path."""
    return "".join(c for c in name if c.isalnum() or c == "-")[:64] or "_"


class _SessionFiles(MutableMapping[str, UploadedFileRec]):
    """One session's uploads: the bytes in files, name and type beside them in memory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._about: dict[str, tuple[str, str]] = {}  # file id -> (name, type)

    def _path(self, file_id: str) -> Path:
        return self.folder / _safe(file_id)

    def __setitem__(self, file_id: str, record: UploadedFileRec) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = private_file(self._path(file_id))
        path.write_bytes(record.data)
        self._about[file_id] = (record.name, record.type)

    def __getitem__(self, file_id: str) -> UploadedFileRec:
        name, kind = self._about[file_id]
        try:
            data = self._path(file_id).read_bytes()
        except FileNotFoundError:
            raise KeyError(file_id) from None
        return UploadedFileRec(file_id=file_id, name=name, type=kind, data=data)

    def __delitem__(self, file_id: str) -> None:
        del self._about[file_id]
        self._path(file_id).unlink(missing_ok=True)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._about))

    def __len__(self) -> int:
        return len(self._about)

    def values(self):  # type: ignore[override]
        """Records whose `data` has only the right length: Streamlit reads it to count bytes
        when a session ends, and reading every file back for that would be waste."""
        return [UploadedFileRec(i, n, t, _Length(self.size(i)))
                for i, (n, t) in list(self._about.items())]  # fmt: skip

    def pop(self, file_id: str, default=None):  # type: ignore[override]
        """Removed without reading it back: Streamlit only counts its bytes."""
        if file_id not in self._about:
            return default
        name, kind = self._about.pop(file_id)
        size = self.size(file_id)
        self._path(file_id).unlink(missing_ok=True)
        return UploadedFileRec(file_id, name, kind, _Length(size))

    def size(self, file_id: str) -> int:
        try:
            return self._path(file_id).stat().st_size
        except FileNotFoundError:
            return 0

    def total(self) -> int:
        return sum(self.size(i) for i in list(self._about))

    def remove_all(self) -> None:
        self._about.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


class _Length(bytes):
    """Stands in for a file's bytes where only `len()` is asked."""

    def __new__(cls, size: int) -> _Length:
        obj = super().__new__(cls)
        obj._size = size  # type: ignore[attr-defined]
        return obj

    def __len__(self) -> int:
        return self._size  # type: ignore[attr-defined]


class SpooledUploads(MutableMapping[str, _SessionFiles]):
    """session id -> its files, a defaultdict like the one it replaces."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sessions: dict[str, _SessionFiles] = {}
        self._lock = threading.Lock()

    def __getitem__(self, session_id: str) -> _SessionFiles:
        with self._lock:
            if session_id not in self._sessions:
                self._sessions[session_id] = _SessionFiles(self.root / _safe(session_id))
            return self._sessions[session_id]

    def get(self, session_id: str, default=None):  # type: ignore[override]
        with self._lock:
            return self._sessions.get(session_id, default)

    def __setitem__(self, session_id: str, files: _SessionFiles) -> None:
        with self._lock:
            self._sessions[session_id] = files

    def __delitem__(self, session_id: str) -> None:
        with self._lock:
            files = self._sessions.pop(session_id)
        files.remove_all()

    def pop(self, session_id: str, default=None):  # type: ignore[override]
        with self._lock:
            files = self._sessions.pop(session_id, None)
        if files is None:
            return default
        sizes = files.values()  # counted before the files go (Streamlit sums them)
        files.remove_all()
        return _Gone(sizes)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._sessions))

    def __len__(self) -> int:
        return len(self._sessions)

    def held_bytes(self, session_id: str) -> int:
        files = self.get(session_id)
        return files.total() if files is not None else 0


class _Gone:
    """What `pop` returns: the removed files' records, for Streamlit's byte count."""

    def __init__(self, records: list[UploadedFileRec]) -> None:
        self._records = records

    def values(self) -> list[UploadedFileRec]:
        return self._records

    def __len__(self) -> int:
        return len(self._records)


def spool_root() -> Path:
    """This server's own spool dir (the data dir may be a volume several servers share), after
    sweeping those of this machine's servers that are gone (their sessions went with them)."""
    private_data_dir()
    uploads = get_settings().data_dir / "uploads"
    uploads.mkdir(mode=0o700, exist_ok=True)
    store.sweep_dead_owners(uploads)
    root = uploads / store.owner_prefix()
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def install(manager) -> SpooledUploads:
    """Give Streamlit's running upload manager the spooled storage (before any session)."""
    storage = SpooledUploads(spool_root())
    with manager._lock:
        manager.file_storage = storage
    return storage
