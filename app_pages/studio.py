"""Studio: make images, videos, music or a whole chain for the sidebar's campaign, watch the jobs
run. ("Generate again" and "Use as start image" in the Gallery make the item's campaign the
working context before they open this page.)"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core import catalog
from core.campaigns import clients
from core.errors import StudioError
from core.generation import service as gen
from core.models import Status, User
from ui import live_jobs, params, start_image
from ui.context import pick_campaign
from ui.errors import friendly_errors
from ui.session import db, require
from ui.studio_forms import Target, chain_form, media_form

TABS = {"image": "Image", "video": "Video", "audio": "Music", "chain": "Chain"}
TAB_KEY = "studio_tab"


def _apply_prefill(user: User, prefill: dict[str, Any]) -> None:
    """'Generate again with these settings' from the Gallery: model, prompt, parameters and
    a video's start image."""
    kind = prefill.get("kind")
    if kind not in gen.KINDS:
        st.warning(f"Cannot prefill a {kind or 'unknown'} request here; start from scratch.")
        return
    prefix = f"studio_{kind}"
    model = prefill.get("model")
    if model in {m.id for m in catalog.models_for(kind)}:
        st.session_state[f"{prefix}_model"] = model
        params.prefill(prefix, catalog.get_model(model), prefill.get("params") or {})
    st.session_state[f"{prefix}_prompt"] = prefill.get("prompt") or ""
    st.session_state[TAB_KEY] = TABS[kind]
    st.info(f"Settings copied from an earlier {kind}; change anything, then generate.")
    start = prefill.get("start") if kind == "video" else None
    if start and (problem := start_image.use_source(user, start["source_id"], start["frame_s"])):
        st.warning(problem)


def _apply_start_from(user: User, generation_id: str) -> None:
    """'Use as start image' from the Gallery: preselect it in the Video tab."""
    with friendly_errors(), db() as session:
        row = gen.get_generation(session=session, actor=user, generation_id=generation_id)
        if row.kind not in ("image", "video") or row.status != Status.succeeded:
            raise StudioError(f"That {row.kind} is {row.status}: pick a finished image or video.")
        start_image.use_generation(row)
        st.session_state[TAB_KEY] = TABS["video"]
        st.info(f"The video will start from {start_image.describe(row)}: see *Start image* "
                "under Settings in the Video tab.")  # fmt: skip


def _take_handoffs(user: User) -> None:
    # Popped so they apply once; later reruns keep whatever the person changed.
    if prefill := st.session_state.pop("studio_prefill", None):
        _apply_prefill(user, prefill)
    if start_from := st.session_state.pop("studio_start_from", None):
        _apply_start_from(user, start_from)


def render() -> None:
    user = require("generate")
    st.title("Studio")
    _take_handoffs(user)
    summary = pick_campaign(user)
    if summary is None:
        return
    with db() as session:
        client = clients.get_client(session=session, client_id=summary.campaign.client_id)
    target = Target(user, summary, client)
    tabs = st.tabs(list(TABS.values()), default=st.session_state.get(TAB_KEY))
    for kind, tab in zip(TABS, tabs, strict=True):
        with tab:
            if kind == "chain":
                chain_form(target)
            else:
                media_form(target, kind)
    st.subheader("Recent jobs")
    live_jobs.recent_jobs(user, summary.campaign.id)
