"""Briefs: paste a brief or upload one (.txt, .md, .pdf, .docx), check the fields the parser
found (what it could not find is flagged, never invented), save, and make a storyboard from it.

Reading a brief saves nothing: the fields wait in this session until "Save" is pressed.
"""

from __future__ import annotations

import streamlit as st

from core.briefs import (
    MAX_BYTES,
    OFFLINE,
    BriefFields,
    brand_mismatch,
    extract_text,
    parse_with,
    validate_fields,
)
from core.campaigns.campaigns import CampaignSummary
from core.config import get_settings
from core.models import Storyboard, User
from core.storyboards import editing as sb
from ui import brief_form, flash, nav, uploads
from ui.context import pick_campaign
from ui.errors import friendly_errors
from ui.session import db, require

PAGE = "briefs"
DRAFT_KEY = f"{PAGE}_draft"  # {"fields", "raw_text", "filename", "parser", "dropped"}
ROUND_KEY = f"{PAGE}_round"
MADE_KEY = f"{PAGE}_made"  # the storyboard just made, linked once beside the message


def _parser_choice() -> str:
    """With a Replicate token an LLM reads the brief by default (quoted on the pasted text, which
    reaches session state before this runs); without one, the offline parser is all there is."""
    if not get_settings().replicate_enabled:
        return OFFLINE
    names = brief_form.parser_labels(st.session_state.get(f"{PAGE}_text", ""))
    choice = st.selectbox("Parser", list(names), format_func=names.__getitem__,
                          key=f"{PAGE}_parser")  # fmt: skip
    return choice or OFFLINE


def _keep_draft(text: str, filename: str, parser: str) -> None:
    with st.spinner("Reading the brief…"):
        outcome = parse_with(parser, text)
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1  # fresh form widgets
    st.session_state[DRAFT_KEY] = {
        "fields": outcome.fields.model_dump(exclude={"missing"}),
        "raw_text": text,
        "filename": filename,
        "parser": outcome.parser,
        "dropped": list(outcome.dropped),
    }
    brief_form.how_it_was_read(outcome)
    st.success(f"Read {filename or 'the pasted text'}: check the fields below, then save.")


def _intake() -> None:
    parser = _parser_choice()
    paste, upload = st.tabs(["Paste text", "Upload a file"])
    with paste:
        text = st.text_area("Brief text", key=f"{PAGE}_text", height=200)
        if st.button("Read pasted brief", key=f"{PAGE}_read_text"):
            if not text.strip():
                st.warning("Paste the brief's text first.")
            else:
                with friendly_errors():
                    _keep_draft(text, "", parser)
    with upload:
        file = uploads.file_uploader("Brief file: .txt, .md, .pdf or .docx",
                                     MAX_BYTES // (1024 * 1024), key=f"{PAGE}_file")  # fmt: skip
        read = st.button("Read file", key=f"{PAGE}_read_file", disabled=file is None)
        if read and file is not None:
            st.session_state.pop(DRAFT_KEY, None)  # a refused file leaves no old fields behind
            with friendly_errors():
                _keep_draft(extract_text(file.name, file), file.name, parser)


def _save(user: User, summary: CampaignSummary, values: dict, action: str) -> None:
    draft = st.session_state[DRAFT_KEY]
    with friendly_errors():
        checked = validate_fields(values).model_dump(exclude={"missing"})
        with db() as session:
            brief = sb.save_brief(session=session, actor=user, campaign_id=summary.campaign.id,
                                  fields=checked, raw_text=draft["raw_text"],
                                  filename=draft["filename"], parser=draft["parser"])  # fmt: skip
            board = None
            if action == "make":
                board = sb.storyboard_from_brief(session=session, actor=user, brief_id=brief.id)
        st.session_state.pop(DRAFT_KEY)
        name = checked.get("title") or draft["filename"] or "untitled"
        done = f"Saved the brief '{name}'."
        if board is not None:
            _made(summary, board)
            done += f" Made the storyboard '{board.title}': open it with the link below."
        flash.done(PAGE, done)


def _make(user: User, summary: CampaignSummary, brief_id: str) -> None:
    with friendly_errors():
        with db() as session:
            board = sb.storyboard_from_brief(session=session, actor=user, brief_id=brief_id)
        _made(summary, board)
        flash.done(PAGE, f"Made the storyboard '{board.title}': open it with the link below.")


def _made(summary: CampaignSummary, board: Storyboard) -> None:
    """Keep what the link to `board` needs: the Storyboards page selects it from the URL."""
    where = {"client": summary.campaign.client_id, "campaign": board.campaign_id}
    st.session_state[MADE_KEY] = {"title": board.title, **where, "storyboard": board.id}


def _link_to_made() -> None:
    if made := st.session_state.pop(MADE_KEY, None):
        title = made.pop("title")
        st.page_link(nav.page("storyboards"), label=f"Open '{title}' on Storyboards",
                     icon=":material/view_carousel:", query_params=made)  # fmt: skip


def _saved(user: User, summary: CampaignSummary) -> None:
    st.subheader("Saved briefs")
    with db() as session:
        briefs = sb.list_briefs(session=session, actor=user, campaign_id=summary.campaign.id)
    if not briefs:
        st.caption("No briefs saved for this campaign yet.")
    for brief in briefs:
        with st.container(border=True):
            about, action = st.columns([4, 1])
            title = brief.fields.get("title") or brief.filename or "Untitled brief"
            about.markdown(f"**{title}** · {brief_form.summary_line(brief.fields)}")
            source = brief.filename or "pasted text"
            about.caption(f"{source} · {brief.created_at:%Y-%m-%d %H:%M} UTC · `{brief.id}`")
            if action.button("Make storyboard", key=f"{PAGE}_make_{brief.id}"):
                _make(user, summary, brief.id)


def render() -> None:
    user = require("storyboard.edit")
    st.title("Briefs")
    flash.show(PAGE)
    _link_to_made()
    summary = pick_campaign(user)
    if summary is None:
        return
    _intake()
    if draft := st.session_state.get(DRAFT_KEY):
        st.subheader("Fields")
        fields = BriefFields.model_validate(draft["fields"])
        if mismatch := brand_mismatch(fields.brand or "", summary.client_name):
            st.warning(mismatch, icon=":material/swap_horiz:")
        prefix = f"{PAGE}_f{st.session_state.get(ROUND_KEY, 0)}"
        values, action = brief_form.fields_form(fields, prefix=prefix, can_make=True,
                                                dropped=draft.get("dropped", ()))  # fmt: skip
        if action:
            _save(user, summary, values, action)
    _saved(user, summary)
