"""The storyboard as a timeline: a strip of compact scene cards (frame, title, length, review
state), each opening its scene in the panel below, and a row of the same scenes to drag into a
new order. The open scene is in the URL (`?scene=`), so a reload or a shared link opens it.

A drag is one scene moved: it goes through core (`editing.move_scene`), so the permission and
review rules of any edit hold, and its message shows beside the strip, where it was made.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
import streamlit_sortables

from core.models import Generation, Scene, Storyboard, User
from core.storyboards import editing as sb
from core.storyboards import frames
from ui.live_jobs import BADGES
from ui.media import short, stored_file
from ui.storyboard_widgets import REVIEW_MARKS, act

CARDS_A_ROW = 6  # more, and a title no longer fits its card at a laptop's width
THUMB_HEIGHT = 96  # px: the strip stays one screen high with portrait frames too
SORTABLES = Path(streamlit_sortables.__file__).parent / "frontend" / "build"
ORDER_STYLE = """
.sortable-container-body { background: transparent; min-height: 0; padding: 0; }
.sortable-item, .sortable-item:hover { font-size: 0.85rem; margin: 2px 4px 2px 0; }
"""


def slot(page: str) -> str:
    """The `flash` slot of a reorder's message: beside the strip."""
    return f"{page}_strip"


def selected(
    page: str, board: Storyboard, scenes: list[Scene], preferred: str | None = None
) -> Scene:
    """The scene open in the panel: the URL's, else the one open before in this session (or,
    deleted meanwhile, the one now in its place), else `preferred`, else the first."""
    by_id = {s.id: s for s in scenes}
    held = st.session_state.get(f"{page}_open") or {}
    held = held if held.get("board") == board.id else {}
    chosen = st.query_params.get("scene")
    if chosen not in by_id:
        chosen = held.get("scene")
    if chosen not in by_id:
        if (was_at := held.get("at")) is not None:
            chosen = scenes[min(was_at, len(scenes) - 1)].id
        else:
            chosen = preferred if preferred in by_id else scenes[0].id
    scene = by_id[chosen]
    st.session_state[f"{page}_open"] = {"board": board.id, "scene": scene.id,
                                        "at": scene.position}  # fmt: skip
    if st.query_params.get("scene") != scene.id:
        st.query_params["scene"] = scene.id
    return scene


def open_scene(scene_id: str) -> None:
    """The panel shows `scene_id` from the next run on (the URL wins over the session)."""
    st.query_params["scene"] = scene_id


def asked_to_change(board: Storyboard, scenes: list[Scene], feedback: dict) -> str | None:
    """The first scene reviewers asked to change in this version: where a creative starts.
    `feedback`: `storyboard_review.scene_feedback`."""
    for scene in scenes:
        latest = feedback.get(scene.id, [])[:1]
        if latest and (latest[0].decision, latest[0].version) == ("request_changes", board.version):
            return scene.id
    return None


def _label(scene: Scene) -> str:
    # The number keeps labels unique: the drag component tells items apart by their text.
    return f"{scene.position + 1} · {short(scene.title or 'untitled', 28)} · {scene.duration_s} s"


def _moved(before: list[str], after: list[str]) -> tuple[str, int] | None:
    """The one item a drag moved and where to, or None if `after` is not one move away."""
    found = None
    for item in before:
        if [i for i in before if i != item] == [i for i in after if i != item]:
            shift = abs(after.index(item) - before.index(item))
            # Two neighbours swapped are both one move away: the later one is taken as the
            # one moved (people drag a scene forward more often than back).
            if shift and (found is None or shift >= found[0]):
                found = (shift, item)
    return None if found is None else (found[1], after.index(found[1]))


def _apply_drag(page: str, user: User, drawn: dict[str, str], order: list[str]) -> None:
    """Move the scene a drag moved (`drawn`: label -> scene id, as the row was drawn)."""
    move = _moved(list(drawn), order)
    if move is None:
        return
    label, position = move
    was = list(drawn).index(label) + 1
    act(slot(page), user, f"Moved scene {was} to scene {position + 1}.", sb.move_scene,
        scene_id=drawn[label], position=position)  # fmt: skip


def order_row(page: str, user: User, board: Storyboard, scenes: list[Scene]) -> None:
    """The scenes as a row of labels to drag. The component is keyed by a round that changes
    whenever the order or a label changes (it draws its items once, when mounted); a drag is
    read against the order the row was drawn with, so one made on a page that was out of date
    still moves the scene that was dragged."""
    held = f"{page}_order"
    labels = {_label(s): s.id for s in scenes}
    round_, drawn = st.session_state.get(held, (0, None))
    dragged = st.session_state.get(f"{page}_order_{board.id}_{round_}")
    if drawn is not None and dragged and dragged[0]["items"] != list(drawn):
        round_ += 1
        st.session_state[held] = (round_, labels)  # drawn anew, whatever core answers
        _apply_drag(page, user, drawn, dragged[0]["items"])
    elif drawn != labels:
        round_ += 1
    st.session_state[held] = (round_, labels)
    st.caption("Drag a scene to move it, or open it and use ← Earlier / Later →.")
    # Declared here, in the run, not at import: Streamlit registers a component only when it
    # is declared during a script run, and an import made outside one (a server preloading
    # pages) would leave the browser a frame that never loads.
    drag = components.declare_component("scene_order", path=str(SORTABLES))
    drag(items=[{"header": None, "items": list(labels)}], direction="horizontal",
         customStyle=ORDER_STYLE, default=None,
         key=f"{page}_order_{board.id}_{round_}")  # fmt: skip


def _thumb(frame: Generation | None, variants: list[Generation]) -> None:
    if frame is None:
        # The newest attempt says what is happening (queued, running, failed), if any.
        status = variants[0].status if variants else None
        st.caption(BADGES.get(status, status) if status else "No frame yet.")
        return
    path = stored_file(frame.thumb_path) or stored_file(frame.media_path)
    if path is None:
        st.caption(BADGES.get(frame.status, frame.status))
        return
    tall = frame.width and frame.height and frame.height > frame.width
    width = round(THUMB_HEIGHT * frame.width / frame.height) if tall else "stretch"
    st.image(str(path), width=width)


def _card(page: str, scene: Scene, variants: list[Generation], is_open: bool) -> None:
    with st.container(border=True):
        _thumb(frames.current_frame(scene, variants), variants)
        st.button(f"{scene.position + 1} · {short(scene.title or 'untitled', 40)}",
                  key=f"{page}_open_{scene.id}", on_click=open_scene, args=(scene.id,),
                  type="primary" if is_open else "secondary", width="stretch",
                  help="Open this scene below")  # fmt: skip
        mark = REVIEW_MARKS.get(scene.review_status, scene.review_status)
        st.caption(f"{scene.duration_s} s · {mark}")


def cards(page: str, scenes: list[Scene], found: dict[str, list[Generation]], open_id: str) -> None:
    """One compact card a scene, in rows of CARDS_A_ROW; the open one is highlighted."""
    for start in range(0, len(scenes), CARDS_A_ROW):
        row = scenes[start : start + CARDS_A_ROW]
        for column, scene in zip(st.columns(CARDS_A_ROW), row, strict=False):
            with column:
                _card(page, scene, found.get(scene.id, []), scene.id == open_id)
