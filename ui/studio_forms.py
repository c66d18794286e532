"""The Studio's forms: one per media kind, and the chain with its step-by-step quote.

Each form puts the prompt, the estimate and Generate first and the settings under them: a
container drawn first is filled last, once the settings below it have been read.
Not `st.form`s on purpose: the brand rules and the estimate follow every change live.
Quotes come from core's own planning (`plan`, `plan_chain`), so what is shown is what submit
would write; they are computed, never saved. Money first: a paid request shows, right above
Generate, where it takes the campaign's budget (warned from 80 %, refused past it); a paid
chain asks for its total to be confirmed; free drafts ask for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core import catalog
from core.campaigns.campaigns import CampaignSummary
from core.generation import service as gen
from core.generation.submissions import AlreadySubmitted
from core.media.sources import start_image_fit
from core.models import Client, Generation, User
from ui import params, start_image
from ui.cost_widgets import price, spend_after
from ui.errors import friendly_errors
from ui.prompt_box import brand_block, prompt_box
from ui.session import db, request_button, submission_key
from ui.units import usd

# Costs do not depend on the prompt's words: quotes use a stand-in, so an empty or over-long
# prompt (named on screen already) does not turn the estimate into a second error.
QUOTE_PROMPT = "quote"
STEP_NAMES = {"image": "Image", "video": "Video", "audio": "Music"}
NOUNS = {"image": "image", "video": "video", "audio": "music"}
PLACEHOLDERS = {
    "image": "What to make, e.g. a can of lemonade on a sunny beach",
    "video": "What happens, e.g. the camera pushes in on a can of lemonade on a sunny beach",
    "audio": "What it sounds like, e.g. upbeat summer pop, 120 BPM, no vocals",
}


@dataclass(frozen=True)
class Target:
    user: User
    summary: CampaignSummary
    client: Client

    @property
    def campaign_id(self) -> str:
        return self.summary.campaign.id


def show_quote(rows: list[Generation]) -> float:
    """Each step with its model and estimate, then the total; returns the total."""
    total = sum(r.estimated_cost_usd for r in rows)
    if len(rows) > 1:
        lines = [
            f"{i}. {STEP_NAMES.get(str(r.kind), r.kind)} · "
            f"{catalog.get_model(r.model).title} · {price(r.estimated_cost_usd)}"
            for i, r in enumerate(rows, 1)
        ]
        st.markdown("\n".join(lines))
    note = " (drafts are free)" if total == 0 else ""
    st.markdown(f"**Estimated cost: {usd(total)}**{note}")
    return total


def _quote(t: Target, req: gen.Request, has_start: bool) -> list[Generation] | None:
    with friendly_errors(), db() as session:
        rows = gen.plan(session=session, actor=t.user, campaign_id=t.campaign_id, req=req)
        # A chosen start image replaces the image step a bare video request would add.
        return rows[-1:] if has_start else rows
    return None


def settings_heading() -> None:
    st.markdown("##### Settings")


def media_form(t: Target, kind: str) -> None:
    prefix = f"studio_{kind}"
    top = st.container()
    settings_heading()
    spec = params.model_picker(kind, key=f"{prefix}_model")
    values = params.param_widgets(spec, prefix)
    start = start_image.picker(t.user, t.summary) if kind == "video" else start_image.StartImage()
    with top:
        prompt, too_long = prompt_box(f"{prefix}_prompt", placeholder=PLACEHOLDERS[kind])
        apply = brand_block(prefix, t.client, t.summary.campaign, {kind: "your prompt"})
        ready = _media_quote(t, kind, spec, values, apply, start)
        blocked = not ready or start.missing or too_long
        with request_button(f"Generate {NOUNS[kind]}", type="primary", key=f"{prefix}_submit",
                            disabled=blocked) as clicked:  # fmt: skip
            if clicked:
                _submit(t, kind, spec, values, prompt, apply, start)


def _media_quote(t: Target, kind: str, spec, values: dict, apply: bool, start) -> bool:
    """What will happen to the start image, the estimate and, when it costs, where it takes
    the budget; False when the model cannot be used now or a budget would refuse it."""
    if reason := params.unavailable_reason(spec):
        st.markdown(f"**Estimated cost: {usd(catalog.estimate_cost(spec, values))}**")
        st.caption(f"{spec.title} is {reason}: pick a draft model under **Settings**.")
        return False
    if start.size and (fit := start_image_fit(spec, values, start.size)):
        st.warning(fit, icon=":material/crop:")
    if start.missing:
        st.caption("Pick a start image under **Settings**, or choose *None*.")
    has_start = bool(start.source_id or start.upload)
    req = gen.Request(kind, QUOTE_PROMPT, spec.id, values, apply_brand=apply)
    if not (rows := _quote(t, req, has_start)):
        return True  # the quote's problem is shown; submitting names it again
    return spend_after(t.user, t.campaign_id, show_quote(rows))


def _submit(t: Target, kind, spec, values, prompt, apply, start) -> None:
    with friendly_errors():
        start = start_image.store_upload(t.user, t.summary, start)
        req = gen.Request(kind, prompt, spec.id, values, start.source_id, start.frame_s, apply)
        key = submission_key("item", t.campaign_id, req)
        with db() as session:
            rows = gen.plan(session=session, actor=t.user, campaign_id=t.campaign_id, req=req)
            try:
                warning = gen.save_and_enqueue(session, rows, submission_key=key)
            except AlreadySubmitted:
                already_queued()
                return
        queued(f"your {NOUNS[kind]}", warning)


def already_queued() -> None:
    st.info("Already queued a moment ago: that request runs once. Change something to ask for "
            "another.")  # fmt: skip


def queued(what: str, warning: str | None) -> None:
    st.success(f"Queued {what}. It shows under **Recent jobs** below as it runs.")
    if warning:
        st.warning(warning)


def chain_form(t: Target) -> None:
    prefix = "studio_chain"
    st.caption("Text → image → video, plus a music track as long as the video.")
    top = st.container()
    settings_heading()
    specs = {}
    for kind, column in zip(STEP_NAMES, st.columns(3), strict=True):
        label = f"{STEP_NAMES[kind]} model"
        specs[kind] = params.model_picker(kind, key=f"{prefix}_{kind}_model", label=label,
                                          where=column)  # fmt: skip
    chain_params = _chain_params(specs, prefix)
    with top:
        prompt, long_picture = prompt_box(f"{prefix}_prompt", "Picture prompt (image and video)",
                                          placeholder=PLACEHOLDERS["video"])  # fmt: skip
        music, long_music = prompt_box(f"{prefix}_music_prompt", "Music prompt",
                                       placeholder=PLACEHOLDERS["audio"])  # fmt: skip
        prompts = {"image": "the picture prompt", "audio": "the music prompt"}
        apply = brand_block(prefix, t.client, t.summary.campaign, prompts)
        reasons = {s.title: params.unavailable_reason(s) for s in specs.values()}
        if blocked := [f"{title} is {reason}" for title, reason in reasons.items() if reason]:
            st.caption("; ".join(blocked) + ": pick draft models under **Settings**.")
            st.button("Generate chain", key=f"{prefix}_submit", disabled=True)
            return
        models = {kind: spec.id for kind, spec in specs.items()}
        request = {"models": models, "params": chain_params, "apply_brand": apply}
        rows = _chain_quote(t, QUOTE_PROMPT, QUOTE_PROMPT, request)
        if rows is not None:
            prompts_ok = not (long_picture or long_music)
            _confirm_and_submit(t, (prompt, music), request, show_quote(rows), prompts_ok)


def _chain_quote(t: Target, prompt: str, music: str, request: dict) -> list[Generation] | None:
    with friendly_errors(), db() as session:
        return gen.plan_chain(session=session, actor=t.user, campaign_id=t.campaign_id,
                              prompt=prompt, music_prompt=music, **request)  # fmt: skip
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


def _confirm_and_submit(
    t: Target, prompts: tuple[str, str], request: dict, total: float, prompts_ok: bool
) -> None:
    """A paid chain's total is confirmed before it starts (it spends on three models at once);
    a free one just starts."""
    within_budget = spend_after(t.user, t.campaign_id, total)
    confirmed = total <= 0
    if not confirmed and within_budget:
        # Keyed by the amount: changing the settings changes the quote and asks again.
        confirmed = st.checkbox(f"I confirm the estimated total of {usd(total)}",
                                key=f"studio_chain_confirm_{round(total * 1000)}")  # fmt: skip
        if not confirmed:
            st.caption("Confirm the quote to start the chain.")
    ready = confirmed and within_budget and prompts_ok
    with request_button("Generate chain", type="primary", key="studio_chain_submit",
                        disabled=not ready) as clicked:  # fmt: skip
        if clicked:
            _submit_chain(t, prompts, request)


def _submit_chain(t: Target, prompts: tuple[str, str], request: dict) -> None:
    prompt, music = prompts
    with friendly_errors():
        key = submission_key("chain", t.campaign_id, prompt, music, request)
        with db() as session:
            rows = gen.plan_chain(session=session, actor=t.user, campaign_id=t.campaign_id,
                                  prompt=prompt, music_prompt=music, **request)  # fmt: skip
            try:
                warning = gen.save_and_enqueue(session, rows, submission_key=key)
            except AlreadySubmitted:
                already_queued()
                return
        steps = ", ".join(NOUNS[str(r.kind)] for r in rows)
        queued(f"the chain ({steps})", warning)
