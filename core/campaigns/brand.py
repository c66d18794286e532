"""Brand rules merged into the prompt a model sees; the original prompt is kept beside it.

Rules go by kind: the visual ones (guidelines, palette, what to avoid) to images and videos,
the sound direction to music. A palette of hex codes or "no blurry text" only confuses a music
model, and "warm acoustic guitar" an image model.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from core.models import Campaign, Client

MUSIC_KINDS = ("audio",)


@dataclass(frozen=True)
class EffectivePrompt:
    text: str
    negative: str


@dataclass(frozen=True)
class BrandRules:
    """What the brand adds after a prompt of one kind: sentences, and what to avoid (also given
    to models that take a negative prompt)."""

    sentences: tuple[str, ...]
    negative: str

    @property
    def text(self) -> str:
        return _sentences(self.sentences)


def brand_rules(*, client: Client, campaign: Campaign, kind: str) -> BrandRules:
    """The rules for `kind`; none of them depends on the prompt, so a form can show them while
    the prompt is still being typed."""
    if kind == "voice":  # a voice reads its line aloud: rules appended would be spoken
        return BrandRules((), "")
    if kind in MUSIC_KINDS:
        sound = client.sound_direction.strip()
        return BrandRules((f"Sound direction: {sound}",) if sound else (), "")
    parts = []
    guidance = [g.strip() for g in (client.guidelines, campaign.guidelines) if g.strip()]
    if guidance:
        parts.append("Brand guidelines: " + " ".join(guidance))
    if client.palette:
        parts.append("Palette: " + ", ".join(client.palette))
    negative = client.negative_prompt.strip()
    if negative:
        parts.append("Avoid: " + negative)
    return BrandRules(tuple(parts), negative)


def effective_prompt(
    prompt: str, *, client: Client, campaign: Campaign, apply: bool = True, kind: str = "image"
) -> EffectivePrompt:
    """The prompt followed by the brand's rules for `kind` (none when `apply` is off)."""
    prompt = prompt.strip()
    if not apply:
        return EffectivePrompt(prompt, "")
    rules = brand_rules(client=client, campaign=campaign, kind=kind)
    return EffectivePrompt(_sentences((prompt, *rules.sentences)), rules.negative)


def _sentences(parts: tuple[str, ...]) -> str:
    sentences = [p.rstrip(". ") for p in parts if p.rstrip(". ")]
    return ". ".join(sentences) + "." if sentences else ""


def palette_of(session: Session, client_id: str | None) -> list[str]:
    """The client's palette, which the draft engine paints with."""
    client = session.get(Client, client_id) if client_id else None
    return list(client.palette) if client else []
