"""A first storyboard from a brief's fields: a hook, the key messages, the product, the end card.

Pure: fields in, scene drafts out. Durations are whole seconds (what video models take) that add
up exactly to the brief's length; mandatories land in the shot notes of the scene they concern,
a prohibition ("No alcohol cues") in every scene's, and one that concerns no scene on the end card.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_DURATION_S = 30
MIN_SCENE_S = 2
MAX_MESSAGE_SCENES = 3
MOTIONS = (
    "slow push-in, eased",
    "gentle pan left to right",
    "slow pull-back revealing the scene",
    "subtle orbit around the subject",
    "tilt up with a soft rack focus",
)
END_CARD_RE = re.compile(r"end card[^.]*?(\d+)\s*(?:s\b|sec|second)", re.I)
PROHIBITION_RE = re.compile(r"^\s*(no|never|avoid|don'?t|do not|without)\b", re.I)


@dataclass
class SceneDraft:
    title: str
    description: str
    image_prompt: str
    motion_prompt: str
    duration_s: int
    shot_notes: str = ""


def _text(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""


def asked_end_card_s(mandatories: list[str]) -> int | None:
    """The end card's length a mandatory asks for ("Logo end card for at least 2 seconds")."""
    for line in mandatories:
        if match := END_CARD_RE.search(line):
            return int(match.group(1))
    return None


def _end_card_seconds(mandatories: list[str]) -> int:
    asked = asked_end_card_s(mandatories)
    return 3 if asked is None else max(MIN_SCENE_S, asked)


# Words too common in briefs to say what a mandatory is about.
_FILLER = frozenset(
    "with that this from into your their them they have will must should also only each every "
    "more than when what show shown shot shots scene scenes screen visible clearly".split()
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{4,}", text.lower())) - _FILLER


def _concerns(topic: str, mandatory: str) -> bool:
    return bool(_words(topic) & _words(mandatory))


def _notes_for(topic: str, mandatories: list[str], orphans: Sequence[str] = ()) -> str:
    """The mandatories a scene must honour: those about its topic, every prohibition, and
    `orphans` (those about no scene: a legal line, a URL)."""
    rules = [m for m in mandatories if PROHIBITION_RE.match(m)]
    hits = [m for m in mandatories if m not in rules and _concerns(topic, m)]
    return " ".join([*hits, *(m for m in orphans if m not in hits), *rules])


def _sentences(*parts: str) -> str:
    """Parts joined as sentences, each with one full stop (briefs end theirs inconsistently)."""
    kept = [p.strip().rstrip(".!?;:,").strip() for p in parts if p and p.strip()]
    return ". ".join(p for p in kept if p) + "." if any(kept) else ""


def _style(fields: dict[str, Any]) -> str:
    parts = [_text(fields, "tone")]
    if fields.get("palette"):
        parts.append("palette " + ", ".join(fields["palette"]))
    return _sentences(*parts)


def _beats(fields: dict[str, Any]) -> list[tuple[str, str]]:
    brand = _text(fields, "brand") or "the brand"
    audience = _text(fields, "audience")
    objective = _text(fields, "objective")
    hook = _sentences(f"An arresting opening image for {audience or 'the audience'}",
                      f"Aim: {objective}" if objective else "")  # fmt: skip
    beats = [("Hook", hook)]
    for message in list(fields.get("key_messages") or [])[:MAX_MESSAGE_SCENES]:
        beats.append(("Key message", message))
    beats.append(("Product", f"Hero shot of the {brand} product, clearly visible and well lit"))
    return beats


def _durations(count: int, total: int) -> list[int]:
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def plan_scenes(fields: dict[str, Any]) -> list[SceneDraft]:
    total = int(fields.get("duration_s") or DEFAULT_DURATION_S)
    mandatories = [m for m in fields.get("mandatories") or [] if m]
    end_s = min(_end_card_seconds(mandatories), max(MIN_SCENE_S, total // 3))
    beats = _beats(fields)
    while len(beats) > 1 and (total - end_s) / len(beats) < MIN_SCENE_S:
        beats.pop(-2 if len(beats) > 2 else -1)  # drop key messages before hook and product
    style = _style(fields)
    scenes = []
    seconds_each = _durations(len(beats), total - end_s)
    for i, ((title, what), seconds) in enumerate(zip(beats, seconds_each, strict=True)):
        scenes.append(SceneDraft(
            title=title, description=what,
            image_prompt=_sentences(what, style),
            motion_prompt=MOTIONS[i % len(MOTIONS)], duration_s=seconds,
            shot_notes=_notes_for(what, mandatories),
        ))  # fmt: skip
    end_topic = "logo end card final"
    topics = [what for _, what in beats] + [end_topic]
    orphans = [
        m for m in mandatories
        if not PROHIBITION_RE.match(m) and not any(_concerns(t, m) for t in topics)
    ]  # fmt: skip
    cta = _text(fields, "call_to_action") or "Call to action"
    brand = _text(fields, "brand")
    scenes.append(SceneDraft(
        title="End card", description=f"Logo end card{f' for {brand}' if brand else ''}: {cta}",
        image_prompt=_sentences(f"Clean logo end card{f' for {brand}' if brand else ''}, {cta}",
                                style),
        motion_prompt="static hold, slow fade", duration_s=end_s,
        shot_notes=_notes_for(end_topic, mandatories, orphans),
    ))  # fmt: skip
    return scenes
