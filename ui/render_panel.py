"""Rendering a storyboard: model pickers, extra ratios, the step-by-step quote that must be
confirmed, live progress of every step, and the finished ad playing.

The quote is core's own plan (`plan_render`), so what is shown is what the render writes; an
unapproved storyboard is refused there, with core's message. Progress is a fragment that polls
only while the render runs, then redraws the page once to show the result.
"""

from __future__ import annotations

import streamlit as st

from core import catalog
from core.accounts import auth
from core.errors import Conflict
from core.generation import service as gen
from core.models import OPEN_STATUSES, Generation, Status, Storyboard, User
from core.storyboards import final_ad
from ui import flash, params
from ui.errors import friendly_errors, shown
from ui.live_jobs import BADGES
from ui.media import stored_file, video
from ui.session import db, request_button
from ui.storyboard_widgets import act

STEP_THUMB_WIDTH = 120
CANCEL_ERROR_KEY = "render_panel_cancel_error"
REAL_MODELS_HELP = ("Quotes the same storyboard on Replicate's models (chosen frames kept); "
                    "nothing is spent until you confirm.")  # fmt: skip
STEP_NAMES = {"image": "Frame", "video": "Clip", "audio": "Music", "composite": "Final ad"}


def step_label(row: Generation, numbers: dict[str, int]) -> str:
    name = STEP_NAMES.get(str(row.kind), str(row.kind))
    if row.scene_id in numbers:
        name += f" · scene {numbers[row.scene_id]}"
    if row.kind == "composite":
        name += f" · {row.params.get('aspect_ratio')}"
    return name


def _quote(steps: list[Generation], numbers: dict[str, int]) -> float:
    total = sum(r.estimated_cost_usd for r in steps)
    lines = [f"{i}. {step_label(r, numbers)} · {r.model} · ${r.estimated_cost_usd:,.3f}"
             for i, r in enumerate(steps, 1)]  # fmt: skip
    st.markdown("\n".join(lines))
    note = " (draft engine: free)" if total == 0 else ""
    st.markdown(f"**Estimated cost: ${total:,.2f}**{note}")
    return total


def _request(page: str, board: Storyboard) -> tuple[dict, bool]:
    video_col, image_col, audio_col = st.columns(3)
    video = params.model_picker("video", key=f"{page}_video_model", label="Video model",
                                where=video_col)  # fmt: skip
    # Keyed by the video model's provider: switching to a paid video model offers paid frames
    # again, so a paid clip never animates a draft placeholder by accident.
    image = params.model_picker("image", key=f"{page}_image_model_{video.provider}",
                                label="Frame model", where=image_col,
                                default=catalog.frame_model_for(video.id))  # fmt: skip
    image_col.caption("Draws the scenes with no chosen frame.")
    audio = params.model_picker("audio", key=f"{page}_audio_model", label="Music model",
                                where=audio_col)  # fmt: skip
    others = [r for r in catalog.ASPECT_RATIOS_VIDEO if r != board.aspect_ratio]
    extra = st.multiselect("Also render in these aspect ratios", others, key=f"{page}_extra")
    resolution = st.selectbox("Resolution", catalog.RESOLUTIONS, index=1, key=f"{page}_res")
    continuity = "on" if board.continuity else "off"
    st.caption(f"Aspect ratio {board.aspect_ratio} · transition: {board.transition} · "
               f"continuity {continuity} (set under Settings)")  # fmt: skip
    blocked = any(params.unavailable_reason(s) for s in (video, image, audio))
    request = {"video_model": video.id, "audio_model": audio.id, "image_model": image.id,
               "extra_ratios": tuple(extra),
               "resolution": resolution}  # fmt: skip
    return request, blocked


def _use_real_models(page: str) -> None:
    """A callback: the pickers switch to the Replicate models before the form is drawn, so the
    form's quote is the paid render's, to confirm before anything is spent."""
    models = final_ad.real_models()
    st.session_state[f"{page}_video_model"] = models["video_model"]
    st.session_state[f"{page}_image_model_replicate"] = models["image_model"]
    st.session_state[f"{page}_audio_model"] = models["audio_model"]
    st.session_state[f"{page}_real_models_note"] = True


def real_models_button(page: str, user: User, board: Storyboard) -> None:
    """On a finished draft render: the same storyboard re-planned on paid models."""
    steps = _latest_steps(user, board.id)
    if not (auth.can(user, "generate") and final_ad.made_on_drafts(steps)):
        return
    reason = params.unavailable_reason(catalog.get_model(final_ad.real_models()["video_model"]))
    about = REAL_MODELS_HELP if reason is None else f"Paid models are {reason}."
    st.button("Render with real models", key=f"{page}_real_models", on_click=_use_real_models,
              args=(page,), disabled=reason is not None, icon=":material/auto_awesome:",
              help=about)  # fmt: skip


def render_form(page: str, user: User, board: Storyboard, numbers: dict[str, int]) -> None:
    if st.session_state.pop(f"{page}_real_models_note", False):
        st.info("The models below are now Replicate's: check the quote, then confirm it.",
                icon=":material/auto_awesome:")  # fmt: skip
    request, blocked = _request(page, board)
    plan = None
    with friendly_errors(), db() as session:
        try:
            plan = final_ad.plan_render(session=session, actor=user, storyboard_id=board.id,
                                      **request)  # fmt: skip
        except Conflict as not_yet:  # e.g. not approved yet: a state to know, not a failure
            st.info(str(not_yet), icon=":material/hourglass_empty:")
    if plan is None:
        return  # refused (not approved, a model unavailable): core's message is shown
    total = _quote(plan.steps, numbers)
    if fits := plan.fitted_lengths():
        st.warning("The video model makes clips of some lengths only; the ad keeps the approved "
                   "timing:\n\n" + "\n".join(f"- {line}" for line in fits))  # fmt: skip
    # A fresh key after each started render (and per total): one confirmation, one render.
    confirm = f"{flash.form_key(page, f'confirm_{board.id}')}_{round(total * 1000)}"
    confirmed = st.checkbox(f"I confirm the estimated total of ${total:,.2f}", key=confirm)
    if not confirmed:
        st.caption("Confirm the quote to start the render.")
    with request_button("Render final ad", type="primary", key=f"{page}_render",
                        disabled=blocked or not confirmed) as clicked:  # fmt: skip
        if clicked:
            act(page, user, lambda _plan: _started(page, board), final_ad.render,
                storyboard_id=board.id, submission_key=confirm, **request)  # fmt: skip


def _started(page: str, board: Storyboard) -> str:
    flash.next_round(page, f"confirm_{board.id}")  # the quote is confirmed again next time
    return "Render started: every step's progress is below."


def _latest_steps(user: User, board_id: str) -> list[Generation]:
    with db() as session:
        finals = final_ad.renders_of(session=session, actor=user, storyboard_id=board_id)
        if not finals:
            return []
        return final_ad.render_steps(session=session, actor=user, composite_id=finals[0].id)


def _preview(step: Generation, where) -> None:
    """What a finished step made, small: a frame or a clip's thumbnail, the music to play."""
    if step.status != Status.succeeded:
        return
    if step.kind == "audio" and (path := stored_file(step.media_path)):
        where.audio(str(path))
    elif thumb := stored_file(step.thumb_path):
        where.image(str(thumb), width=STEP_THUMB_WIDTH)


def _step(page: str, user: User, step: Generation, numbers: dict[str, int]) -> None:
    preview, about, cost, action = st.columns([2, 4, 1, 1], vertical_alignment="center")
    _preview(step, preview)
    about.markdown(f"{BADGES.get(step.status, step.status)} · **{step_label(step, numbers)}**")
    about.caption(step.model)
    known = step.cost_usd if step.cost_usd is not None else step.estimated_cost_usd
    cost.caption(f"${known:,.3f}")
    may_retry = auth.can_as_owner_or_admin(user, step.created_by, "job.manage")
    if may_retry and step.status in (Status.failed, Status.canceled):
        if action.button("Retry", key=f"{page}_retry_step_{step.id}", help=gen.retry_quote(step)):
            act(page, user, lambda row: f"Queued again: {step_label(row, numbers)}."
                f"{gen.retry_note(row)}", gen.retry, generation_id=step.id)  # fmt: skip
    if step.error:
        (st.error if step.status == Status.failed else st.caption)(step.error)


def _steps(page: str, user: User, steps: list[Generation], numbers: dict[str, int]) -> None:
    done = sum(1 for s in steps if s.status == Status.succeeded)
    quoted = sum(s.estimated_cost_usd for s in steps)
    st.progress(done / len(steps), text=f"{done} of {len(steps)} steps done · spent so far "
                f"${final_ad.spent(steps):,.2f} of ${quoted:,.2f} quoted")  # fmt: skip
    for step in steps:
        with st.container(border=True):
            _step(page, user, step, numbers)


def _cancel_button(page: str, user: User, steps: list[Generation]) -> None:
    final = next((s for s in steps if s.kind == "composite"), None)
    if final is None or not any(s.status in OPEN_STATUSES for s in steps):
        return
    if not auth.can_as_owner_or_admin(user, final.created_by, "job.manage"):
        return
    st.button("Cancel render", key=f"{page}_cancel_render", icon=":material/stop:",
              help="Stops every unfinished step and its prediction on Replicate; finished steps "
                   "are kept, and Resume picks up from them.",
              on_click=_cancel, args=(page, user, final.id))  # fmt: skip


def _cancel(page: str, user: User, composite_id: str) -> None:
    """A callback: it runs before the next full run of the page, which shows what it did (a
    rerun asked for inside the live fragment would lose the message)."""
    try:
        with db() as session:
            stopped = final_ad.cancel_render(session=session, actor=user,
                                             composite_id=composite_id)  # fmt: skip
    except Exception as error:
        st.session_state[CANCEL_ERROR_KEY] = shown(error)
    else:
        flash.remember(page, f"Render canceled: {len(stopped)} unfinished steps stopped.")


def _resume_button(page: str, user: User, steps: list[Generation]) -> None:
    final = next(s for s in steps if s.kind == "composite")
    if not auth.can_as_owner_or_admin(user, final.created_by, "job.manage"):
        return
    st.caption("Resume takes up every failed or canceled step (or Retry one): steps already "
               "made are kept and not paid for again.")  # fmt: skip
    if st.button("Resume render", key=f"{page}_resume_render", icon=":material/play_arrow:"):
        act(page, user, lambda rows: f"Render resumed: {len(rows)} steps queued again.",
            final_ad.resume_render, composite_id=final.id)  # fmt: skip


@st.fragment(run_every=2)
def _live(page: str, user: User, board_id: str, numbers: dict[str, int]) -> None:
    if refused := st.session_state.pop(CANCEL_ERROR_KEY, None):
        st.error(refused)
    steps = _latest_steps(user, board_id)
    _cancel_button(page, user, steps)
    _steps(page, user, steps, numbers)
    if not any(s.status in OPEN_STATUSES for s in steps):
        st.rerun(scope="app")  # finished: draw the result once, and stop polling


def _older(board: Storyboard, final: Generation) -> str:
    """' · from v4 (before later changes)' for a render of an earlier version, else ''."""
    if final_ad.is_current(board, final):
        return ""
    version = final_ad.made_from(final)
    made = f"v{version}" if version is not None else "an earlier version"
    return f" · from {made} (before later changes)"


def final_videos(steps: list[Generation], board: Storyboard) -> None:
    for final in steps:
        path = stored_file(final.media_path) if final.kind == "composite" else None
        if path is not None and final.status == Status.succeeded:
            st.caption(f"Final ad · {final.params.get('aspect_ratio')} · {final.duration_s:g} s"
                       f"{_older(board, final)}")  # fmt: skip
            video(final, path)


def render_result(page: str, user: User, board: Storyboard, numbers: dict[str, int]) -> None:
    steps = _latest_steps(user, board.id)
    if not steps:
        st.caption("Not rendered yet.")
        return
    if any(s.status in OPEN_STATUSES for s in steps):
        _live(page, user, board.id, numbers)
        return
    unfinished = any(s.status != Status.succeeded for s in steps if s.kind == "composite")
    with st.expander("Steps of the last render", expanded=unfinished):
        if unfinished:
            _resume_button(page, user, steps)
        _steps(page, user, steps, numbers)
    final_videos(steps, board)
