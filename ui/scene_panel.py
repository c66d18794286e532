"""The scene open beside the storyboard's strip: what reviewers said of it, its buttons (earlier,
later, split, delete), its form, its frames; every message about it shows here, where it was
made, not at the top of the page.

Two people may have the same scene open. The form is keyed by the scene's version it was drawn
from (held in session state while the scene stays open), so a change saved meanwhile elsewhere
does not replace what is typed here; saving sends that version, core refuses an edit made from
an older one (`ChangedMeanwhile`), and this panel says who changed it and when, draws the form
again from what is saved now and keeps the person's own text beside it, to copy or put back.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.models import Generation, Review, Scene, Status, Storyboard, User
from core.storyboards import editing as sb
from core.storyboards import frames
from ui import flash, frame_quote, storyboard_review
from ui.errors import shown
from ui.session import db
from ui.storyboard_widgets import (
    REVIEW_MARKS,
    SECONDS_LABEL,
    act,
    scene_heading,
    scene_view,
    show_frame,
)

FIELDS = (  # a scene's field, its widget's key suffix, its label
    ("title", "title", "Title"),
    ("description", "description", "Description"),
    ("image_prompt", "image", "Image prompt"),
    ("motion_prompt", "motion", "Motion prompt"),
    ("duration_s", "duration", SECONDS_LABEL),
    ("shot_notes", "notes", "Shot notes"),
    ("voice_line", "voice", "Voice-over line"),
)


def slot(page: str) -> str:
    """The `flash` slot of the panel's messages."""
    return f"{page}_scene"


def _fields(scene: Scene) -> dict[str, Any]:
    return {field: getattr(scene, field) for field, _, _ in FIELDS}


def _drawn(page: str, board: Storyboard, scene: Scene) -> dict[str, Any]:
    """The version (and its values) the open scene's form was first drawn from."""
    held = st.session_state.get(f"{page}_drawn")
    if not held or held["scene"] != scene.id:
        held = {"board": board.id, "scene": scene.id, "version": scene.version,
                "key": f"{page}_{scene.id}_v{scene.version}", "fields": _fields(scene)}  # fmt: skip
        st.session_state[f"{page}_drawn"] = held
    return held


def forget(page: str) -> None:
    """The form is drawn again from what is saved (after this person's own change to it)."""
    st.session_state.pop(f"{page}_drawn", None)


def notice_deleted(page: str, board: Storyboard, scenes: list[Scene]) -> None:
    """Call before choosing the open scene: when the scene whose form was open is gone (deleted
    in another tab), what was typed and sent with Save is kept, not dropped without a word."""
    held = st.session_state.get(f"{page}_drawn")
    if not held or held["board"] != board.id or held["scene"] in {s.id for s in scenes}:
        return
    forget(page)
    typed = {field: st.session_state.get(f"{held['key']}_{suffix}", held["fields"][field])
             for field, suffix, _ in FIELDS}  # fmt: skip
    if typed != held["fields"]:
        st.session_state[f"{page}_kept"] = {"scene": None, "typed": typed,
                                            "message": sb.DELETED_WHILE_EDITING}  # fmt: skip


def _act(page: str, user: User, done: Any, service: Any, **kwargs: Any) -> None:
    forget(page)  # the same version draws the same form: typing in it is kept
    act(slot(page), user, done, service, **kwargs)


def _buttons(page: str, user: User, scene: Scene, count: int) -> None:
    earlier, later, split, delete = st.columns(4)
    n = scene.position + 1
    if earlier.button("← Earlier", key=f"{page}_up_{scene.id}", disabled=n == 1, width="stretch"):
        _act(page, user, f"Moved scene {n} earlier: it is scene {n - 1} now.", sb.move_scene,
             scene_id=scene.id, position=n - 2)  # fmt: skip
    if later.button("Later →", key=f"{page}_down_{scene.id}", disabled=n == count,
                    width="stretch"):  # fmt: skip
        _act(page, user, f"Moved scene {n} later: it is scene {n + 1} now.", sb.move_scene,
             scene_id=scene.id, position=n)  # fmt: skip
    if split.button("Split", key=f"{page}_split_{scene.id}", width="stretch"):
        _act(page, user, f"Split scene {n} in two: the second half is scene {n + 1}.",
             sb.split_scene, scene_id=scene.id)  # fmt: skip
    with delete.popover("Delete", icon=":material/delete:", width="stretch"):
        st.caption(f"Delete scene {n} ({scene.title or 'untitled'})? There is no undo.")
        if st.button(f"Delete scene {n}", key=f"{page}_delete_{scene.id}"):
            _act(page, user, f"Deleted scene {n}.", sb.delete_scene, scene_id=scene.id)


def _form(page: str, user: User, board: Storyboard, scene: Scene) -> None:
    held = _drawn(page, board, scene)
    key, was = held["key"], held["fields"]
    if scene.version != held["version"] and f"{page}_kept" not in st.session_state:
        st.info("This scene was changed elsewhere since you opened it: saving will keep your "
                "text for you to re-apply.", icon=":material/sync_problem:")  # fmt: skip
        st.button("Show the saved version (drops what you typed)", key=f"{key}_refresh",
                  on_click=forget, args=(page,))  # fmt: skip
    with st.form(f"{key}_form", border=False):
        typed = {
            "title": st.text_input("Title", was["title"], key=f"{key}_title"),
            "description": st.text_area("Description", was["description"],
                                        key=f"{key}_description"),
            "image_prompt": st.text_area("Image prompt", was["image_prompt"], key=f"{key}_image"),
        }  # fmt: skip
        motion, seconds = st.columns([3, 2])
        typed["motion_prompt"] = motion.text_input("Motion prompt", was["motion_prompt"],
                                                   key=f"{key}_motion")  # fmt: skip
        typed["duration_s"] = int(seconds.number_input(SECONDS_LABEL, value=was["duration_s"],
                                                       step=1, key=f"{key}_duration"))  # fmt: skip
        # As high as what it holds: most scenes have no shot notes.
        typed["shot_notes"] = st.text_area("Shot notes", was["shot_notes"], height="content",
                                           key=f"{key}_notes")  # fmt: skip
        typed["voice_line"] = st.text_area(
            "Voice-over line",
            was.get("voice_line", ""),
            height="content",
            key=f"{key}_voice",
            help="Said over this scene and burned in as captions. About 2.5 words a second.",
        )
        saved = st.form_submit_button("Save scene", type="primary")
    if saved:
        _save(page, user, scene, held["version"], typed)


def _save(page: str, user: User, scene: Scene, version: int, typed: dict[str, Any]) -> None:
    try:
        with db() as session:
            sb.update_scene(session=session, actor=user, scene_id=scene.id,
                            expected_version=version, **typed)  # fmt: skip
    except sb.ChangedMeanwhile as clash:
        st.session_state[f"{page}_kept"] = {"scene": scene.id, "typed": typed,
                                            "message": str(clash)}  # fmt: skip
        forget(page)
        st.rerun()  # the form drawn again from what is saved now, the typed text beside it
    except Exception as error:
        st.error(shown(error), icon="⚠️")  # the form keeps what was typed, to correct
    else:
        st.session_state.pop(f"{page}_kept", None)
        forget(page)
        flash.done(slot(page), f"Saved scene {scene.position + 1}.")


def _put_back(page: str, typed: dict[str, Any]) -> None:
    """A callback: the kept text goes into the form now drawn, before it is drawn."""
    held = st.session_state.get(f"{page}_drawn")
    if held:
        for field, suffix, _ in FIELDS:
            st.session_state[f"{held['key']}_{suffix}"] = typed[field]
    st.session_state.pop(f"{page}_kept", None)


def _add_as_scene(page: str, user: User, board: Storyboard, typed: dict[str, Any]) -> None:
    def done(added: Scene) -> str:
        st.session_state.pop(f"{page}_kept", None)
        st.query_params["scene"] = added.id  # opened
        return f"Added your text as scene {added.position + 1}."

    act(slot(page), user, done, sb.add_scene, storyboard_id=board.id, **typed)


def _kept(page: str, user: User, board: Storyboard, scene: Scene) -> None:
    """A refused edit's message and the person's own text (where it differs from what is saved
    now), each field with a copy button, and a way to put it back in the form."""
    kept = st.session_state.get(f"{page}_kept")
    if not kept or kept["scene"] not in (scene.id, None):
        return
    st.error(kept["message"], icon="⚠️")
    now = _fields(scene) if kept["scene"] else {}
    mine = [(label, kept["typed"][field]) for field, _, label in FIELDS
            if kept["typed"][field] != now.get(field)]  # fmt: skip
    if mine:
        st.markdown("**Your text, not saved:**")
    for label, value in mine:
        st.caption(label)
        st.code(str(value) or "(empty)", language=None, wrap_lines=True)
    again, drop = st.columns(2)
    if kept["scene"]:
        again.button("Put my text back in the form", key=f"{page}_put_back", type="primary",
                     on_click=_put_back, args=(page, kept["typed"]))  # fmt: skip
    elif again.button("Add it as a new scene", key=f"{page}_add_kept", type="primary"):
        _add_as_scene(page, user, board, kept["typed"])
    drop.button("Dismiss", key=f"{page}_drop_kept", on_click=st.session_state.pop,
                args=(f"{page}_kept", None))  # fmt: skip


def _variants(page: str, user: User, scene: Scene, variants: list[Generation]) -> None:
    """Every frame made for the scene; the one a render starts from is marked."""
    current = frames.current_frame(scene, variants)
    if not variants:
        st.caption("No frame yet.")
    # Two a row: four made each one ~60 px wide, too small to choose from.
    for start in range(0, len(variants), 2):
        for column, row in zip(st.columns(2), variants[start : start + 2], strict=False):
            with column:
                show_frame(row)
                if current is not None and row.id == current.id:
                    st.caption("★ in use")
                elif row.status == Status.succeeded:
                    if st.button("Use this", key=f"{page}_use_{row.id}"):
                        _act(page, user, f"Scene {scene.position + 1} now uses this frame.",
                             frames.choose_variant, scene_id=scene.id,
                             generation_id=row.id)  # fmt: skip


def panel(
    page: str, user: User, board: Storyboard, scene: Scene, *, variants: list[Generation],
    feedback: list[Review], editable: bool, count: int, frames_blocked: bool = False,
) -> None:  # fmt: skip
    """The open scene: read-only, or to edit (`count`: the storyboard's scenes)."""
    with st.container(border=True, key=f"{page}_panel"):
        if not editable:
            scene_view(scene, frames.current_frame(scene, variants))
            storyboard_review.show_feedback(feedback, board.version)
            return
        mark = REVIEW_MARKS.get(scene.review_status, scene.review_status)
        st.markdown(f"**{scene_heading(scene)}** · review: {mark}")
        storyboard_review.show_feedback(feedback, board.version)
        frame_quote.show_outcome(slot(page))
        _kept(page, user, board, scene)
        _buttons(page, user, scene, count)
        form, pictures = st.columns([3, 2])
        with form:
            _form(page, user, board, scene)
        with pictures:
            _variants(page, user, scene, variants)
            frame_quote.frames_button(page, user, board, label="New frame",
                                      key=f"{page}_regen_{scene.id}", slot=slot(page),
                                      scene_id=scene.id, blocked=frames_blocked)  # fmt: skip
