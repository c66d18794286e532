"""Replicate as a provider: create a prediction once, then poll it (or be woken) until it ends.

Never two predictions for one generation, across restarts too:
- before the create is sent, the row's prediction id is set to a marker, `creating:<unix time>`;
- the real id replaces it as soon as the create answers;
- a create that certainly had no effect (connection refused, or any HTTP error answer) clears the
  marker, so the retry creates again;
- a create whose answer was lost (timeout or dropped connection after sending), or a worker that
  died between marker and answer, leaves the marker. The next step looks the prediction up among
  the account's recent predictions (same model, same input, created since the marker) and
  follows it; only when none turns up after `LOST_CREATE_GRACE_S` is one created.

A prediction that exists is paid for, so it is followed to its end: only its own final state, or
`STUDIO_PREDICTION_TIMEOUT_S` from its creation, ends the row. Failing to reach Replicate (429,
5xx, timeouts, dropped connections) while polling or downloading only delays the next poll, with
a capped, jittered backoff that honours Retry-After.

Polling never blocks a worker: each step makes one request and returns `Pending(delay)`. Polls
keep to the prediction's own clock (see `next_poll_delay`), the interval growing with its age
(see `poll_interval`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import replicate
from replicate.prediction import Prediction

from core.config import get_settings
from core.errors import OutputGone, ProviderError
from core.providers import pacing, replicate_latency
from core.providers.base import CREATING, Finished, JobSpec, Pending, PredictionTaken
from core.providers.downloads import download, http_client
from core.providers.replicate_http import (
    as_provider_error,
    get_client,
    maybe_sent,
    replicate_errors,
)
from core.providers.replicate_inputs import build_input, text_input
from core.providers.replicate_latency import aligned_delay, observe, parse_time

log = logging.getLogger(__name__)
OnPrediction = Callable[[str], bool | None]
FINAL = ("succeeded", "failed", "canceled")
# (age of the prediction below which, multiple of the base poll interval). Short jobs are seen
# finishing quickly; long ones cost few requests (a 3-minute video: about 60 polls).
BACKOFF = ((10.0, 1.0), (60.0, 2.0), (300.0, 5.0))
LONG_RUNNING_FACTOR = 10.0
# With a webhook URL, Replicate says when a prediction ends; polls only cover a lost delivery.
WEBHOOK_FALLBACK_FACTOR = 5.0
MIN_GAP = 0.2  # of an interval: a poll that ran late is not followed by another right away
UNREACHABLE_BACKOFF_MAX_S = 60.0
LOST_CREATE_GRACE_S = 10.0  # a create sent this recently may not be listed yet
CLOCK_SKEW_S = 30.0  # our clock against Replicate's, when matching a lost create by time
LOOKUP_PAGES = 3  # of the account's predictions, newest first
OUTPUT_RETENTION_S = 3600.0  # Replicate deletes an API prediction's output an hour after
OUTCOME_UNKNOWN = (
    "Replicate could not be reached to learn whether the prediction was created, for longer "
    "than the prediction timeout. Check https://replicate.com/predictions before retrying."
)


def warm_up() -> None:
    """Build the API and download clients now (with a token): each loads the CA bundle
    (~40 ms of CPU) and the first one imports httpcore (~40 ms), which the first jobs after a
    start would otherwise pay in the workers, in the middle of a burst. Only a head start: a
    client that cannot be built (a malformed REPLICATE_BASE_URL, a missing CA file) fails the
    Replicate jobs with its message, and never stops the worker starting."""
    if not get_settings().replicate_enabled:
        return
    try:
        get_client()
        http_client()
    except Exception as error:
        log.warning("Replicate clients not built at start: %s", error)


def is_marker(prediction_id: str | None) -> bool:
    return bool(prediction_id and prediction_id.startswith(CREATING))


def poll_interval(age_s: float) -> float:
    settings = get_settings()
    factor = next((f for limit, f in BACKOFF if age_s < limit), LONG_RUNNING_FACTOR)
    if settings.studio_webhook_url:
        factor *= WEBHOOK_FALLBACK_FACTOR
    return settings.studio_poll_interval_s * factor


def next_poll_delay(age_s: float, interval: float) -> float:
    """The wait until the prediction is `interval`, 2 x `interval` ... old: on its own clock, so a
    poll that runs late (busy workers, the first polls of a burst) does not put the next ones
    off too, which would see every later end that much later."""
    delay = interval - age_s % interval
    if delay < interval * MIN_GAP:
        delay += interval
    return delay


def _age_s(created_at: str | None) -> float:
    if not created_at:
        return 0.0
    try:
        created = parse_time(created_at)
    except ValueError:
        return 0.0
    return (datetime.now(UTC) - created).total_seconds()


def output_url(output: Any, kind: str) -> str:
    """The file to keep: the first of a list; of an object, the one named by the kind
    (riffusion returns {"audio": ..., "spectrogram": ...})."""
    if isinstance(output, list):
        output = output[0] if output else None
    if isinstance(output, dict):
        output = output.get(kind)
    if not isinstance(output, str) or not output:
        raise ProviderError(
            "Replicate returned no output file (it deletes outputs an hour after a prediction)."
        )
    return output


def _take_create_slot() -> None:
    wait_s = pacing.replicate_create_slot()
    if wait_s is not None:
        raise ProviderError(
            "Holding back: Replicate's prediction create limit is reached.",
            transient=True,
            retry_after_s=wait_s,
        )


def _send_create(client: replicate.Client, job: JobSpec, payload: dict) -> Prediction:
    options: dict[str, Any] = {}
    if webhook := get_settings().studio_webhook_url:
        options = {"webhook": webhook, "webhook_events_filter": ["completed"]}
    if job.model.version:  # community models: only by version
        return client.predictions.create(version=job.model.version, input=payload, **options)
    return client.models.predictions.create(model=job.model.id, input=payload, **options)


def _delivered_end(job: JobSpec) -> Prediction | None:
    """The finished prediction a verified webhook delivered for this very prediction, else None
    (then the API is asked: a delivery that is not an end, or not readable, is only a wake)."""
    body = job.delivered
    if not body or body.get("id") != job.prediction_id or body.get("status") not in FINAL:
        return None
    try:
        return Prediction(**body)
    except (TypeError, ValueError):
        return None


def _aligned(
    job: JobSpec, age_s: float, interval: float, since_poll_s: float = 0.0
) -> float | None:
    """`aligned_delay` for this job's model; never with webhooks, where polls are only the
    fallback for a lost delivery."""
    if get_settings().studio_webhook_url:
        return None
    return aligned_delay(job.model.id, age_s, interval, since_poll_s=since_poll_s)


def _before_usual_end(job: JobSpec) -> float | None:
    """A poll falling due before the model's predictions usually end (scheduled before any had
    ended: a burst submitted at once) is moved to just after that end without a request, as if
    it had been scheduled knowing it, and never beyond `STRETCH` intervals from the last answer.
    Not on a wake."""
    if job.delivered is not None or job.prediction_id is None:
        return None
    known = replicate_latency.last_answer(job.prediction_id)
    if known is None:  # not seen by this process (e.g. after a restart): poll
        return None
    age_s, since_answer_s = known
    if age_s < 0:  # our clock behind Replicate's: the age says nothing, poll
        return None
    interval = poll_interval(age_s)
    later = _aligned(job, age_s, interval, since_poll_s=since_answer_s)
    return later if later is not None and later >= interval * MIN_GAP else None


def unreachable_delay(count: int, retry_after_s: float | None) -> float:
    """Before the next poll after the `count`th failure in a row to reach Replicate:
    exponential from the poll interval with full jitter, capped; Replicate's Retry-After wins."""
    if retry_after_s is not None:
        return min(retry_after_s, UNREACHABLE_BACKOFF_MAX_S)
    base = min(UNREACHABLE_BACKOFF_MAX_S, get_settings().studio_poll_interval_s * 2.0**count)
    return base / 2 + random.uniform(0, base / 2)


def _seconds_since(when: datetime | None) -> float | None:
    return None if when is None else (datetime.now(UTC) - when).total_seconds()


class ReplicateProvider:
    def step(self, job: JobSpec, on_prediction: OnPrediction) -> Finished | Pending:
        if not job.prediction_id:
            return self._create(job, on_prediction)
        if is_marker(job.prediction_id):
            return self._recover_lost_create(job, on_prediction)
        prediction = _delivered_end(job)
        if prediction is None and (later := _before_usual_end(job)) is not None:
            return Pending(later)
        return self._follow(job, prediction)

    def cancel(self, prediction_id: str) -> None:
        if not prediction_id or is_marker(prediction_id):
            return
        with replicate_errors():
            get_client().predictions.cancel(prediction_id)

    def lookup(self, prediction_id: str) -> Prediction:
        """The prediction as Replicate has it now (ProviderError if it cannot be asked)."""
        with replicate_errors():
            return get_client().predictions.get(prediction_id)

    def _cancel_quietly(self, prediction_id: str) -> None:
        try:
            self.cancel(prediction_id)
        except ProviderError as error:  # the row fails anyway; say so in the log
            log.warning("could not cancel prediction %s at Replicate: %s", prediction_id, error)

    def _follow(self, job: JobSpec, prediction: Prediction | None = None) -> Finished | Pending:
        """One look at an existing prediction (or the one given): finished, pending, or, when
        Replicate cannot be reached, pending a little longer."""
        try:
            if prediction is None:
                prediction = self.lookup(job.prediction_id or "")
            return self._settle(job, prediction)
        except ProviderError as error:
            if not error.transient:
                raise
            return self._unreachable(job, error)

    def _unreachable(self, job: JobSpec, error: ProviderError) -> Pending:
        age_s = _seconds_since(job.prediction_created_at)
        limit_s = get_settings().studio_prediction_timeout_s
        if age_s is not None and age_s > limit_s:
            self._cancel_quietly(job.prediction_id or "")
            raise ProviderError(
                f"Replicate could not be reached to follow the prediction for its last "
                f"{job.unreachable_count + 1} tries, and it is past its {limit_s / 60:g} min "
                f"limit: asked Replicate to cancel it. Last error: {error}"
            )
        return self._unreachable_pending(job, error)

    def _unreachable_pending(self, job: JobSpec, error: ProviderError) -> Pending:
        count = job.unreachable_count + 1
        log.info("generation %s: Replicate unreachable (%d): %s", job.generation_id, count, error)
        return Pending(
            unreachable_delay(count, error.retry_after_s),
            unreachable=f"Replicate unreachable, retrying ({count}): {error}",
        )

    def _create(self, job: JobSpec, on_prediction: OnPrediction) -> Finished | Pending:
        _take_create_slot()
        client = get_client()
        with replicate_errors():
            payload = build_input(job, lambda path: client.files.create(path).urls["get"])
        if on_prediction(f"{CREATING}{int(time.time())}") is False:
            raise ProviderError("The generation ended before its prediction was created.")
        try:
            prediction = _send_create(client, job, payload)
        except Exception as error:
            if maybe_sent(error):  # it may exist: the next step looks it up before creating
                return self._unreachable_pending(job, as_provider_error(error))
            on_prediction("")  # nothing reached Replicate: the retry may create
            raise as_provider_error(error) from error
        log.info("generation %s: prediction %s created", job.generation_id, prediction.id)
        return self._adopt(job, prediction, on_prediction)

    def _adopt(self, job: JobSpec, prediction: Prediction, on_prediction: OnPrediction):
        """Record the prediction as this generation's, then follow it."""
        if on_prediction(prediction.id) is False:
            # Canceled while the create was in flight: do not leave it running (and billing).
            self._cancel_quietly(prediction.id)
            raise ProviderError("The generation ended while its prediction was being created.")
        following = replace(
            job, prediction_id=prediction.id, prediction_created_at=datetime.now(UTC)
        )
        return self._follow(following, prediction)

    def _recover_lost_create(self, job: JobSpec, on_prediction: OnPrediction):
        """A create was sent but its answer never came: find the prediction before making one."""
        sent_at = float((job.prediction_id or "").removeprefix(CREATING) or 0)
        since_s = time.time() - sent_at
        try:
            found = self._find_sent(job, sent_at)
        except ProviderError as error:
            if not error.transient:
                raise
            if since_s > get_settings().studio_prediction_timeout_s:
                raise ProviderError(OUTCOME_UNKNOWN) from error
            return self._unreachable_pending(job, error)
        if found is not None:
            log.info("generation %s: lost create found as %s", job.generation_id, found.id)
            try:
                return self._adopt(job, found, on_prediction)
            except PredictionTaken:  # an identical request's, just taken: look again
                taken = replace(job, followed_elsewhere=job.followed_elsewhere | {found.id})
                return self._recover_lost_create(taken, on_prediction)
        if since_s < LOST_CREATE_GRACE_S:
            return Pending(LOST_CREATE_GRACE_S - since_s)
        log.info("generation %s: lost create not on Replicate; creating", job.generation_id)
        on_prediction("")
        return self._create(replace(job, prediction_id=None), on_prediction)

    def _find_sent(self, job: JobSpec, sent_at: float) -> Prediction | None:
        """Our prediction among the account's newest ones, created since `sent_at`: of the
        identical ones, the one created nearest the moment we sent ours. The newest is not
        ours when an identical request's create came later and has not recorded its prediction
        yet (taking it made that request fail, seen with two workers under load)."""
        # Replicate echoes each prediction's input; a start image is compared by nothing else
        # (each upload gets a new URL), so the fields besides it identify ours.
        ours = text_input(job)
        found: list[tuple[float, Prediction]] = []
        cursor: Any = ...
        with replicate_errors():
            for _ in range(LOOKUP_PAGES):
                page = get_client().predictions.list(cursor)
                for prediction in page.results or []:
                    created = _timestamp(prediction.created_at)
                    if created is not None and created < sent_at - CLOCK_SKEW_S:
                        return _nearest(found, sent_at)  # newest first: the rest are older
                    if prediction.id in job.followed_elsewhere:
                        continue
                    if created is not None and _is_ours(prediction, job, ours):
                        found.append((created, prediction))
                if not page.next:
                    break
                cursor = page.next
        return _nearest(found, sent_at)

    def _settle(self, job: JobSpec, prediction: Prediction) -> Finished | Pending:
        if prediction.status in FINAL:
            replicate_latency.forget_answer(prediction.id)
        if prediction.status == "succeeded":
            observe(job.model.id, prediction.created_at, prediction.completed_at)
            return self._finish(job, prediction)
        if prediction.status == "failed":
            reason = prediction.error or "no reason given"
            raise ProviderError(f"Replicate: the prediction failed: {reason}")
        if prediction.status == "canceled":
            raise ProviderError("Replicate: the prediction was canceled.")
        age_s = _age_s(prediction.created_at)
        limit_s = get_settings().studio_prediction_timeout_s
        if age_s > limit_s:
            self._cancel_quietly(prediction.id)
            raise ProviderError(
                f"Replicate: still {prediction.status} after {limit_s / 60:g} min; "
                "canceled it at Replicate."
            )
        replicate_latency.note_answer(prediction.id, prediction.created_at)
        interval = poll_interval(age_s)
        aligned = _aligned(job, age_s, interval)
        return Pending(aligned if aligned is not None else next_poll_delay(age_s, interval))

    def _finish(self, job: JobSpec, prediction: Prediction) -> Finished:
        predict_time = (prediction.metrics or {}).get("predict_time")
        predict_time_s = float(predict_time) if predict_time is not None else None
        if not prediction.output:
            raise OutputGone(
                "Replicate finished the prediction but no longer has its output (it deletes "
                "outputs an hour after a prediction ends), so nothing could be stored. It was "
                "billed: its cost is counted.",
                predict_time_s=predict_time_s,
            )
        url = output_url(prediction.output, job.kind)
        try:
            got = download(url, kind=job.kind, dest_dir=job.workdir)
        except ProviderError as error:
            ended_s = _age_s(prediction.completed_at)
            if error.transient or ended_s < OUTPUT_RETENTION_S:
                raise
            raise OutputGone(
                f"Replicate's output of this prediction could not be fetched within the hour "
                f"Replicate keeps it ({error}). It was billed: its cost is counted.",
                predict_time_s=predict_time_s,
            ) from error
        return Finished(
            got.path, got.path.suffix.lstrip("."), predict_time_s=predict_time_s,
            sha256=got.sha256,
        )  # fmt: skip


def _nearest(found: list[tuple[float, Prediction]], sent_at: float) -> Prediction | None:
    return min(found, key=lambda pair: abs(pair[0] - sent_at))[1] if found else None


def _timestamp(iso: str | None) -> float | None:
    try:
        return parse_time(iso).timestamp() if iso else None
    except ValueError:
        return None


def _is_ours(prediction: Prediction, job: JobSpec, ours: dict[str, Any]) -> bool:
    if job.model.version:
        same_model = (prediction.version or "").endswith(job.model.version)
    else:
        same_model = prediction.model == job.model.id
    sent = prediction.input or {}
    return same_model and all(sent.get(key) == value for key, value in ours.items())
