"""Campaigns of one client: a table with item count and spend, create, edit, archive."""

from __future__ import annotations

import streamlit as st

from core.campaigns import campaigns
from core.campaigns.campaigns import CampaignSummary
from core.models import Client, User
from ui import flash
from ui.client_forms import PAGE, budget_input
from ui.errors import friendly_errors
from ui.session import db


def campaign_table(rows: list[CampaignSummary]) -> None:
    if not rows:
        st.caption("No campaigns yet.")
        return
    st.dataframe(
        [
            {
                "Campaign": r.campaign.name, "Objective": r.campaign.objective,
                "Budget (USD)": r.campaign.budget_usd, "Items": r.items,
                "Spent (USD)": round(r.spent_usd, 2),
                "Status": "archived" if r.campaign.archived else "active",
            }
            for r in rows
        ],
        hide_index=True,
    )  # fmt: skip


def _fields(prefix: str, row: CampaignSummary | None) -> dict:
    c = row.campaign if row else None
    return {
        "name": st.text_input("Name", value=c.name if c else "", key=f"{prefix}_name"),
        "objective": st.text_input(
            "Objective", value=c.objective if c else "", key=f"{prefix}_objective"
        ),
        "guidelines": st.text_area(
            "Campaign guidelines", value=c.guidelines if c else "", key=f"{prefix}_guidelines",
            help="Added to the client's guidelines in this campaign's image and video prompts.",
        ),
        "budget_usd": budget_input(
            "Campaign budget (USD)", f"{prefix}_budget", c.budget_usd if c else None
        ),
    }  # fmt: skip


def create_campaign_form(user: User, client: Client) -> None:
    prefix = flash.form_key(PAGE, f"newcmp_{client.id}")
    values = _fields(prefix, None)
    if st.button("Create campaign", type="primary", key=f"{prefix}_submit"):
        with friendly_errors():
            with db() as session:
                campaign = campaigns.create_campaign(
                    session=session, actor=user, client_id=client.id, **values
                )
            flash.next_round(PAGE, f"newcmp_{client.id}")
            flash.done(PAGE, f"Campaign '{campaign.name}' created for {client.name}.")


def edit_campaign_form(user: User, rows: list[CampaignSummary]) -> None:
    by_id = {r.campaign.id: r for r in rows}
    chosen = st.selectbox(
        "Campaign", list(by_id), key=f"{PAGE}_campaign",
        format_func=lambda i: by_id[i].campaign.name
        + (" (archived)" if by_id[i].campaign.archived else ""),
    )  # fmt: skip
    row = by_id[chosen]
    prefix = f"{PAGE}_editcmp_{chosen}"
    values = _fields(prefix, row)
    st.caption(f"{row.items} items · ${row.spent_usd:,.2f} spent")
    save, archive = st.columns(2)
    if save.button("Save campaign", type="primary", key=f"{prefix}_save"):
        changes = {k: v for k, v in values.items() if k != "budget_usd"}
        # Only a changed budget is sent: core asks for admin rights to raise one.
        if values["budget_usd"] != row.campaign.budget_usd:
            changes["budget_usd"] = values["budget_usd"]
        _update(user, chosen, changes, f"Campaign '{values['name'].strip()}' saved.")
    archived = row.campaign.archived
    if archive.button("Restore campaign" if archived else "Archive campaign", key=f"{prefix}_arch"):
        verb = "restored" if archived else "archived"
        _update(user, chosen, {"archived": not archived}, f"Campaign '{row.campaign.name}' {verb}.")


def _update(user: User, campaign_id: str, changes: dict, message: str) -> None:
    with friendly_errors():
        with db() as session:
            campaigns.update_campaign(
                session=session, actor=user, campaign_id=campaign_id, **changes
            )
        flash.done(PAGE, message)
