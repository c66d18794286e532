"""The fields of a parsed brief in an editable form: what the brief did not say is flagged, never
filled in. Core (`validate_fields`) checks what a person typed before anything is saved."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.briefs import BriefFields
from core.briefs.fields import COMMA_LISTS, LIST_FIELDS, MAX_DURATION_S

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


def field_key(prefix: str, name: str) -> str:
    return f"{prefix}_{name}"


def _label(name: str, missing: list[str]) -> str:
    return LABELS[name] + (MISSING_MARK if name in missing else "")


def _as_text(name: str, value: Any) -> str:
    if name in LIST_FIELDS:
        return (", " if name in COMMA_LISTS else "\n").join(value or [])
    return value or ""


def _widget(name: str, value: Any, missing: list[str], prefix: str) -> Any:
    label, key = _label(name, missing), field_key(prefix, name)
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


def fields_form(fields: BriefFields, *, prefix: str, can_make: bool) -> tuple[dict, str | None]:
    """The form; returns (the values as typed, which button was pressed: save | make | None)."""
    if fields.missing:
        names = ", ".join(LABELS[n].split(" (")[0] for n in fields.missing)
        st.warning(f"The brief does not say: {names}. Fill them in or leave them empty.")
    values: dict[str, Any] = {}
    with st.form(f"{prefix}_form"):
        for name in BriefFields.model_fields:
            values[name] = _widget(name, getattr(fields, name), fields.missing, prefix)
        save, make = st.columns(2)
        saved = save.form_submit_button("Save brief", type="primary")
        made = make.form_submit_button("Save and make storyboard", disabled=not can_make)
    return values, "make" if made else "save" if saved else None


def summary_line(fields: dict) -> str:
    parts = [fields.get("brand") or "", f"{fields['duration_s']} s" if fields.get("duration_s")
             else "", ", ".join(fields.get("aspect_ratios") or [])]  # fmt: skip
    return " · ".join(p for p in parts if p) or "no details"
