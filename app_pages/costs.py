"""Costs: spend by day, week, client, campaign, model, kind or user; estimated against actual,
as a chart, a table and a CSV; each campaign's spend against its budget (warned at 80 %), and
for admins, a budget raised in place. Core computes every figure (`costs.report`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.accounts import auth
from core.campaigns import campaigns
from core.costs import report as costs
from core.models import User
from ui import cost_widgets, flash
from ui.errors import friendly_errors
from ui.session import db, require
from ui.units import usd

PAGE = "costs"
GROUP_LABELS = {"day": "Day", "week": "Week", "client": "Client", "campaign": "Campaign",
                "model": "Model", "kind": "Kind", "user": "User"}  # fmt: skip


def _campaign_names(user: User) -> dict[str, str]:
    with db() as session:
        rows = campaigns.list_campaigns(session=session, actor=user, include_archived=True)
    return {r.campaign.id: f"{r.client_name} · {r.campaign.name}" for r in rows}


def _filters(names: dict[str, str]) -> tuple[str, str | None, date | None]:
    by_col, campaign_col, since_col = st.columns(3)
    by = by_col.selectbox("Group by", list(GROUP_LABELS), format_func=GROUP_LABELS.get,
                          key=f"{PAGE}_by")  # fmt: skip
    options = {"": "All campaigns", **names}
    campaign_id = campaign_col.selectbox("Campaign", list(options), format_func=options.get,
                                         key=f"{PAGE}_campaign")  # fmt: skip
    since = since_col.date_input("Since", value=None, key=f"{PAGE}_since", format="YYYY-MM-DD")
    return by, campaign_id or None, since


def _report(user: User, by: str, campaign_id: str | None, since: date | None) -> None:
    with db() as session:
        rows = costs.report(session=session, actor=user, by=by, campaign_id=campaign_id,
                            since=since)  # fmt: skip
    label = GROUP_LABELS[by]
    items, estimated, actual = st.columns(3)
    items.metric("Items", sum(r.items for r in rows))
    estimated.metric("Estimated", usd(sum(r.estimated_usd for r in rows)))
    actual.metric("Actual", usd(sum(r.actual_usd for r in rows)))
    if not rows:
        st.info("No spend matches these filters.")
        return
    st.altair_chart(cost_widgets.spend_chart(rows, label, by), width="stretch")
    cost_widgets.report_table(rows, label, by)
    st.download_button("Download CSV", data=costs.to_csv(rows), file_name=f"costs-by-{by}.csv",
                       mime="text/csv", key=f"{PAGE}_csv", icon=":material/download:")  # fmt: skip


def _raise_form(user: User, names: dict[str, str]) -> None:
    with st.form(f"{PAGE}_raise"):
        st.markdown("**Change a campaign's budget** (admins)")
        campaign_id = st.selectbox("Campaign", list(names), format_func=names.get,
                                   key=f"{PAGE}_raise_campaign")  # fmt: skip
        budget = st.number_input("New budget (USD)", min_value=0.0, value=None, step=10.0,
                                 key=f"{PAGE}_raise_budget", placeholder="type the new budget",
                                 help="Empty removes the limit (admins only).")  # fmt: skip
        saved = st.form_submit_button("Set budget")
    if saved:
        with friendly_errors():
            with db() as session:
                campaigns.update_campaign(session=session, actor=user, campaign_id=campaign_id,
                                          budget_usd=budget)  # fmt: skip
            shown = usd(budget) if budget is not None else "no limit"
            flash.done(PAGE, f"Budget of {names[campaign_id]} set to {shown}.")


def _budgets(user: User, names: dict[str, str]) -> None:
    st.subheader("Budgets")
    with db() as session:
        lines = costs.budgets(session=session, actor=user)
    cost_widgets.budget_warnings(lines)
    cost_widgets.budget_table(lines)
    if auth.can(user, "budget.raise") and names:
        _raise_form(user, names)


def render() -> None:
    user = require("costs.view")
    st.title("Costs")
    flash.show(PAGE)
    names = _campaign_names(user)
    by, campaign_id, since = _filters(names)
    with friendly_errors():
        _report(user, by, campaign_id, since)
    _budgets(user, names)
