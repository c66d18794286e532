"""Brand guidelines merged into the prompt a model sees; the original prompt is kept beside it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from core.models import Campaign, Client


@dataclass(frozen=True)
class EffectivePrompt:
    text: str
    negative: str


def effective_prompt(
    prompt: str, *, client: Client, campaign: Campaign, apply: bool = True, kind: str = "image"
) -> EffectivePrompt:
    """The prompt with the brand's guidelines; for music only the words of the guidelines (a
    palette and a visual negative prompt such as "blurry, watermark" mean nothing to a track)."""
    prompt = prompt.strip()
    if not apply:
        return EffectivePrompt(prompt, "")
    visual = kind != "audio"
    parts = [prompt]
    guidance = [g for g in (client.guidelines, campaign.guidelines) if g]
    if guidance:
        parts.append("Brand guidelines: " + " ".join(guidance))
    if client.palette and visual:
        parts.append("Palette: " + ", ".join(client.palette))
    negative = client.negative_prompt.strip() if visual else ""
    if negative:
        parts.append("Avoid: " + negative)
    sentences = [p.rstrip(". ") for p in parts if p.rstrip(". ")]
    return EffectivePrompt(". ".join(sentences) + "." if sentences else "", negative)


def palette_of(session: Session, client_id: str | None) -> list[str]:
    """The client's palette, which the draft engine paints with."""
    client = session.get(Client, client_id) if client_id else None
    return list(client.palette) if client else []
