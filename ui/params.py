"""Model pickers and parameter widgets drawn from the catalog, so forms never drift from it.

Widget values live in session state under `<prefix>_<model id>_<param>`: switching models keeps
each model's own settings, and a prefill only has to write those keys before the widgets run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from core import catalog
from core.catalog import ModelSpec, Param
from core.config import get_settings
from core.errors import ValidationError
from ui.session import kept_choice

# Wider integer ranges (seeds) get a number box: a slider over two billion values is useless.
SLIDER_MAX_SPAN = 1000
NO_TOKEN = "unavailable until an admin connects Replicate"
# The variable's name is for the admin who reads it; everyone else gets the way forward.
NO_TOKEN_HELP = ("Paid models run on Replicate; until then use a draft model (free, offline). "
                 "Admins: set REPLICATE_API_TOKEN in the server's environment.")  # fmt: skip


def unavailable_reason(spec: ModelSpec) -> str | None:
    """Why a model cannot be used right now, or None if it can."""
    if spec.provider == "replicate" and not get_settings().replicate_enabled:
        return NO_TOKEN
    return None


def model_label(spec: ModelSpec) -> str:
    reason = unavailable_reason(spec)
    return f"{catalog.label(spec)} — {reason}" if reason else catalog.label(spec)


def model_picker(
    kind: str, *, key: str, label: str = "Model", where=None, default: str | None = None
) -> ModelSpec:
    """Every catalog model of `kind`; `default`, else the draft model, until one is picked.

    A select cannot grey out single options, so unavailable models say why in their label and,
    when picked, in a warning; the caller disables submitting (see `unavailable_reason`).
    """
    where = where or st
    ids = [m.id for m in catalog.models_for(kind)]
    model_id = kept_choice(
        where.selectbox, label, ids, key=key, fallback=default or catalog.default_model(kind),
        format_func=lambda i: model_label(catalog.get_model(i)),
    )  # fmt: skip
    spec = catalog.get_model(model_id)
    if reason := unavailable_reason(spec):
        where.warning(f"{spec.title} is {reason}. {NO_TOKEN_HELP}", icon="🔒")
    elif spec.description:
        where.caption(spec.description)
    return spec


def widget_key(prefix: str, spec: ModelSpec, name: str) -> str:
    return f"{prefix}_{spec.id}_{name}"


def prefill(prefix: str, spec: ModelSpec, params: Mapping[str, Any]) -> None:
    """Write known, valid values into the widgets' state before they are drawn."""
    for p in spec.params:
        if p.name in params:
            try:
                value = catalog.validate(spec.id, {p.name: params[p.name]})[p.name]
            except ValidationError:  # a stale or foreign value: keep the default instead
                continue
            st.session_state[widget_key(prefix, spec, p.name)] = value


def param_widgets(
    spec: ModelSpec, prefix: str, *, skip: tuple[str, ...] = (), where=None
) -> dict[str, Any]:
    """One widget per catalog parameter; returns {name: value} (None values left out)."""
    where = where or st
    values: dict[str, Any] = {}
    for p in spec.params:
        if p.name in skip:
            continue
        key = widget_key(prefix, spec, p.name)
        st.session_state.setdefault(key, p.default)
        value = _widget(p, key, where)
        if value is not None:
            values[p.name] = value
    return values


def _label(p: Param) -> str:
    return p.name.replace("_", " ").capitalize()


def _widget(p: Param, key: str, where) -> Any:
    # Each widget also gets its current value as its default (see `kept_choice`): without it a
    # form first built after a rerun (the sign-in cookie's) would start at its lowest values.
    if p.choices is not None:
        fallback = p.default if p.default in p.choices else p.choices[0]
        return kept_choice(where.selectbox, _label(p), list(p.choices), key=key,
                           fallback=fallback, help=p.help)  # fmt: skip
    current = st.session_state[key]
    if p.type == "bool":
        return where.toggle(_label(p), value=bool(current), key=key, help=p.help)
    if p.type in ("int", "float") and p.min is not None and p.max is not None:
        numeric = int if p.type == "int" else float
        if p.max - p.min <= SLIDER_MAX_SPAN and current is not None:
            step = 1 if p.type == "int" else round((p.max - p.min) / 100, 4)
            return where.slider(
                _label(p), numeric(p.min), numeric(p.max), value=current, step=numeric(step),
                key=key, help=p.help,
            )  # fmt: skip
        # No min/max on the box: the browser would keep an out-of-range entry to itself (red
        # hint, old value sent); sent as typed, core's check names the allowed range instead.
        return where.number_input(
            _label(p), value=current, key=key, step=numeric(1),
            placeholder="empty: derived from the prompt",
            help=f"{p.help} {p.min} to {p.max}.".strip(),
        )  # fmt: skip
    return where.text_input(_label(p), value=current or "", key=key, help=p.help) or None
