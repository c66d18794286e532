"""What changed in a storyboard since a reviewer last decided on it: per scene, a word diff of
what it says and both frames; scenes new, removed or moved; the board's own settings.

The baseline is the newest version, before the one in review, on which the reviewer recorded a
decision (replies do not count: they decide nothing). It is read from that version's snapshot
(`StoryboardVersion`), and compared with the board as it is now, framed as the Review page
shows it (a scene's chosen frame, else its newest finished one).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlmodel import Session, col, func, select

from core.models import Generation, Review, StoryboardVersion, User
from core.storyboards import reviews
from core.storyboards.editing import get_storyboard, scenes_of

SCENE_FIELDS = {
    "title": "Title",
    "description": "Description",
    "image_prompt": "Image prompt",
    "motion_prompt": "Motion",
    "duration_s": "Duration",
    "shot_notes": "Shot notes",
    "voice_line": "Voice line",
}
BOARD_FIELDS = {
    "title": "Title",
    "aspect_ratio": "Aspect ratio",
    "transition": "Transition",
    "continuity": "Continuity",
    "call_to_action": "Call to action",
    "music_prompt": "Music",
    "voice_model": "Voice",
    "voice_params": "Voice settings",
}
REWRITTEN_BELOW = 0.4  # share of words kept under which a text reads as rewritten, not edited
Piece = tuple[Literal["same", "added", "removed"], str]
SceneState = Literal["new", "changed", "same", "removed"]


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str

    @property
    def pieces(self) -> list[Piece]:
        """The text from before to after, word by word: kept, removed and added runs."""
        return word_diff(self.before, self.after)


@dataclass(frozen=True)
class SceneChange:
    scene_id: str
    number: int  # its place now (1-based); for a removed scene, its place then
    title: str
    state: SceneState
    fields: list[FieldChange] = field(default_factory=list)
    moved_from: int | None = None  # its number then, when it moved
    frame_changed: bool = False
    frame_before: Generation | None = None
    frame_after: Generation | None = None


@dataclass(frozen=True)
class Changes:
    """`since`: the version compared with (None: the reviewer never decided on this board)."""

    storyboard_id: str
    version: int
    since: int | None
    scenes: list[SceneChange] = field(default_factory=list)  # as now, then the removed ones
    board: list[FieldChange] = field(default_factory=list)

    def of(self, scene_id: str) -> SceneChange | None:
        return next((s for s in self.scenes if s.scene_id == scene_id), None)

    @property
    def removed(self) -> list[SceneChange]:
        return [s for s in self.scenes if s.state == "removed"]

    @property
    def anything(self) -> bool:
        return bool(self.board) or any(s.state != "same" for s in self.scenes)


def word_diff(before: str, after: str) -> list[Piece]:
    old, new = _words(before), _words(after)
    kept = difflib.SequenceMatcher(a=before.split(), b=after.split(), autojunk=False).ratio()
    if before and after and kept < REWRITTEN_BELOW:
        # Mostly rewritten: a word-by-word patchwork would be harder to read than both texts.
        return [("removed", before), ("added", after)]
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(old[a0:a1])))
            continue
        if a1 > a0:
            pieces.append(("removed", "".join(old[a0:a1])))
        if b1 > b0:
            pieces.append(("added", "".join(new[b0:b1])))
    return pieces


def _words(text: str) -> list[str]:
    # Whitespace kept as its own tokens, so the pieces join back into the exact text.
    return re.findall(r"\s+|\S+", text)


def last_decided_version(*, session: Session, actor: User, storyboard_id: str) -> int | None:
    """The newest version before the current one on which `actor` recorded a decision."""
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    query = select(func.max(Review.version)).where(
        Review.storyboard_id == storyboard_id,
        Review.reviewer_id == actor.id,
        col(Review.reply_to).is_(None),
        Review.version < board.version,
    )
    return session.exec(query).one()


def since_last_decision(*, session: Session, actor: User, storyboard_id: str) -> Changes:
    since = last_decided_version(session=session, actor=actor, storyboard_id=storyboard_id)
    return since_version(session=session, actor=actor, storyboard_id=storyboard_id, version=since)


def since_version(
    *, session: Session, actor: User, storyboard_id: str, version: int | None
) -> Changes:
    """What changed between submitted `version` and the board now (None: nothing to compare)."""
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    then = _snapshot_of(session, storyboard_id, version) if version else None
    if then is None:
        return Changes(storyboard_id, board.version, None)
    now = reviews.current_snapshot(session, actor, board, scenes_of(session, board.id))
    frames = _frames(session, then, now)
    scenes = _scene_changes(then, now, frames)
    return Changes(storyboard_id, board.version, version, scenes, _fields(then, now, BOARD_FIELDS))


def _snapshot_of(session: Session, storyboard_id: str, version: int) -> dict | None:
    query = select(StoryboardVersion).where(
        StoryboardVersion.storyboard_id == storyboard_id, StoryboardVersion.version == version
    )
    row = session.exec(query).first()
    return row.snapshot if row else None


def _frames(session: Session, then: dict, now: dict) -> dict[str, Generation]:
    ids = {s.get("frame_id") for snap in (then, now) for s in snap.get("scenes", [])}
    ids.discard(None)
    if not ids:
        return {}
    return {g.id: g for g in session.exec(select(Generation).where(col(Generation.id).in_(ids)))}


def _scene_changes(then: dict, now: dict, frames: dict[str, Generation]) -> list[SceneChange]:
    before = {s["id"]: s for s in then.get("scenes", [])}
    current = {s["id"] for s in now["scenes"]}
    found = [_scene_change(before.get(s["id"]), s, frames) for s in now["scenes"]]
    gone = [s for s in then.get("scenes", []) if s["id"] not in current]
    found += [SceneChange(s["id"], s["position"] + 1, s.get("title", ""), "removed",
                          frame_before=frames.get(s.get("frame_id") or ""))
              for s in gone]  # fmt: skip
    return found


def _scene_change(then: dict | None, now: dict, frames: dict[str, Generation]) -> SceneChange:
    after = frames.get(now.get("frame_id") or "")
    if then is None:
        return SceneChange(now["id"], now["position"] + 1, now["title"], "new", frame_after=after)
    fields = _fields(then, now, SCENE_FIELDS)
    frame_changed = then.get("frame_id") != now.get("frame_id")
    moved = then["position"] + 1 if then["position"] != now["position"] else None
    state: SceneState = "changed" if fields or frame_changed or moved else "same"
    return SceneChange(
        now["id"], now["position"] + 1, now["title"], state, fields, moved, frame_changed,
        frames.get(then.get("frame_id") or ""), after,
    )  # fmt: skip


def _fields(then: dict, now: dict, labels: dict[str, str]) -> list[FieldChange]:
    found = []
    for name, label in labels.items():
        old, new = reviews.as_then(then, name), now.get(name)
        if old != new:
            found.append(FieldChange(name, label, _text(name, old), _text(name, new)))
    return found


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "duration_s":
        return f"{value} s"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return str(value)
