"""Storyboard widgets: a scene shown, a frame, the storyboard's own settings, adding a scene,
and the one-line action helper the storyboard screens share.

A form's widget keys change only when what it shows was saved differently, so a change
elsewhere on the page keeps what is being typed in it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from core import catalog
from core.models import Generation, Scene, Status, Storyboard, User
from core.storyboards import editing as sb
from core.storyboards import frames, voice
from ui import flash
from ui.errors import friendly_errors
from ui.live_jobs import BADGES
from ui.media import stored_file
from ui.session import db

STATUS_LABELS = {
    "draft": "📝 draft",
    "in_review": "👀 in review",
    "changes_requested": "✏️ changes requested",
    "approved": "✅ approved",
}
REVIEW_MARKS = {"pending": "⏳ pending", "approved": "✅ approved",
                "changes_requested": "✏️ changes requested"}  # fmt: skip


# Scene lengths are checked by core, not limited in the browser (which would keep an
# out-of-range entry to itself and save the old value without a word).
SECONDS_LABEL = f"Duration (seconds, 1 to {sb.MAX_SCENE_S})"


def act(page: str, user: User, done: str | Callable, service: Callable, **kwargs) -> None:
    """Call a core service in its own unit of work; on success rerun with `done` shown (or
    `done(result)`, for a message that depends on what the service did) by `flash.show(page)`:
    `page` names the slot, so a screen can show each message where its change was made."""
    with friendly_errors():
        with db() as session:
            result = service(session=session, actor=user, **kwargs)
            message = done if isinstance(done, str) else done(result)
        flash.done(page, message)  # after the commit: a rerun inside the session would roll back


def _content_key(*values: object) -> str:
    """A form's key part that changes only when what the form shows was saved differently: a
    change elsewhere on the page (another scene split, a new frame) keeps the typing in it."""
    return hashlib.blake2s(repr(values).encode(), digest_size=6).hexdigest()


def scene_heading(scene: Scene) -> str:
    return f"Scene {scene.position + 1} · {scene.title or 'untitled'} · {scene.duration_s} s"


def show_frame(frame: Generation | None, *, width: int | None = None) -> None:
    path = stored_file(frame.media_path) if frame else None
    if path is None:
        st.caption("No frame yet." if frame is None else BADGES.get(frame.status, frame.status))
        return
    st.image(str(path), width=width or "stretch")


def frames_off_ratio(board: Storyboard, scenes: list[Scene], found: dict) -> None:
    """Frames (`found`: `frames.frames_of`) made before the aspect ratio changed: the render
    would crop them."""
    if off := frames.off_ratio(board, scenes, found):
        which = ", ".join(str(n) for n in off)
        st.warning(f"The frames of scene{'s' * (len(off) > 1)} {which} were made for another "
                   f"aspect ratio than {board.aspect_ratio}: the render would crop them. "
                   "Make new frames.", icon=":material/crop:")  # fmt: skip


def brief_departures(user: User, board: Storyboard) -> None:
    """Where the scenes no longer honour the brief (length, end card, mandatories), and where
    each of the brief's mandatories landed."""
    with db() as session:
        found = sb.brief_warnings(session=session, actor=user, storyboard_id=board.id)
        places = sb.mandatory_places(session=session, actor=user, storyboard_id=board.id)
    if found:
        lines = "\n".join(f"- {w}" for w in found)
        st.warning(f"Against the brief:\n{lines}", icon=":material/rule:")
    if places:
        with st.expander(f"The brief's mandatories: where each one is ({len(places)})"):
            st.markdown("\n".join(f"- {line}" for line in places))


def voice_departures(user: User, board: Storyboard) -> None:
    """The voice lines too long to be said in their scenes at a normal speaking rate."""
    with db() as session:
        found = voice.voice_warnings(session=session, actor=user, storyboard_id=board.id)
    if found:
        lines = "\n".join(f"- {w}" for w in found)
        st.warning(f"Voice-over:\n{lines}", icon=":material/record_voice_over:")


def scene_view(scene: Scene, frame: Generation | None) -> None:
    """A scene read-only: its frame beside what it says."""
    picture, words = st.columns([1, 2])
    with picture:
        show_frame(frame)
    words.markdown(f"**{scene_heading(scene)}** · review: {REVIEW_MARKS.get(scene.review_status)}")
    words.markdown(scene.description or "—")
    words.caption(f"Image prompt: {scene.image_prompt or '—'}")
    words.caption(f"Motion: {scene.motion_prompt or '—'}")
    if scene.shot_notes:
        words.caption(f"Shot notes: {scene.shot_notes}")


def settings_form(page: str, user: User, board: Storyboard) -> None:
    saved_as = _content_key(
        board.title, board.aspect_ratio, board.transition, board.continuity,
        board.call_to_action, board.music_prompt, board.voice_model,
    )  # fmt: skip
    key = f"{page}_settings_{saved_as}"
    with st.form(key):
        title = st.text_input("Title", board.title, key=f"{key}_title")
        ratios = list(catalog.ASPECT_RATIOS_VIDEO)
        ratio = st.selectbox("Aspect ratio", ratios, ratios.index(board.aspect_ratio),
                             key=f"{key}_ratio")  # fmt: skip
        transition = st.radio("Transition", sb.TRANSITIONS, sb.TRANSITIONS.index(board.transition),
                              horizontal=True, key=f"{key}_transition")  # fmt: skip
        continuity = st.toggle("Continuity: each clip starts from the last frame of the one before",
                               board.continuity, key=f"{key}_continuity")  # fmt: skip
        cta = st.text_input("Call to action (end card)", board.call_to_action, key=f"{key}_cta")
        music = st.text_input("Music direction", board.music_prompt, key=f"{key}_music")
        voices = [sb.NO_VOICE, *(m.id for m in catalog.models_for("voice"))]
        speaker = voice.chosen_voice(board) or sb.NO_VOICE
        spoken_by = st.selectbox(
            "Voice-over (speaks each scene's voice line; hear it in the render panel)", voices,
            voices.index(speaker) if speaker in voices else 0, key=f"{key}_voice",
            format_func=lambda i: "No voice-over" if i == sb.NO_VOICE else
            catalog.get_model(i).title,
        )  # fmt: skip
        saved = st.form_submit_button("Save settings")
    flash.show(f"{page}_settings")  # its message where it was saved
    if saved:
        # Only a voice actually changed is saved: the default voice, saved by name, would count
        # as a change of an approved storyboard.
        voice_change = {} if spoken_by == speaker else {"voice_model": spoken_by}
        act(f"{page}_settings", user, "Saved the storyboard's settings.", sb.update_storyboard,
            storyboard_id=board.id, title=title, aspect_ratio=ratio, transition=transition,
            continuity=continuity, call_to_action=cta, music_prompt=music,
            **voice_change)  # fmt: skip


def add_scene_form(page: str, user: User, board: Storyboard) -> None:
    """A scene added at the end, opened at once in the panel (`?scene=`)."""
    key = flash.form_key(page, "add")  # a fresh, empty form after each scene added
    with st.form(key):
        title = st.text_input("Title", key=f"{key}_title")
        description = st.text_area("Description", key=f"{key}_description")
        seconds = st.number_input(SECONDS_LABEL, value=3, step=1, key=f"{key}_s")
        added = st.form_submit_button("Add scene")
    flash.show(f"{page}_add")  # its message where it was added
    if added:

        def done(scene: Scene) -> str:
            flash.next_round(page, "add")
            st.query_params["scene"] = scene.id  # opened in the panel
            return f"Added scene {scene.position + 1}: it is open above."

        act(f"{page}_add", user, done, sb.add_scene, storyboard_id=board.id, title=title,
            description=description, image_prompt=description, duration_s=int(seconds))  # fmt: skip


@st.fragment(run_every=3)
def review_watch(user: User, board_id: str, status: str) -> None:
    """While reviewers decide, look every few seconds; when they are done, redraw the page (the
    comments, the unlocked forms) without the creative having to reload."""
    with db() as session:
        now = sb.get_storyboard(session=session, actor=user, storyboard_id=board_id).status
    if now != status:
        st.rerun(scope="app")
    st.info("Under review: editing is locked until the reviewers decide. This page updates when "
            "they do.")  # fmt: skip


@st.fragment(run_every=2)
def frames_progress(page: str, user: User, board_id: str) -> None:
    """While frames are being made, count them down; when the last is done, redraw the page."""
    with db() as session:
        found = frames.frames_of(session=session, actor=user, storyboard_id=board_id)
    pending = sum(1 for rows in found.values() for r in rows if r.status not in
                  (Status.succeeded, Status.failed, Status.canceled))  # fmt: skip
    key = f"{page}_pending_frames"
    before = st.session_state.get(key, 0)
    st.session_state[key] = pending
    if pending:
        st.info(f"⚙️ {pending} frame{'s' * (pending != 1)} being made…")
    elif before:
        st.rerun(scope="app")
