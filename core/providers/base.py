"""What the job runner asks of a provider: take one step of a generation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from core.catalog import ModelSpec
from core.media.outputs import MediaFacts

# A prediction id being created: the create was sent and its answer is not in yet.
CREATING = "creating:"


def known_prediction(prediction_id: str | None) -> bool:
    """True when a row holds the id of a prediction that exists (not a create in flight)."""
    return bool(prediction_id) and not (prediction_id or "").startswith(CREATING)


@dataclass(frozen=True)
class JobSpec:
    generation_id: str
    kind: str
    model: ModelSpec
    params: dict[str, Any]
    prompt: str  # the effective prompt
    negative_prompt: str
    palette: list[str]
    seed: int
    workdir: Path
    start_image: Path | None = None
    prediction_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    # The prediction as a verified webhook delivered it: its end needs no GET.
    delivered: dict[str, Any] | None = None
    prediction_created_at: datetime | None = None
    unreachable_count: int = 0  # consecutive times the provider could not be reached
    # Predictions other rows already follow: a lost create's search passes over them (two
    # identical requests each find their own, not both the same one).
    followed_elsewhere: frozenset[str] = frozenset()


class PredictionTaken(Exception):
    """The prediction a lost create's search found is another row's (recorded meanwhile by a
    worker recovering an identical request): search again, leave it alone."""


@dataclass(frozen=True)
class Finished:
    path: Path
    ext: str
    predict_time_s: float | None = None
    facts: MediaFacts | None = None
    sha256: str | None = None  # hashed while written: the store moves the file, no second pass


@dataclass(frozen=True)
class Pending:
    """Not done yet (a remote prediction): ask again after `poll_after_s`. `unreachable` says
    why the provider could not be asked this time (the prediction goes on regardless)."""

    poll_after_s: float
    unreachable: str | None = None


class Provider(Protocol):
    def step(self, job: JobSpec, on_prediction: Callable[[str], bool | None]) -> Finished | Pending:
        """`on_prediction(id)` stores a remote id at once ("" clears it); False: row not ours."""

    def cancel(self, prediction_id: str) -> None: ...
