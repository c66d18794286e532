"""The worker: one step of a generation (run its provider, store what it made) and the consumer
that runs steps in a server's lifespan, a CLI `--wait` or a `python -m core worker` process."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Row

from core import catalog
from core.campaigns.brand import palette_of
from core.config import get_settings
from core.db import session_scope
from core.errors import OutputGone, ProviderError, StudioError, system_message
from core.jobs import lifecycle, queue
from core.jobs.huey_ext import EmbeddedConsumer
from core.media import store
from core.media.outputs import describe_and_store
from core.media.sources import resolve_start_image
from core.providers.base import Finished, JobSpec, Pending, known_prediction

log = logging.getLogger(__name__)

# Generations a worker of this process is stepping now, each with the (claim token, delivered
# prediction) of another step asked for meanwhile (a webhook's wake beside a scheduled poll):
# that one runs after, instead of polling and downloading the same prediction twice at once.
_NOT_ASKED = object()
_stepping: dict[str, object] = {}
_stepping_lock = threading.Lock()


@queue.handles(queue.PROCESS_GENERATION)
def run_step(generation_id: str, token: str | None = None, delivered: dict | None = None) -> None:
    """One step. `delivered` is the prediction as a verified webhook brought it: a finished
    one is taken as is instead of read again from the API."""
    with _stepping_lock:
        if generation_id in _stepping:
            _stepping[generation_id] = (token, delivered)
            return
        _stepping[generation_id] = _NOT_ASKED
    try:
        _run_step(generation_id, token, delivered)
    finally:
        with _stepping_lock:
            asked = _stepping.pop(generation_id)
    if isinstance(asked, tuple):  # (token, delivered) of a step asked for meanwhile
        next_token, next_delivered = asked
        queue.enqueue(generation_id, token=next_token, delivered=next_delivered)


def _run_step(generation_id: str, token: str | None, delivered: dict | None = None) -> None:
    claimed = lifecycle.claim(generation_id, token)
    if claimed is None:
        return
    token, row = claimed
    try:
        with lifecycle.heartbeat(generation_id, token):
            _advance(row, token, delivered)
    except OutputGone as error:  # billed all the same: its cost is counted
        spec = catalog.get_model(row.model)
        cost = catalog.actual_cost(spec, row.params, predict_time_s=error.predict_time_s,
                                   text=row.effective_prompt)  # fmt: skip
        lifecycle.fail(generation_id, token, str(error), cost=cost)
    except ProviderError as error:
        lifecycle.retry_or_fail(generation_id, token, error)
    except StudioError as error:
        lifecycle.fail(generation_id, token, str(error))
    except Exception as error:  # a full disk, a bug or an unexpected library error: fail, keep
        log.exception("generation %s crashed", generation_id)  # the worker
        message = system_message(error) or f"Internal error ({type(error).__name__}): {error}"
        lifecycle.fail(generation_id, token, message)


def _advance(row: Row, token: str, delivered: dict | None = None) -> None:
    generation_id = row.id
    spec = catalog.get_model(row.model)
    client_palette: list[str] = []
    if spec.provider == "local" or spec.kind == "composite":  # only drafts draw in the palette
        with session_scope() as session:
            client_palette = palette_of(session, row.client_id)
    provider = provider_for(spec)
    with store.scratch_dir() as workdir:
        # A remote prediction already has its start image: polls skip the lookup (and for a
        # frame of a video, the ffmpeg extraction).
        start = None if known_prediction(row.prediction_id) else resolve_start_image(row, workdir)
        seed = catalog.resolve_seed(row.params, row.prompt)
        job = JobSpec(
            generation_id=row.id, kind=row.kind, model=spec, params=dict(row.params),
            prompt=row.effective_prompt, negative_prompt=row.negative_prompt,
            palette=client_palette, seed=seed, workdir=workdir, start_image=start,
            prediction_id=row.prediction_id, delivered=delivered,
            metadata={"prompt": row.prompt, "model": row.model, "seed": str(seed)},
            prediction_created_at=row.prediction_created_at or row.started_at,
            unreachable_count=row.unreachable_count,
            followed_elsewhere=_followed_elsewhere(row),
        )  # fmt: skip
        outcome = provider.step(
            job, lambda pid: lifecycle.record_prediction(generation_id, token, pid)
        )
        if isinstance(outcome, Pending):
            if outcome.unreachable or row.unreachable_count:
                lifecycle.note_unreachable(generation_id, token, outcome.unreachable)
            lifecycle.hold_for_poll(row, token, outcome.poll_after_s)
            queue.enqueue(generation_id, token=token, delay_s=outcome.poll_after_s)
            return
        _store_and_succeed(row, spec, token, outcome)


def _followed_elsewhere(row: Row) -> frozenset[str]:
    """Only a create whose answer was lost needs them (it looks its prediction up)."""
    if not row.prediction_id or known_prediction(row.prediction_id):
        return frozenset()
    return lifecycle.predictions_followed_elsewhere(row.id, row.model)


def provider_for(spec: catalog.ModelSpec):
    # Imported on first use: the replicate client alone takes ~0.5 s of CPU to import, which a
    # page that only validates a request never needs.
    if spec.kind == "composite":
        from core.providers.compose import ComposeProvider

        return ComposeProvider()
    if spec.provider == "local":
        from core.providers.local import LocalProvider

        return LocalProvider()
    from core.providers.replicate import ReplicateProvider

    return ReplicateProvider()


def _store_and_succeed(row: Row, spec: catalog.ModelSpec, token: str, outcome: Finished) -> None:
    stored = describe_and_store(
        outcome.path, outcome.ext, row.kind, outcome.facts, sha256=outcome.sha256
    )
    cost = catalog.actual_cost(
        spec, row.params, output_duration=stored.duration_s, predict_time_s=outcome.predict_time_s,
        text=row.effective_prompt,  # a voice is priced by the characters it says
    )  # fmt: skip
    lifecycle.succeed(row.id, token, stored, cost)


def start_consumer(workers: int | None = None) -> EmbeddedConsumer:
    huey, _ = queue.get_queue()
    # The providers' modules are loaded here, once, in the starting thread: not by the first
    # steps, racing in the workers.
    import core.providers.compose
    import core.providers.local  # noqa: F401
    from core.providers import replicate

    replicate.warm_up()

    consumer = EmbeddedConsumer(
        huey,
        workers=workers or get_settings().studio_workers,
        worker_type="thread",
        periodic=True,
        initial_delay=0.02,
        backoff=1.3,
        max_delay=0.5,
        check_worker_health=True,
    )
    consumer.start()
    return consumer
