"""What a storyboard, as edited, no longer honours of its brief: the length and the mandatories.

Pure: the brief's fields and the scenes in, sentences a person can act on out. Warnings, not
refusals: a creative may deliberately depart from the brief, but should not do it unawares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from core.storyboards.plan import asked_end_card_s

_END_CARD_RE = re.compile(r"\bend card\b|\blogo\b[^.]*\b(end|final|last)\b", re.I)


class SceneLike(Protocol):
    title: str
    description: str
    shot_notes: str
    duration_s: int


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _is_end_card(scene: SceneLike) -> bool:
    return bool(re.search(r"\bend card\b", f"{scene.title} {scene.description}", re.I))


def against_brief(fields: dict[str, Any], scenes: Sequence[SceneLike]) -> list[str]:
    warnings = []
    wanted = fields.get("duration_s")
    total = sum(s.duration_s for s in scenes)
    if wanted and total != int(wanted):
        warnings.append(f"The scenes add up to {total} s; the brief asks for {int(wanted)} s.")
    mandatories = [m for m in fields.get("mandatories") or [] if m and m.strip()]
    if any(_END_CARD_RE.search(m) for m in mandatories) and not (
        scenes and _is_end_card(scenes[-1])
    ):
        warnings.append("The brief asks for a logo end card; the last scene is not one.")
    elif scenes and (need := asked_end_card_s(mandatories) or 0) > scenes[-1].duration_s:
        warnings.append(f"The end card lasts {scenes[-1].duration_s} s; the brief asks for at "
                        f"least {need} s.")  # fmt: skip
    noted = [_norm(f"{s.title} {s.description} {s.shot_notes}") for s in scenes]
    for mandatory in mandatories:
        if not any(_norm(mandatory) in text for text in noted):
            warnings.append(f"No scene's notes carry the brief's mandatory: “{mandatory.strip()}”")
    return warnings
