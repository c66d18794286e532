"""A brand palette editor: one colour picker per colour, remove buttons, and an add row.

The add row takes a typed code too (brand books give hex codes), checked by core's own rule so
a bad colour gets the same message as on the command line.
"""

from __future__ import annotations

import streamlit as st

from core.campaigns import clients
from core.errors import ValidationError


def _sync(key: str) -> list[str]:
    """The list as the pickers show it now (a picker may have been changed since)."""
    colours = st.session_state[f"{key}_colours"]
    for i in range(len(colours)):
        colours[i] = st.session_state.get(f"{key}_pick_{i}", colours[i])
    return colours


def _forget_pickers(key: str, start: int, count: int) -> None:
    # Pickers from `start` on are drawn again from the list, not from their old state.
    for i in range(start, count + 1):
        st.session_state.pop(f"{key}_pick_{i}", None)


def _remove(key: str, index: int) -> None:
    colours = _sync(key)
    colours.pop(index)
    _forget_pickers(key, index, len(colours))


def _add(key: str) -> None:
    code = (st.session_state.get(f"{key}_code") or "").strip()
    colour = code or st.session_state.get(f"{key}_new", "#000000")
    colours = _sync(key)
    try:
        colours[:] = clients.parse_palette([*colours, colour])
    except ValidationError as error:
        st.session_state[f"{key}_error"] = str(error)
        return
    st.session_state[f"{key}_code"] = ""


def palette_editor(key: str, initial: list[str]) -> list[str]:
    """Draws the editor; returns the palette as currently edited."""
    colours = st.session_state.setdefault(f"{key}_colours", list(initial))
    st.markdown("**Palette**")
    if not colours:
        st.caption("No colours yet.")
    for i, colour in enumerate(list(colours)):
        pick, remove = st.columns([3, 1], vertical_alignment="bottom")
        colours[i] = pick.color_picker(f"Colour {i + 1}", value=colour, key=f"{key}_pick_{i}")
        remove.button("Remove", key=f"{key}_remove_{i}", on_click=_remove, args=(key, i))
    new, code, add = st.columns([1, 2, 1], vertical_alignment="bottom")
    new.color_picker("New colour", value="#000000", key=f"{key}_new")
    code.text_input("or its code", key=f"{key}_code", placeholder="#1A2B3C")
    add.button("Add colour", key=f"{key}_add", on_click=_add, args=(key,))
    if error := st.session_state.pop(f"{key}_error", None):
        st.error(error)
    return [c.upper() for c in colours]
