"""The fields of a brief, as the parser finds them and as a person edits them in a form.

A field the parser could not find stays empty; `missing` names every empty field, so the form can
flag it. `missing` is computed from the values, never stored, so an edit can't leave it stale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator
from pydantic import ValidationError as PydanticValidationError

from core.catalog import ASPECT_RATIOS_IMAGE, ASPECT_RATIOS_VIDEO
from core.errors import ValidationError

# Every ratio some image or video model of the catalog can make, in the catalog's order.
ASPECT_RATIOS = tuple(dict.fromkeys(ASPECT_RATIOS_IMAGE + ASPECT_RATIOS_VIDEO))
MAX_DURATION_S = 600
TEXT_FIELDS = ("title", "brand", "objective", "audience", "tone", "call_to_action", "music")
LIST_FIELDS = ("key_messages", "palette", "aspect_ratios", "platforms", "mandatories")
# Lists whose items are short tokens: a form may give them on one line, separated by commas.
COMMA_LISTS = ("palette", "aspect_ratios", "platforms")

_HEX_RE = re.compile(r"^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")

# What to tell a person when pydantic's own message would be about types, not about the brief.
_HINTS = {
    "duration_s": f"a whole number of seconds from 1 to {MAX_DURATION_S}",
    "budget_usd": "an amount in US dollars, 0 or more",
}


def normalise_hex(colour: str) -> str | None:
    """'#6ec6ff', '6EC6FF' or '#fa0' -> '#6EC6FF' / '#FFAA00'; None when it is not a hex colour."""
    match = _HEX_RE.match(colour.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


def normalise_ratio(ratio: str) -> str:
    """'16 x 9' or '16×9' -> '16:9' (the form may be typed loosely)."""
    return re.sub(r"\s*[x×:]\s*", ":", ratio.strip().lower())


class BriefFields(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str | None = None
    brand: str | None = None
    objective: str | None = None
    audience: str | None = None
    key_messages: list[str] = Field(default_factory=list)
    tone: str | None = Field(default=None, description="tone and style")
    palette: list[str] = Field(default_factory=list, description="'#RRGGBB', uppercase")
    call_to_action: str | None = None
    duration_s: int | None = Field(default=None, ge=1, le=MAX_DURATION_S)
    aspect_ratios: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    mandatories: list[str] = Field(default_factory=list)
    music: str | None = Field(default=None, description="music direction")
    budget_usd: float | None = Field(default=None, ge=0)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form; mypy#1362
    @property
    def missing(self) -> list[str]:
        """Names of the empty fields, in form order: what the brief did not say."""
        return [
            name
            for name in type(self).model_fields
            if getattr(self, name) is None or getattr(self, name) == []
        ]

    @field_validator(*TEXT_FIELDS, mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # A cleared text box arrives as "": that means "not given", the same as the parser's None.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("duration_s", "budget_usd", mode="before")
    @classmethod
    def _blank_number_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(*LIST_FIELDS, mode="before")
    @classmethod
    def _split_text(cls, value: Any, info) -> Any:
        # A text area gives one string; one item a line (or a comma-separated line of tokens).
        if value is None:
            return []
        if isinstance(value, str):
            separators = r"[\n,]" if info.field_name in COMMA_LISTS else r"\n"
            value = re.split(separators, value)
        return value

    @field_validator(*LIST_FIELDS)
    @classmethod
    def _tidy_items(cls, items: list[str]) -> list[str]:
        return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))

    @field_validator("palette")
    @classmethod
    def _check_palette(cls, colours: list[str]) -> list[str]:
        normalised = []
        for colour in colours:
            hex_colour = normalise_hex(colour)
            if hex_colour is None:
                raise ValueError(f"'{colour}' is not a colour; use #RRGGBB, e.g. #6EC6FF")
            normalised.append(hex_colour)
        return list(dict.fromkeys(normalised))

    @field_validator("aspect_ratios")
    @classmethod
    def _check_ratios(cls, ratios: list[str]) -> list[str]:
        for ratio in ratios:
            if normalise_ratio(ratio) not in ASPECT_RATIOS:
                allowed = ", ".join(ASPECT_RATIOS)
                raise ValueError(f"'{ratio}' is not an aspect ratio; use one of {allowed}")
        return list(dict.fromkeys(normalise_ratio(r) for r in ratios))


def validate_fields(data: Mapping[str, Any]) -> BriefFields:
    """Check fields edited in a form; a bad value raises ValidationError with one message a field.

    `missing` may come back from an earlier dump and is ignored: it is recomputed.
    """
    unknown = sorted(set(data) - set(BriefFields.model_fields) - {"missing"})
    if unknown:
        raise ValidationError({name: f"{name}: not a brief field" for name in unknown})
    try:
        return BriefFields.model_validate({k: v for k, v in data.items() if k != "missing"})
    except PydanticValidationError as error:
        raise ValidationError(_messages(error)) from None


def _messages(error: PydanticValidationError) -> dict[str, str]:
    messages: dict[str, str] = {}
    for problem in error.errors():
        name = str(problem["loc"][0])
        if name in messages:
            continue
        if problem["type"] == "value_error":
            text = str(problem["ctx"]["error"])  # our own words from the validators above
        else:
            text = _HINTS.get(name, problem["msg"])
        messages[name] = f"{name}: {text}"
    return messages


def _name_words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) >= 3}


def brand_mismatch(brand: str, client_name: str) -> str | None:
    """A warning when the brief's brand shares no word with the client it is being saved for
    (a brief dropped into the wrong client's campaign); None when they agree or it is unknown."""
    if not brand.strip() or _name_words(brand) & _name_words(client_name):
        return None
    return (f"This brief is for '{brand.strip()}', but the campaign belongs to '{client_name}'. "
            "Check the client and campaign above before saving.")  # fmt: skip
