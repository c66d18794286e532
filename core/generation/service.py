"""Requesting media: validate, estimate, write the rows, enqueue; cancel, retry, delete.

A request returns at once with its generation row(s); the queue does the work. Rows are
committed before their ids are enqueued, so a worker never sees an id it cannot load, and if
enqueueing fails the reconcile task still finds the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from core import catalog, jobs
from core.accounts.auth import require, require_owner_or_admin
from core.campaigns.brand import effective_prompt
from core.campaigns.campaigns import get_campaign
from core.campaigns.clients import get_client
from core.config import get_settings
from core.costs import budget
from core.db import get_or_not_found
from core.errors import Conflict, ProviderError, ValidationError
from core.generation import limits, submissions
from core.jobs import dependents
from core.media import usage
from core.media.sources import check_source
from core.models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Generation,
    Kind,
    Scene,
    Status,
    Storyboard,
    User,
    table_of,
    utcnow,
)
from core.providers.base import known_prediction

GEN = table_of(Generation)
KINDS = ("image", "video", "audio")
# A voice line is made for a render's scene (or a preview), never as part of a chain.
REQUEST_KINDS = (*KINDS, "voice")


@dataclass
class Request:
    """One media item to make. `source_id` is a generation or asset to start a video from."""

    kind: str
    prompt: str
    model: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    source_id: str | None = None
    source_frame_s: float | None = None
    apply_brand: bool = True


def check_kind(kind: str, model_id: str) -> catalog.ModelSpec:
    if kind not in REQUEST_KINDS:
        raise ValidationError({"kind": f"kind: '{kind}' is not one of {', '.join(REQUEST_KINDS)}"})
    spec = catalog.get_model(model_id)
    if spec.kind != kind:
        raise ValidationError({"model": f"model: {model_id} makes {spec.kind}, not {kind}"})
    if spec.provider == "replicate" and not get_settings().replicate_enabled:
        raise ValidationError(
            {"model": f"model: {model_id} needs REPLICATE_API_TOKEN; use a local/draft model"}
        )
    return spec


def new_row(
    session: Session, actor: User, campaign_id: str, req: Request, spec, params: dict
) -> Generation:
    campaign = get_campaign(session=session, campaign_id=campaign_id)
    client = get_client(session=session, client_id=campaign.client_id)
    prompt = effective_prompt(req.prompt, client=client, campaign=campaign, apply=req.apply_brand,
                              kind=req.kind)  # fmt: skip
    return Generation(
        kind=Kind(req.kind), model=spec.id, client_id=client.id, campaign_id=campaign.id,
        prompt=req.prompt.strip(), effective_prompt=prompt.text, negative_prompt=prompt.negative,
        brand_applied=req.apply_brand, params=params, created_by=actor.id,
        estimated_cost_usd=catalog.estimate_cost(spec, params, text=prompt.text),
    )  # fmt: skip


def _companion_image_model(video_model: catalog.ModelSpec) -> str:
    return "local/draft-image" if video_model.provider == "local" else "google/nano-banana"


def _image_ratio_for(video_params: dict) -> str:
    ratio = video_params.get("aspect_ratio", "16:9")
    return ratio if ratio in catalog.ASPECT_RATIOS_IMAGE else "9:16"


def plan(*, session: Session, actor: User, campaign_id: str, req: Request) -> list[Generation]:
    """Validated, unsaved rows for a request: a video with no start image gets an image step."""
    require(actor, "generate")
    get_campaign(session=session, campaign_id=campaign_id)
    model_id = req.model or catalog.default_model(req.kind)
    spec = check_kind(req.kind, model_id)
    params = catalog.validate(model_id, req.params, prompt=req.prompt)
    row = new_row(session, actor, campaign_id, req, spec, params)
    if req.source_id:
        if req.kind != "video":
            raise ValidationError({"from": "from: only a video starts from an image or frame"})
        row.parent_id, row.source_asset_id, source_kind = check_source(session, req.source_id)
        row.source_frame_s = req.source_frame_s if source_kind == "video" else None
        return [row]
    if req.kind != "video":
        return [row]
    image_model = _companion_image_model(spec)
    image_req = Request(
        "image", req.prompt, image_model,
        {"aspect_ratio": _image_ratio_for(params)}, apply_brand=req.apply_brand,
    )  # fmt: skip
    image_spec = check_kind("image", image_model)
    image_params = catalog.validate(image_model, image_req.params, prompt=req.prompt)
    image = new_row(session, actor, campaign_id, image_req, image_spec, image_params)
    row.parent_id = image.id
    row.wait_for(image)
    return [image, row]


def save_and_enqueue(
    session: Session, rows: list[Generation], *, independent: bool = False,
    submission_key: str | None = None,
) -> str | None:  # fmt: skip
    """Check the budget and the user's limits, write the rows, commit, enqueue: all of them or,
    refused, none. Returns a budget warning, if any.

    The rows are one request a person made (an item, a chain, a render, frames for every
    scene): it counts once per kind of paid work in it against their limits; providers pace
    its steps. `independent` rows are not a chain (frames: each stands alone). A repeat of
    `submission_key` raises AlreadySubmitted with the rows the first made."""
    user_id = rows[0].created_by or "anonymous"
    key = submissions.check_key(submission_key)
    # In the rows' order, so a refusal names the same kind every time.
    paid_kinds = list(dict.fromkeys(
        str(r.kind) for r in rows if catalog.get_model(r.model).provider != "local"))  # fmt: skip
    cost = sum(r.estimated_cost_usd for r in rows)
    warning = budget.check(session, rows[0].campaign_id, cost)
    if key is not None:
        submissions.take_turn(session, user_id)  # a concurrent repeat has committed by now
        if earlier := submissions.earlier_rows(session, user_id, key):
            session.rollback()
            raise submissions.AlreadySubmitted(earlier)
        submissions.record(session, user_id, key)
    if paid_kinds:
        limits.take(session, user_id, dict.fromkeys(paid_kinds, 1))
    chain_id = rows[0].id if len(rows) > 1 and not independent else None
    try:
        for row in rows:
            row.chain_id = chain_id
            row.submission_key = key
            session.add(row)
            session.flush()
        dependents.save_planned_inputs(session, rows)
        session.commit()
    except sa.exc.IntegrityError:
        session.rollback()
        if key is None or not (earlier := submissions.earlier_rows(session, user_id, key)):
            raise
        raise submissions.AlreadySubmitted(earlier) from None
    for row in rows:
        if row.status == Status.queued:
            jobs.enqueue(row.id)
    return warning


def submit(
    *, session: Session, actor: User, campaign_id: str, req: Request,
    submission_key: str | None = None, on_warning: Callable[[str], None] | None = None,
) -> Generation:  # fmt: skip
    """Queue one item (plus its image step for a text -> video request); returns the item (the
    first submission's, for a repeat of `submission_key`). A budget warning goes to
    `on_warning`."""
    rows = plan(session=session, actor=actor, campaign_id=campaign_id, req=req)
    try:
        warning = save_and_enqueue(session, rows, submission_key=submission_key)
    except submissions.AlreadySubmitted as repeat:
        return [r for r in repeat.rows if r.kind == req.kind][-1]
    if warning and on_warning is not None:
        on_warning(warning)
    return rows[-1]


def _split_chain_params(params: dict[str, Any], specs: dict[str, catalog.ModelSpec]) -> dict:
    """`video.duration=5` goes to one step; a bare `seed=3` to every step that has it."""
    per_kind: dict[str, dict] = {kind: {} for kind in specs}
    for key, value in params.items():
        kind, _, name = key.rpartition(".")
        targets = [kind] if kind else [k for k, s in specs.items() if s.param(name)]
        if kind and kind not in specs:
            raise ValidationError({key: f"{key}: prefix must be image., video. or audio."})
        if not targets:
            raise ValidationError({key: f"{key}: no step of the chain takes this parameter"})
        for target in targets:
            per_kind[target][name] = value
    return per_kind


def submit_chain(
    *, session: Session, submission_key: str | None = None, **chain: Any
) -> list[Generation]:
    """image -> video, plus a music track as long as the video; returns [image?, video, audio].

    Takes `plan_chain`'s arguments (actor, campaign_id, prompt, music_prompt, models, ...)."""
    rows = plan_chain(session=session, **chain)
    try:
        save_and_enqueue(session, rows, submission_key=submission_key)
    except submissions.AlreadySubmitted as repeat:
        return sorted(repeat.rows, key=lambda r: KINDS.index(r.kind))
    return rows


def plan_chain(
    *,
    session: Session,
    actor: User,
    campaign_id: str,
    prompt: str,
    models: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
    source_id: str | None = None,
    apply_brand: bool = True,
    music_prompt: str | None = None,
) -> list[Generation]:
    """The validated, unsaved rows of a chain: its step-by-step quote before anything is spent.

    `prompt` describes the picture (the image and the video); `music_prompt` the track. None
    (callers from before the chain had one) uses `prompt` for the track too."""
    require(actor, "generate")
    if music_prompt is not None and not music_prompt.strip():
        raise ValidationError({"music_prompt": "music prompt: write what the track should sound "
                               "like (it is empty)"})  # fmt: skip
    models = {k: v for k, v in (models or {}).items() if v}
    specs = {k: catalog.get_model(models.get(k) or catalog.default_model(k)) for k in KINDS}
    per_kind = _split_chain_params(params or {}, specs)
    video_req = Request("video", prompt, specs["video"].id, per_kind["video"], source_id,
                        apply_brand=apply_brand)  # fmt: skip
    image_ratio = per_kind["image"].get("aspect_ratio")
    if not source_id and image_ratio and specs["video"].param("aspect_ratio"):
        video_req.params.setdefault("aspect_ratio", image_ratio)
    rows = plan(session=session, actor=actor, campaign_id=campaign_id, req=video_req)
    if len(rows) == 2 and per_kind["image"]:
        image_params = {**rows[0].params, **per_kind["image"]}
        rows[0].params = catalog.validate(rows[0].model, image_params, prompt=prompt)
    video = rows[-1]
    audio_params = {**per_kind["audio"], **_audio_length(specs["audio"], video, specs["video"])}
    audio_req = Request("audio", prompt if music_prompt is None else music_prompt,
                        specs["audio"].id, audio_params, apply_brand=apply_brand)  # fmt: skip
    audio = plan(session=session, actor=actor, campaign_id=campaign_id, req=audio_req)[0]
    audio.parent_id = video.id
    return [*rows, audio]


def _audio_length(audio: catalog.ModelSpec, video: Generation, video_spec) -> dict:
    seconds = catalog.output_duration_s(video_spec, video.params)
    if audio.fixed_duration_s is not None:
        raise ValidationError(
            {"audio_model": f"Music model: {audio.id} makes fixed {audio.fixed_duration_s:g} s "
             "clips; pick one with a duration for a track as long as the video"}
        )  # fmt: skip
    return {"duration": int(round(seconds or 5))}


def get_generation(*, session: Session, actor: User, generation_id: str) -> Generation:
    require(actor, "read")
    return get_or_not_found(session, Generation, generation_id, "generation")


def cancel(*, session: Session, actor: User, generation_id: str) -> Generation:
    row = get_generation(session=session, actor=actor, generation_id=generation_id)
    require_owner_or_admin(actor, row.created_by, "job.manage")
    if not cancel_steps(session, actor, [row]):
        raise Conflict(f"{row.id} is already {row.status}; only unfinished jobs can be canceled.")
    return row


def cancel_steps(session: Session, actor: User, rows: list[Generation]) -> list[Generation]:
    """Cancel those of `rows` still unfinished, and every step waiting on them; then ask
    Replicate to cancel their predictions (a prediction created meanwhile is canceled by its
    worker, which finds the row no longer its own). Returns the rows canceled. The caller
    checks that `actor` may."""
    unfinished = [r for r in rows if r.status in OPEN_STATUSES]
    for row in unfinished:
        result = session.exec(
            sa.update(GEN)
            .where(GEN.c.id == row.id, GEN.c.status.in_(["queued", "waiting", "running"]))
            .values(
                status="canceled",
                finished_at=utcnow(),
                error="Canceled by " + actor.username,
                claim_token=None,
                lease_until=None,
            )  # fmt: skip
        )
        if result.rowcount == 1:
            reason = "An earlier step was canceled."
            dependents.fail(session, row.id, reason, status=Status.canceled)
    session.commit()
    canceled = []
    for row in unfinished:
        session.refresh(row)  # canceled here or as a step waiting on one; its latest prediction
        if row.status == Status.canceled:
            canceled.append(row)
            if row.prediction_id:
                _cancel_remote(row.model, row.prediction_id)
    return canceled


def _cancel_remote(model_id: str, prediction_id: str) -> None:
    from core.jobs.worker import provider_for

    try:
        provider_for(catalog.get_model(model_id)).cancel(prediction_id)
    except Exception:  # best effort: the row is canceled whatever Replicate says
        pass


def retry(*, session: Session, actor: User, generation_id: str) -> Generation:
    row = get_generation(session=session, actor=actor, generation_id=generation_id)
    require_owner_or_admin(actor, row.created_by, "job.manage")
    if row.status not in (Status.failed, Status.canceled):
        raise Conflict(f"{row.id} is {row.status}; only failed or canceled jobs can be retried.")
    inputs = [session.get(Generation, i) for i in dependents.inputs_of(session, row.id)]
    for upstream in inputs:
        if upstream is not None and upstream.status in (Status.failed, Status.canceled):
            raise Conflict(f"Retry {upstream.id} first: this step needs its output.")
    kept = _prediction_to_follow(row)
    waiting = any(i is not None and i.status != Status.succeeded for i in inputs)
    row.status = Status.waiting if waiting else Status.queued
    row.error = row.claim_token = row.lease_until = row.finished_at = row.started_at = None
    row.attempts = row.unreachable_count = 0
    if kept is None:
        row.prediction_id = row.prediction_created_at = None
    session.add(row)
    dependents.reopen(session, row.id)
    session.commit()
    if row.status == Status.queued:
        jobs.enqueue(row.id)
    return row


RETRY_FOLLOWS = ("starting", "processing", "succeeded")


def _prediction_to_follow(row: Generation) -> str | None:
    """The prediction a retry follows instead of paying for a new one: one still running, or
    one that succeeded and still has its output. A create whose answer was lost is kept too:
    the worker looks it up before creating."""
    if not row.prediction_id:
        return None
    if not known_prediction(row.prediction_id):
        return row.prediction_id
    from core.providers.replicate import ReplicateProvider  # only rows on Replicate get here

    try:
        prediction = ReplicateProvider().lookup(row.prediction_id)
    except ProviderError as error:
        raise Conflict(
            "Replicate could not be reached to check the prediction this job already has (a "
            f"retry must not pay for a second one): try again in a minute. {error}"
        ) from error
    if prediction.status in RETRY_FOLLOWS and (
        prediction.status != "succeeded" or prediction.output
    ):
        return row.prediction_id
    return None


def retry_quote(row: Generation) -> str:
    """What Retry will do and cost, said before it is pressed."""
    price = f"${row.estimated_cost_usd:.2f}"
    if row.prediction_id and catalog.get_model(row.model).provider == "replicate":
        return (
            "Checks its prediction on Replicate first: one that succeeded is stored, and one "
            f"still running is followed, at no new cost; only a failed or expired one is made "
            f"again ({price})."
        )
    return "Free: a draft." if row.estimated_cost_usd == 0 else f"Makes it again ({price})."


def retry_note(row: Generation) -> str:
    """What a retry just did, when it did not simply start again."""
    if known_prediction(row.prediction_id):
        return " It follows its existing prediction on Replicate: no new cost."
    return ""


def _release_from_scenes(session: Session, row: Generation) -> None:
    """A scene's frame or clip being deleted: the scene lets go of it, and an approved
    storyboard goes back to draft, since what it would render has changed."""
    scenes = table_of(Scene)
    for column in ("frame_id", "clip_id"):
        session.execute(sa.update(scenes).where(scenes.c[column] == row.id).values({column: None}))
    if row.scene_id is None:
        return
    scene = session.get(Scene, row.scene_id)
    board = session.get(Storyboard, scene.storyboard_id) if scene else None
    if board is not None:
        board.mark_changed()
        session.add(board)


def delete(*, session: Session, actor: User, generation_id: str) -> None:
    """Remove a finished generation; its files go too unless another row uses them.

    What was made from it stays: it no longer points at it, but remembers its id."""
    row = get_generation(session=session, actor=actor, generation_id=generation_id)
    require_owner_or_admin(actor, row.created_by, "generation.delete")
    if row.status not in FINAL_STATUSES:
        raise Conflict(f"{row.id} is {row.status}; cancel it before deleting.")
    session.execute(sa.update(GEN).where(GEN.c.parent_id == row.id)
                    .values(parent_id=None, deleted_parent_id=row.id))  # fmt: skip
    dependents.forget(session, row.id)
    _release_from_scenes(session, row)
    path = row.media_path
    session.delete(row)
    session.commit()
    # Files go only after the row is gone for good, and only if nothing else uses them.
    usage.remove_if_unused(session, path)
