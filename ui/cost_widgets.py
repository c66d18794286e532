"""Cost widgets: the estimated-against-actual chart (Altair), the report table, and each
campaign's spend against its budget with the 80 % warning."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from core.costs.budget import WARN_AT
from core.costs.report import BudgetLine, CostRow

MEASURES = {"estimated_usd": "Estimated", "actual_usd": "Actual"}


def report_frame(rows: list[CostRow], group_label: str) -> pd.DataFrame:
    return pd.DataFrame(
        [[r.group, r.items, r.estimated_usd, r.actual_usd] for r in rows],
        columns=[group_label, "Items", "Estimated (USD)", "Actual (USD)"],
    )


def spend_chart(rows: list[CostRow], group_label: str) -> alt.Chart:
    """Estimated and actual side by side for each group."""
    long = pd.DataFrame(
        [{"group": r.group, "measure": label, "usd": getattr(r, field)}
         for r in rows for field, label in MEASURES.items()]
    )  # fmt: skip
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("group:N", title=group_label, sort=None),
            xOffset=alt.XOffset("measure:N", sort=list(MEASURES.values())),
            y=alt.Y("usd:Q", title="Spend (USD)", axis=alt.Axis(format="$,.2f")),
            color=alt.Color("measure:N", title="", sort=list(MEASURES.values())),
            tooltip=[
                alt.Tooltip("group:N", title=group_label),
                "measure:N",
                alt.Tooltip("usd:Q", format="$,.3f"),
            ],
        )  # fmt: skip
        .properties(height=320)
    )


def share(line: BudgetLine) -> float | None:
    """Spent plus in flight, as a share of the budget (None: no budget). A $0 budget is used
    up from the start: core refuses any paid work on it."""
    if line.budget_usd is None:
        return None
    if line.budget_usd == 0:
        return 1.0
    return (line.spent_usd + line.in_flight_usd) / line.budget_usd


def budget_warnings(lines: list[BudgetLine]) -> None:
    for line in lines:
        used = share(line)
        if used is None or used < WARN_AT:
            continue
        where = f"{line.client} · {line.campaign}"
        committed = line.spent_usd + line.in_flight_usd
        money = (f"${committed:,.2f} of ${line.budget_usd:,.2f} (spent "
                 f"${line.spent_usd:,.2f}, in flight ${line.in_flight_usd:,.2f})")  # fmt: skip
        if line.budget_usd == 0:
            st.error(f"{where} has a $0 budget: paid work is refused (drafts are free).")
        elif used >= 1:
            st.error(f"{where} is at its budget: {money}. New paid work is refused.")
        else:
            st.warning(f"{where} is at {used:.0%} of its budget: {money}.")


def budget_table(lines: list[BudgetLine]) -> None:
    frame = pd.DataFrame(
        [{"Client": b.client, "Campaign": b.campaign, "Budget (USD)": b.budget_usd,
          "Spent (USD)": b.spent_usd, "In flight (USD)": b.in_flight_usd,
          "Used": share(b)} for b in lines]
    )  # fmt: skip
    st.dataframe(
        frame, hide_index=True,
        column_config={
            "Used": st.column_config.ProgressColumn("Used", format="percent", min_value=0,
                                                    max_value=1),
            "Budget (USD)": st.column_config.NumberColumn(format="$%.2f"),
            "Spent (USD)": st.column_config.NumberColumn(format="$%.2f"),
            "In flight (USD)": st.column_config.NumberColumn(format="$%.2f"),
        },
    )  # fmt: skip
