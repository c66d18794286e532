"""Errors a person can act on. Services raise these; pages and the CLI show their message."""

from __future__ import annotations

import errno
import os


class StudioError(Exception):
    """Base: `str(error)` is a one-line message fit for a user."""


class ValidationError(StudioError):
    """Bad input. `fields` maps each bad field to its own message."""

    def __init__(self, fields: dict[str, str] | str):
        self.fields = {"request": fields} if isinstance(fields, str) else dict(fields)
        super().__init__("; ".join(self.fields.values()))


class NotFound(StudioError):
    pass


class PermissionDenied(StudioError):
    pass


class Conflict(StudioError):
    """The request is valid but the current state forbids it (e.g. retrying a running job)."""


class ProviderError(StudioError):
    """A provider failed. `transient` errors are retried with backoff; others fail the job."""

    def __init__(
        self, message: str, *, transient: bool = False, retry_after_s: float | None = None
    ):
        self.transient = transient
        self.retry_after_s = retry_after_s
        super().__init__(message)


class OutputGone(ProviderError):
    """The provider finished the work, and billed it, but its output can no longer be fetched."""

    def __init__(self, message: str, *, predict_time_s: float | None = None):
        self.predict_time_s = predict_time_s
        super().__init__(message)


DISK_FULL = "The disk is full: free some space on the server, then retry."
DISK_IO = "The server could not read or write its database (disk I/O error)."
FULL_BELOW_BYTES = 1 << 20


def _data_disk_full() -> bool:
    from core.config import get_settings  # errors is imported by config's own importers

    try:
        disk = os.statvfs(get_settings().data_dir)
    except OSError:
        return False
    return disk.f_bavail * disk.f_frsize < FULL_BELOW_BYTES


def system_message(error: BaseException) -> str | None:
    """A one-line message for an error of the machine rather than of the request (a full disk,
    a file that cannot be read), or None when it is not one."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return DISK_FULL
    if "database or disk is full" in str(error):  # SQLite's word for it, through SQLAlchemy
        return DISK_FULL
    if "disk I/O error" in str(error):  # SQLite, when it cannot even make its WAL index
        return DISK_FULL if _data_disk_full() else DISK_IO
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"The server could not use a file ({error.strerror}{where})."
    return None
