"""Jobs and their settings in people's words: "Image · Nano Banana (Google)", "Aspect ratio: 16:9
· Duration: 5 s", "about 40 s left"; never a row id, a model id or raw JSON."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from core import catalog
from core.errors import NotFound
from core.models import Generation

K = TypeVar("K", bound=Hashable)

KINDS = {"image": "Image", "video": "Video", "audio": "Music", "composite": "Final ad"}
# Settings whose value reads better with its unit or as a word.
UNITS = {"duration": "s", "fps": "fps"}
# A final ad's bookkeeping (which rows it was made of): its lineage says that in words.
HIDDEN = {"clips", "music", "storyboard_id", "storyboard_version",
          "animatic", "fingerprint", "frames", "left_out"}  # fmt: skip
LABELS = {"fps": "Frame rate", "durations": "Scene lengths", "call_to_action": "Call to action"}


def kind_name(kind: object) -> str:
    return KINDS.get(str(kind), str(kind).capitalize())


def row_kind(row: Generation) -> str:
    """'Final ad', or 'Animatic' for a storyboard's rough cut (a composite too: never called
    the final ad)."""
    if row.kind == "composite" and (row.params or {}).get("animatic"):
        return "Animatic"
    return kind_name(row.kind)


def model_name(model_id: str) -> str:
    """The model's name as people know it ("Nano Banana (Google)"); an id the catalog no
    longer lists is shown as it is rather than hidden."""
    try:
        return catalog.get_model(model_id).title
    except NotFound:
        return model_id


def what(row: Generation) -> str:
    """'Image · Nano Banana (Google)'; a final ad is made by our own composer, so no model."""
    if row.kind == "composite":
        return row_kind(row)
    return f"{kind_name(row.kind)} · {model_name(row.model)}"


def _value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        unit = " s" if name == "durations" else ""
        return ", ".join(str(v) for v in value) + unit
    if name == "output_format":
        return str(value).upper()
    if name in UNITS:
        return f"{value:g} {UNITS[name]}" if isinstance(value, int | float) else str(value)
    return str(value).replace("_", " ")


def _label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def settings(model_id: str, params: dict[str, Any]) -> str:
    """'Aspect ratio: 16:9 · Duration: 5 s', in the order the model's settings are listed."""
    try:
        order = [p.name for p in catalog.get_model(model_id).params]
    except NotFound:
        order = []
    names = [n for n in order if n in params] + [n for n in params if n not in order]
    shown = [f"{_label(n)}: {_value(n, params[n])}" for n in names
             if n not in HIDDEN and params[n] not in (None, "")]  # fmt: skip
    return " · ".join(shown) or "—"


def seconds(value: float) -> str:
    """'4.2 s', '38 s', '2 min 5 s', '1 h 4 min'."""
    if value < 10:
        return f"{value:.1f} s"
    whole = round(value)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def time_left(left_s: float | None, usual_s: float | None) -> str | None:
    """'about 40 s left' from the model's usual time; past it, 'taking longer than usual'
    (never a negative count); None when the usual time is not known."""
    if left_s is None or usual_s is None:
        return None
    if left_s < 0:
        return f"taking longer than usual (usually {seconds(usual_s)})"
    if left_s < 5:
        return "a few seconds left"
    if (rounded := round(left_s / 5) * 5) < 60:
        return f"about {rounded} s left"
    if (minutes := round(left_s / 60)) < 60:
        return f"about {minutes} min left"
    return f"about {seconds(left_s)} left"


def distinct(labels: dict[K, str], detail: Callable[[K], str] | None = None) -> dict[K, str]:
    """The labels, told apart: Streamlit (1.67) maps the label a select sends back to the first
    option that has it, so two options alike (two storyboards made from one brief) would open
    the first whichever is picked. A repeated label gets `detail(key)` (when it is made, say),
    then a number if it is still repeated."""

    def numbered(named: dict[K, str]) -> dict[K, str]:
        seen: Counter[str] = Counter()
        out: dict[K, str] = {}
        for key, label in named.items():
            seen[label] += 1
            out[key] = label if seen[label] == 1 else f"{label} ({seen[label]})"
        return out

    repeated = {label for label, n in Counter(labels.values()).items() if n > 1}
    if detail is not None:
        labels = {k: f"{v} · {detail(k)}" if v in repeated else v for k, v in labels.items()}
    return numbered(labels)


# Any of these in a person's words would be read as Markdown (or a colour directive) instead.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!~|<>$:])")


def escape_markdown(text: str) -> str:
    """`text` shown as written inside Markdown: a guest's "![](https://…)" must not load an
    image in the team's browser, nor "[Revised cut](https://…)" become a link in the app."""
    return _MARKDOWN.sub(r"\\\1", text)
