"""What a storyboard, as edited, does with its brief: where each mandatory is, and what it no
longer honours (the length, the end card, a mandatory gone or out of its place); and the voice
lines too long to be said in their scenes.

Pure: the brief's fields and the scenes in, sentences a person can act on out. Warnings, not
refusals: a creative may deliberately depart from the brief, but should not do it unawares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from core import catalog
from core.storyboards.plan import asked_end_card_s, wanted_place

_END_CARD_RE = re.compile(r"\bend card\b|\blogo\b[^.]*\b(end|final|last)\b", re.I)


class SceneLike(Protocol):
    title: str
    description: str
    shot_notes: str
    duration_s: int
    voice_line: str


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _quoted(mandatory: str) -> str:
    return f"“{mandatory.strip().rstrip('.')}”"


def _is_end_card(scene: SceneLike) -> bool:
    return bool(re.search(r"\bend card\b", f"{scene.title} {scene.description}", re.I))


def _mandatories(fields: dict[str, Any]) -> list[str]:
    return [m.strip() for m in fields.get("mandatories") or [] if m and m.strip()]


def carrying(mandatory: str, scenes: Sequence[SceneLike]) -> list[int]:
    """Numbers (from 1) of the scenes whose title, description or notes carry the mandatory."""
    said = _norm(mandatory)
    return [
        number
        for number, s in enumerate(scenes, 1)
        if said in _norm(f"{s.title} {s.description} {s.shot_notes}")
    ]


def _where(numbers: list[int], scenes: Sequence[SceneLike]) -> str:
    if len(numbers) == 1:
        title = scenes[numbers[0] - 1].title
        return f"scene {numbers[0]}" + (f", {title}" if title else "")
    if len(numbers) == len(scenes):
        return "every scene"
    listed = [str(n) for n in numbers]
    return f"scenes {', '.join(listed[:-1])} and {listed[-1]}"


def where_mandatories_are(fields: dict[str, Any], scenes: Sequence[SceneLike]) -> list[str]:
    """One line per mandatory some scene carries: “Show the outsole close-up” is in scene 3,
    Product. (Those no scene carries are among `against_brief`'s warnings.)"""
    lines = []
    for mandatory in _mandatories(fields):
        if numbers := carrying(mandatory, scenes):
            lines.append(f"{_quoted(mandatory)} is in {_where(numbers, scenes)}.")
    return lines


def _length(fields: dict[str, Any], scenes: Sequence[SceneLike]) -> list[str]:
    wanted = fields.get("duration_s")
    total = sum(s.duration_s for s in scenes)
    if wanted and total != int(wanted):
        return [f"The scenes add up to {total} s; the brief asks for {int(wanted)} s."]
    return []


def _end_card(mandatories: list[str], scenes: Sequence[SceneLike]) -> list[str]:
    if any(_END_CARD_RE.search(m) for m in mandatories) and not (
        scenes and _is_end_card(scenes[-1])
    ):
        return ["The brief asks for a logo end card; the last scene is not one."]
    if scenes and (need := asked_end_card_s(mandatories) or 0) > scenes[-1].duration_s:
        return [f"The end card lasts {scenes[-1].duration_s} s; the brief asks for at least "
                f"{need} s."]  # fmt: skip
    return []


def _misplaced(mandatory: str, numbers: list[int], scenes: Sequence[SceneLike]) -> str | None:
    """A mandatory that says where it goes ("in the final shot", a logo at the end) found only
    in other scenes."""
    place = wanted_place(mandatory)
    wanted = {"last": len(scenes), "first": 1}.get(place or "")
    if wanted is None or wanted in numbers:
        return None
    return (f"{_quoted(mandatory)} belongs in the {place} scene; it is in "
            f"{_where(numbers, scenes)}.")  # fmt: skip


def against_brief(fields: dict[str, Any], scenes: Sequence[SceneLike]) -> list[str]:
    mandatories = _mandatories(fields)
    warnings = [*_length(fields, scenes), *_end_card(mandatories, scenes)]
    for mandatory in mandatories:
        numbers = carrying(mandatory, scenes)
        if not numbers:
            warnings.append(f"No scene's notes carry the brief's mandatory: {_quoted(mandatory)}")
        elif note := _misplaced(mandatory, numbers, scenes):
            warnings.append(note)
    return warnings


def voice_lines_too_long(scenes: Sequence[SceneLike]) -> list[str]:
    """One warning per scene whose voice line takes longer to say than the scene lasts, at a
    normal speaking rate. The render still speaks it to its last word (the line runs on into
    the next scene), except past the end of the ad, where it fails: the last scene's matters."""
    warnings = []
    for number, scene in enumerate(scenes, 1):
        needs = catalog.speech_seconds(scene.voice_line)
        if needs > scene.duration_s:
            warnings.append(f"Scene {number}'s voice line needs about {needs:.1f} s at a normal "
                            f"speaking rate; the scene lasts {scene.duration_s} s.")  # fmt: skip
    return warnings
