"""Rendering a storyboard: model pickers, extra ratios, the step-by-step quote (confirmed when
it costs, with where it takes the campaign's budget), live progress of every step, and the
finished ad playing.

The quote is core's own plan (`plan_render`), so what is shown is what the render writes; an
unapproved storyboard is refused there, with core's message. Progress is a fragment that polls
only while the render runs, then redraws the page once to show the result: percent done, each
step weighed by its model's usual time, and the time left of each running step.
"""

from __future__ import annotations

import streamlit as st

from core import catalog
from core.accounts import auth, users
from core.errors import Conflict
from core.generation import progress
from core.generation import service as gen
from core.models import OPEN_STATUSES, Generation, Status, Storyboard, User
from core.storyboards import editing as sb
from core.storyboards import final_ad
from core.storyboards.editing import NO_VOICE
from core.storyboards.voice import chosen_voice, preview_voice
from ui import flash, live_jobs, params, words
from ui.cost_widgets import price, spend_after
from ui.errors import friendly_errors, shown
from ui.live_jobs import BADGES
from ui.media import stored_file, video
from ui.session import db, kept_choice, request_button
from ui.storyboard_widgets import act
from ui.units import usd

STEP_THUMB_WIDTH = 120
CANCEL_ERROR_KEY = "render_panel_cancel_error"
REAL_MODELS_HELP = ("Quotes the same storyboard on Replicate's models (chosen frames kept); "
                    "nothing is spent until you confirm.")  # fmt: skip
STEP_NAMES = {"image": "Frame", "video": "Clip", "audio": "Music", "voice": "Voice",
              "composite": "Final ad"}  # fmt: skip


def step_label(row: Generation, numbers: dict[str, int]) -> str:
    name = STEP_NAMES.get(str(row.kind), str(row.kind))
    if row.scene_id in numbers:
        name += f" · scene {numbers[row.scene_id]}"
    if row.kind == "composite":
        name += f" · {row.params.get('aspect_ratio')}"
    return name


def _quote(steps: list[Generation], numbers: dict[str, int]) -> float:
    total = sum(r.estimated_cost_usd for r in steps)
    lines = [f"{i}. {step_label(r, numbers)} · {_made_by(r)}{price(r.estimated_cost_usd)}"
             for i, r in enumerate(steps, 1)]  # fmt: skip
    st.markdown("\n".join(lines))
    note = " (draft engine: free)" if total == 0 else ""
    st.markdown(f"**Estimated cost: {usd(total)}**{note}")
    return total


def _made_by(step: Generation) -> str:
    """'Nano Banana (Google) · ' for a step made on a model; the final ad is our own joining."""
    return "" if step.kind == "composite" else f"{words.model_name(step.model)} · "


def _request(page: str, user: User, board: Storyboard) -> tuple[dict, bool]:
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
    with db() as session:
        briefed = sb.briefed_ratios(session=session, actor=user, storyboard_id=board.id)
    # The brief's other ratios are asked for already: a render without them is the surprise.
    key = f"{page}_extra_{board.id}"
    st.session_state.setdefault(key, [r for r in briefed if r in others])
    extra = st.multiselect("Also render in these aspect ratios", others, key=key,
                           help="Those the brief asks for are picked to begin with.")  # fmt: skip
    resolution = st.selectbox("Resolution", catalog.RESOLUTIONS, index=1, key=f"{page}_res")
    continuity = "on" if board.continuity else "off"
    st.caption(f"Aspect ratio {board.aspect_ratio} · transition: {board.transition} · "
               f"continuity {continuity} (set under Settings)")  # fmt: skip
    voice, captions = _voice_choice(page, user, board)
    blocked = any(params.unavailable_reason(s) for s in (video, image, audio, voice) if s)
    request = {"video_model": video.id, "audio_model": audio.id, "image_model": image.id,
               "extra_ratios": tuple(extra), "resolution": resolution,
               "voice_model": voice.id if voice else NO_VOICE, "captions": captions}  # fmt: skip
    return request, blocked


def _voice_choice(
    page: str, user: User, board: Storyboard
) -> tuple[catalog.ModelSpec | None, bool]:
    """Who speaks the scenes' voice lines (the storyboard's voice until another is picked; or
    nobody), and whether the lines are burned in as captions."""
    ids = [NO_VOICE, *(m.id for m in catalog.models_for("voice"))]
    voice_col, captions_col = st.columns([2, 1], vertical_alignment="bottom")
    chosen = kept_choice(
        voice_col.selectbox, "Voice-over", ids, key=f"{page}_voice_model",
        fallback=chosen_voice(board) or NO_VOICE,
        format_func=lambda i: "No voice-over" if i == NO_VOICE else params.model_label(
            catalog.get_model(i)),
    )  # fmt: skip
    captions = captions_col.toggle(
        "Captions",
        value=True,
        key=f"{page}_captions",
        disabled=chosen == NO_VOICE,
        help="The voice lines burned in (and as a .vtt/.srt file)",
    )
    spec = None if chosen == NO_VOICE else catalog.get_model(chosen)
    if spec and (reason := params.unavailable_reason(spec)):
        voice_col.warning(f"{spec.title} is {reason}.", icon="🔒")
    elif spec:
        _voice_preview(page, user, board, spec)
    return spec, captions and spec is not None


def _voice_preview(page: str, user: User, board: Storyboard, spec: catalog.ModelSpec) -> None:
    """One click to hear the first line in this voice (a paid voice costs that line's price)."""
    cost = "" if catalog.is_draft(spec.id) else " (a few cents at most)"
    if st.button(f"Hear {spec.title}{cost}", key=f"{page}_hear_{spec.id}",
                 icon=":material/record_voice_over:"):  # fmt: skip
        with friendly_errors(), db() as session:
            row = preview_voice(session=session, actor=user, storyboard_id=board.id,
                                voice_model=spec.id)  # fmt: skip
            st.session_state[f"{page}_heard"] = row.id
    _heard(page, user)


@st.fragment(run_every=2)
def _heard(page: str, user: User) -> None:
    heard = st.session_state.get(f"{page}_heard")
    if not heard:
        return
    with db() as session:
        row = gen.get_generation(session=session, actor=user, generation_id=heard)
    if row.status == Status.succeeded and (path := stored_file(row.media_path)):
        st.audio(str(path))
    elif row.status in OPEN_STATUSES:
        st.caption("Making the sample line…")
    else:
        st.caption(row.error or "The sample line could not be made.")


def _use_real_models(page: str, board: Storyboard) -> None:
    """A callback: the pickers switch to the Replicate models before the form is drawn, so the
    form's quote is the paid render's, to confirm before anything is spent."""
    models = final_ad.real_models(board)
    st.session_state[f"{page}_voice_model"] = models["voice_model"]
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
              args=(page, board), disabled=reason is not None, icon=":material/auto_awesome:",
              help=about)  # fmt: skip


def render_form(page: str, user: User, board: Storyboard, numbers: dict[str, int]) -> None:
    if st.session_state.pop(f"{page}_real_models_note", False):
        st.info("The models below are now Replicate's: check the quote, then confirm it.",
                icon=":material/auto_awesome:")  # fmt: skip
    request, blocked = _request(page, user, board)
    plan = None
    with friendly_errors(), db() as session:
        try:
            plan = final_ad.plan_render(session=session, actor=user, storyboard_id=board.id,
                                      **request)  # fmt: skip
        except Conflict as not_yet:  # e.g. not approved yet: a state to know, not a failure
            st.info(str(not_yet), icon=":material/hourglass_empty:")
    if plan is None:
        return  # refused (not approved, a model unavailable): core's message is shown
    if fits := plan.fitted_lengths():
        st.warning("The video model makes clips of some lengths only; the ad keeps the approved "
                   "timing:\n\n" + "\n".join(f"- {line}" for line in fits))  # fmt: skip
    total = _quote(plan.steps, numbers)
    # A fresh key after each started render (and per total): one confirmation, one render.
    confirm = f"{flash.form_key(page, f'confirm_{board.id}')}_{round(total * 1000)}"
    confirmed = _confirmed(user, board, total, confirm)
    with request_button("Render final ad", type="primary", key=f"{page}_render",
                        disabled=blocked or not confirmed) as clicked:  # fmt: skip
        if clicked:
            act(page, user, lambda _plan: _started(page, board), final_ad.render,
                storyboard_id=board.id, submission_key=confirm, **request)  # fmt: skip


def _confirmed(user: User, board: Storyboard, total: float, key: str) -> bool:
    """A free render just starts; a paid one says where it takes the budget, and starts once its
    total is confirmed (never when a budget would refuse it)."""
    if total <= 0:
        return True
    if not spend_after(user, board.campaign_id, total):
        return False
    if confirmed := st.checkbox(f"I confirm the estimated total of {usd(total)}", key=key):
        return confirmed
    st.caption("Confirm the quote to start the render.")
    return False


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


def _step(
    page: str, user: User, step: Generation, numbers: dict[str, int], usual: dict[str, float]
) -> None:
    preview, about, cost, action = st.columns([2, 4, 1, 1], vertical_alignment="center")
    _preview(step, preview)
    about.markdown(f"{BADGES.get(step.status, step.status)} · **{step_label(step, numbers)}**")
    left = live_jobs.time_left(step, usual)
    if about_it := " · ".join(p for p in (_made_by(step).removesuffix(" · "), left) if p):
        about.caption(about_it)
    known = step.cost_usd if step.cost_usd is not None else step.estimated_cost_usd
    cost.caption(price(known))
    may_retry = auth.can_as_owner_or_admin(user, step.created_by, "job.manage")
    if may_retry and step.status in (Status.failed, Status.canceled):
        label = live_jobs.retry_label(step)
        if action.button(label, key=f"{page}_retry_step_{step.id}", help=gen.retry_quote(step)):
            act(page, user, lambda row: f"Queued again: {step_label(row, numbers)}."
                f"{gen.retry_note(row)}", gen.retry, generation_id=step.id)  # fmt: skip
    if step.error:
        (st.error if step.status == Status.failed else st.caption)(step.error)


def _usual(steps: list[Generation]) -> dict[str, float]:
    """Every step's usual time (not only the running ones'): they weigh the percent done."""
    with db() as session:
        return progress.usual_seconds(session, steps)


def _steps(page: str, user: User, steps: list[Generation], numbers: dict[str, int]) -> None:
    usual = _usual(steps)
    share = progress.done_share(steps, usual)
    done = sum(1 for s in steps if s.status == Status.succeeded)
    quoted = sum(s.estimated_cost_usd for s in steps)
    st.progress(share, text=f"{int(share * 100)} % done · {done} of {len(steps)} steps · spent "
                f"so far {usd(final_ad.spent(steps))} of {usd(quoted)} quoted")  # fmt: skip
    for step in steps:
        with st.container(border=True):
            _step(page, user, step, numbers, usual)


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
    again = [s for s in steps if s.status in (Status.failed, Status.canceled)]
    cost = sum(s.estimated_cost_usd for s in again)
    price = (f"Up to {usd(cost)} for the {len(again)} steps made again." if cost
             else "Free: the steps made again are drafts.")  # fmt: skip
    st.caption("Resume takes up every failed or canceled step (or Retry one): steps already "
               f"made are kept and not paid for again. {price}")  # fmt: skip
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


def final_videos(steps: list[Generation], board: Storyboard, user: User | None = None) -> None:
    for final in steps:
        path = stored_file(final.media_path) if final.kind == "composite" else None
        if path is not None and final.status == Status.succeeded:
            st.caption(f"Final ad · {final.params.get('aspect_ratio')} · {final.duration_s:g} s"
                       f"{_older(board, final)}")  # fmt: skip
            video(final, path)
            if user is not None:
                _caption_files(user, final)


@st.cache_data(max_entries=64, show_spinner=False)
def _sidecar(user_id: str, final_id: str, media_path: str, fmt: str) -> str:
    # Keyed by the stored file (content-addressed): the captions are read out of it once.
    with db() as session:
        user = users.get_user(session=session, user_id=user_id)
        return final_ad.captions_of(session=session, actor=user, composite_id=final_id, fmt=fmt)


def _caption_files(user: User, final: Generation) -> None:
    """The ad's captions as files to upload beside the video (none for an ad without lines)."""
    texts = {
        fmt: _sidecar(user.id, final.id, final.media_path or "", fmt) for fmt in ("vtt", "srt")
    }
    if not texts["vtt"]:
        return
    stem = f"final-ad-{final.params.get('aspect_ratio', '').replace(':', 'x')}"
    for column, (fmt, text) in zip(st.columns(2), texts.items(), strict=True):
        column.download_button(f"Captions (.{fmt})", text, file_name=f"{stem}.{fmt}",
                               key=f"captions_{fmt}_{final.id}", mime="text/plain")  # fmt: skip


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
    final_videos(steps, board, user)
