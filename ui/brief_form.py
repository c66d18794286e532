"""The fields of a parsed brief in an editable form: what the brief did not say is flagged, never
filled in. Core (`validate_fields`) checks what a person typed before anything is saved."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import streamlit as st

from core.briefs import LLM_MODELS, OFFLINE, BriefFields, ParseOutcome
from core.briefs.fields import COMMA_LISTS, LIST_FIELDS, MAX_DURATION_S
from core.briefs.llm import MAX_BRIEF_CHARS, quote

LABELS = {
    "title": "Title",
    "brand": "Brand",
    "objective": "Objective",
    "audience": "Audience",
    "key_messages": "Key messages (one a line)",
    "tone": "Tone and style",
    "palette": "Palette (hex colours, comma-separated)",
    "call_to_action": "Call to action",
    "duration_s": "Duration (seconds)",
    "aspect_ratios": "Aspect ratios (comma-separated)",
    "platforms": "Platforms (comma-separated)",
    "mandatories": "Mandatories (one a line)",
    "music": "Music direction",
    "budget_usd": "Budget (USD)",
}
LONG_TEXT = ("objective", "audience", "tone")
MISSING_MARK = " — ⚠️ not in the brief"
DROPPED_MARK = " — ⚠️ the LLM's value is not in the brief"


def field_key(prefix: str, name: str) -> str:
    return f"{prefix}_{name}"


def field_names(names: Collection[str]) -> str:
    """'Audience, Budget': fields as the form names them, without the typing hints."""
    return ", ".join(LABELS[n].split(" (")[0] for n in names)


def about_usd(usd: float) -> str:
    """'$0.001', '$0.0004': one significant figure, never in exponent form."""
    return "$" + f"{float(f'{usd:.1g}'):.8f}".rstrip("0").rstrip(".")


def parser_labels(text: str) -> dict[str, str]:
    """The parsers to choose from with a token, best first: the LLM (its quote for `text`, or for
    the longest brief sent while there is no text yet), the free offline parser, the other LLMs."""
    first, *others = LLM_MODELS

    def llm(model: str) -> str:
        if text.strip():
            return f"{model} on Replicate (about {about_usd(quote(model, text))} for this brief)"
        return f"{model} on Replicate (up to {about_usd(quote(model, 'x' * MAX_BRIEF_CHARS))})"

    return {first: llm(first), OFFLINE: "Offline parser (free, instant)",
            **{m: llm(m) for m in others}}  # fmt: skip


def how_it_was_read(outcome: ParseOutcome) -> None:
    """Which parser read the brief, and what of the LLM's reading the text did not support."""
    if outcome.note:
        st.warning(outcome.note)
    elif outcome.parser != OFFLINE:
        said = f"Read by {outcome.parser}."
        if outcome.dropped:
            said += (f" Not in the brief's text, so not taken from it: "
                     f"{field_names(outcome.dropped)}; the offline parser's reading is shown "
                     "there instead.")  # fmt: skip
        st.info(said, icon=":material/smart_toy:")


def _label(name: str, missing: list[str], dropped: Collection[str]) -> str:
    if name in dropped:
        return LABELS[name] + DROPPED_MARK
    return LABELS[name] + (MISSING_MARK if name in missing else "")


def _as_text(name: str, value: Any) -> str:
    if name in LIST_FIELDS:
        return (", " if name in COMMA_LISTS else "\n").join(value or [])
    return value or ""


def _widget(name: str, value: Any, label: str, prefix: str) -> Any:
    key = field_key(prefix, name)
    if name == "duration_s":
        # No min/max in the browser, which keeps an out-of-range entry to itself: core names
        # the range when the form is saved.
        return st.number_input(label, value=value, step=1, key=key, placeholder="not given",
                               help=f"1 to {MAX_DURATION_S} seconds")  # fmt: skip
    if name == "budget_usd":
        return st.number_input(label, min_value=0.0, value=value, step=50.0, key=key,
                               format="%.2f", placeholder="not given")  # fmt: skip
    if name in LIST_FIELDS and name not in COMMA_LISTS or name in LONG_TEXT:
        return st.text_area(label, _as_text(name, value), key=key, height=100)
    return st.text_input(label, _as_text(name, value), key=key)


def fields_form(
    fields: BriefFields, *, prefix: str, can_make: bool, dropped: Collection[str] = ()
) -> tuple[dict, str | None]:
    """The form; returns (the values as typed, which button was pressed: save | make | None).
    `dropped` names the fields whose LLM reading the brief did not support (flagged)."""
    if fields.missing:
        names = field_names(fields.missing)
        st.warning(f"The brief does not say: {names}. Fill them in or leave them empty.")
    values: dict[str, Any] = {}
    with st.form(f"{prefix}_form"):
        for name in BriefFields.model_fields:
            label = _label(name, fields.missing, dropped)
            values[name] = _widget(name, getattr(fields, name), label, prefix)
        save, make = st.columns(2)
        saved = save.form_submit_button("Save brief", type="primary")
        made = make.form_submit_button("Save and make storyboard", disabled=not can_make)
    return values, "make" if made else "save" if saved else None


def summary_line(fields: dict) -> str:
    parts = [fields.get("brand") or "", f"{fields['duration_s']} s" if fields.get("duration_s")
             else "", ", ".join(fields.get("aspect_ratios") or [])]  # fmt: skip
    return " · ".join(p for p in parts if p) or "no details"
