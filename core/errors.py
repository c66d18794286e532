"""Errors a person can act on. Services raise these; pages and the CLI show their message."""

from __future__ import annotations


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
