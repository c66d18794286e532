"""The Studio's forms: one per media kind, and the chain with its step-by-step quote.

Not `st.form`s on purpose: the effective prompt and the estimate follow every change live.
Quotes come from core's own planning (`plan`, `plan_chain`), so what is shown is what submit
would write; they are computed, never saved.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core import catalog
from core.campaigns.brand import effective_prompt
from core.campaigns.campaigns import CampaignSummary
from core.generation import service as gen
from core.generation.submissions import AlreadySubmitted
from core.models import Client, Generation, User
from ui import params, start_image
from ui.errors import friendly_errors
from ui.session import db, request_button, submission_key

# Costs do not depend on the prompt's words, so an empty prompt is quoted with a stand-in.
QUOTE_PROMPT = "quote"
STEP_NAMES = {"image": "Image", "video": "Video", "audio": "Music"}


@dataclass(frozen=True)
class Target:
    user: User
    summary: CampaignSummary
    client: Client

    @property
    def campaign_id(self) -> str:
        return self.summary.campaign.id


def prompt_block(t: Target, prefix: str, kind: str) -> tuple[str, bool]:
    prompt = st.text_area(
        "Prompt", key=f"{prefix}_prompt", max_chars=catalog.MAX_PROMPT_CHARS,
        placeholder="What to make, e.g. a can of lemonade on a sunny beach",
    )  # fmt: skip
    # The default goes through `value=` only: a default put in session state reaches a browser
    # only on the run that set it, so a browser drawing the toggle later showed it OFF while on.
    apply = st.toggle("Apply brand guidelines", value=True, key=f"{prefix}_brand")
    shown = effective_prompt(prompt, client=t.client, campaign=t.summary.campaign, apply=apply,
                             kind=kind)  # fmt: skip
    st.caption("Effective prompt (what the model receives)")
    st.code(shown.text or "Type a prompt to see it here.", language=None, wrap_lines=True)
    return prompt, apply


def show_quote(rows: list[Generation]) -> float:
    """Each step with its model and estimate, then the total; returns the total."""
    total = sum(r.estimated_cost_usd for r in rows)
    if len(rows) > 1:
        lines = [
            f"{i}. {STEP_NAMES.get(str(r.kind), r.kind)} · {r.model} · ${r.estimated_cost_usd:,.3f}"
            for i, r in enumerate(rows, 1)
        ]
        st.markdown("\n".join(lines))
    note = " (draft engine: free)" if total == 0 else ""
    st.markdown(f"**Estimated cost: ${total:,.2f}**{note}")
    return total


def _quote(t: Target, req: gen.Request, has_start: bool) -> list[Generation] | None:
    with friendly_errors(), db() as session:
        rows = gen.plan(session=session, actor=t.user, campaign_id=t.campaign_id, req=req)
        # A chosen start image replaces the image step a bare video request would add.
        return rows[-1:] if has_start else rows
    return None


def media_form(t: Target, kind: str) -> None:
    prefix = f"studio_{kind}"
    spec = params.model_picker(kind, key=f"{prefix}_model")
    values = params.param_widgets(spec, prefix)
    start = start_image.picker(t.user, t.summary) if kind == "video" else start_image.StartImage()
    prompt, apply = prompt_block(t, prefix, kind)
    blocked = params.unavailable_reason(spec) is not None
    if blocked:
        st.markdown(f"**Estimated cost: ${catalog.estimate_cost(spec, values):,.2f}**")
    else:
        has_start = bool(start.source_id or start.upload)
        quote_req = gen.Request(kind, prompt or QUOTE_PROMPT, spec.id, values, apply_brand=apply)
        if rows := _quote(t, quote_req, has_start):
            show_quote(rows)
    if start.missing:
        st.caption("Pick a start image above, or choose *None*.")
    with request_button(f"Generate {kind}", type="primary", key=f"{prefix}_submit",
                        disabled=blocked or start.missing) as clicked:  # fmt: skip
        if clicked:
            _submit(t, kind, spec, values, prompt, apply, start)


def _submit(t: Target, kind, spec, values, prompt, apply, start) -> None:
    with friendly_errors():
        start = start_image.store_upload(t.user, t.summary, start)
        req = gen.Request(kind, prompt, spec.id, values, start.source_id, start.frame_s, apply)
        key = submission_key("item", t.campaign_id, req)
        with db() as session:
            rows = gen.plan(session=session, actor=t.user, campaign_id=t.campaign_id, req=req)
            try:
                warning = gen.save_and_enqueue(session, rows, submission_key=key)
            except AlreadySubmitted as repeat:
                already_queued(repeat.rows)
                return
        queued(rows[-1].id, warning)


def already_queued(rows: list[Generation]) -> None:
    ids = ", ".join(r.id for r in rows)
    st.info(f"Already queued a moment ago ({ids}): that request runs once. Change something to "
            "ask for another.")  # fmt: skip


def queued(generation_id: str, warning: str | None) -> None:
    st.success(f"Queued {generation_id}. It shows under **Recent jobs** below as it runs.")
    if warning:
        st.warning(warning)


def chain_form(t: Target) -> None:
    prefix = "studio_chain"
    st.caption("Text → image → video, plus a music track as long as the video.")
    specs = {}
    for kind, column in zip(STEP_NAMES, st.columns(3), strict=True):
        label = f"{STEP_NAMES[kind]} model"
        specs[kind] = params.model_picker(kind, key=f"{prefix}_{kind}_model", label=label,
                                          where=column)  # fmt: skip
    chain_params = _chain_params(specs, prefix)
    prompt, apply = prompt_block(t, prefix, "image")  # the chain's first step
    if any(params.unavailable_reason(s) for s in specs.values()):
        st.button("Generate chain", key=f"{prefix}_submit", disabled=True)
        return
    models = {kind: spec.id for kind, spec in specs.items()}
    request = {"models": models, "params": chain_params, "apply_brand": apply}
    rows = _chain_quote(t, prompt or QUOTE_PROMPT, request)
    if rows is not None:
        _confirm_and_submit(t, prompt, request, show_quote(rows))


def _chain_quote(t: Target, prompt: str, request: dict) -> list[Generation] | None:
    with friendly_errors(), db() as session:
        return gen.plan_chain(session=session, actor=t.user, campaign_id=t.campaign_id,
                              prompt=prompt, **request)  # fmt: skip
    return None


def _chain_params(specs: dict[str, catalog.ModelSpec], prefix: str) -> dict:
    # The image takes the video's frame shape and the track the video's length (core's rules).
    skips = {"image": ("aspect_ratio",), "video": (), "audio": ("duration",)}
    values = {}
    for kind, spec in specs.items():
        with st.expander(f"{STEP_NAMES[kind]} settings", expanded=kind == "video"):
            chosen = params.param_widgets(spec, f"{prefix}_{kind}", skip=skips[kind])
        values.update({f"{kind}.{name}": value for name, value in chosen.items()})
    return values


def _confirm_and_submit(t: Target, prompt: str, request: dict, total: float) -> None:
    # Keyed by the amount: changing the settings changes the quote and asks again.
    confirmed = st.checkbox(
        f"I confirm the estimated total of ${total:,.2f}",
        key=f"studio_chain_confirm_{round(total * 1000)}",
    )
    if not confirmed:
        st.caption("Confirm the quote to start the chain.")
    with request_button("Generate chain", type="primary", key="studio_chain_submit",
                        disabled=not confirmed) as clicked:  # fmt: skip
        if clicked:
            _submit_chain(t, prompt, request)


def _submit_chain(t: Target, prompt: str, request: dict) -> None:
    with friendly_errors():
        key = submission_key("chain", t.campaign_id, prompt, request)
        with db() as session:
            rows = gen.plan_chain(session=session, actor=t.user, campaign_id=t.campaign_id,
                                  prompt=prompt, **request)  # fmt: skip
            try:
                warning = gen.save_and_enqueue(session, rows, submission_key=key)
            except AlreadySubmitted as repeat:
                already_queued(repeat.rows)
                return
        steps = ", ".join(f"{STEP_NAMES[str(r.kind)].lower()} {r.id}" for r in rows)
        queued(f"chain {rows[0].chain_id} ({steps})", warning)
