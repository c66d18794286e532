"""Cost widgets: the estimated-against-actual chart (Altair), the report table, and each
campaign's spend against its budget with the 80 % warning.

Tables keep their figures as numbers (they sort as amounts) and show them as money through a
pandas Styler, with `usd`: "$1,919.80", and "$0.004" rather than a "$0.00" that reads as free."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from core.costs.budget import WARN_AT
from core.costs.report import BudgetLine, CostRow
from core.generation import quotes
from core.models import User
from ui import words
from ui.errors import friendly_errors
from ui.session import db
from ui.units import usd

MEASURES = {"estimated_usd": "Estimated", "actual_usd": "Actual"}
MONEY = ["Estimated", "Actual"]
BUDGET_MONEY = ["Budget", "Spent", "In flight"]
# Groups that are ids in the data, named as people know them.
GROUP_WORDS = {"model": words.model_name, "kind": words.kind_name}


def price(amount: float) -> str:
    """A step's or an item's price in a quote: '$0.04', or 'free' for a draft."""
    return usd(amount) if amount else "free"


def group_name(by: str, group: str) -> str:
    return GROUP_WORDS.get(by, str)(group)


def as_money(frame: pd.DataFrame, columns: list[str]):
    """The frame, its `columns` shown as dollars (an empty cell: no budget)."""
    return frame.style.format(usd, subset=columns, na_rep="no budget")


def report_frame(rows: list[CostRow], group_label: str, by: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        [[group_name(by, r.group), r.items, r.estimated_usd, r.actual_usd] for r in rows],
        columns=[group_label, "Items", *MONEY],
    )


def report_table(rows: list[CostRow], group_label: str, by: str) -> None:
    st.dataframe(as_money(report_frame(rows, group_label, by), MONEY), hide_index=True)


def spend_chart(rows: list[CostRow], group_label: str, by: str = "") -> alt.Chart:
    """Estimated and actual side by side for each group."""
    long = pd.DataFrame(
        [{"group": group_name(by, r.group), "measure": label, "usd": getattr(r, field)}
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
        money = (f"{usd(committed)} of {usd(line.budget_usd or 0.0)} (spent {usd(line.spent_usd)}, "
                 f"in flight {usd(line.in_flight_usd)})")  # fmt: skip
        if line.budget_usd == 0:
            st.error(f"{where} has a $0 budget: paid work is refused (drafts are free).")
        elif used >= 1:
            st.error(f"{where} is at its budget: {money}. New paid work is refused.")
        else:
            st.warning(f"{where} is at {used:.0%} of its budget: {money}.")


def budget_table(lines: list[BudgetLine]) -> None:
    frame = pd.DataFrame(
        [{"Client": b.client, "Campaign": b.campaign, "Budget": b.budget_usd,
          "Spent": b.spent_usd, "In flight": b.in_flight_usd, "Used": share(b)} for b in lines],
        columns=["Client", "Campaign", *BUDGET_MONEY, "Used"],
    )  # fmt: skip
    used = st.column_config.ProgressColumn("Used", format="percent", min_value=0, max_value=1)
    st.dataframe(as_money(frame, BUDGET_MONEY), hide_index=True, column_config={"Used": used})


def _who(line: quotes.BudgetAfter, *, starts: bool = False) -> str:
    if line.owner == "campaign":
        return line.name
    return f"{'The' if starts else 'the'} client {line.name}"


def _percent(share: float) -> str:
    """'82 %'; a small request on a large budget is 'under 1 %', not a '0 %' that reads as
    nothing."""
    rounded = round(share * 100)
    return "under 1 %" if rounded == 0 and share > 0 else f"{rounded} %"


def _after(line: quotes.BudgetAfter) -> str:
    return (f"This takes {_who(line)} to {_percent(line.share)} of its "
            f"{usd(line.budget_usd)} budget.")  # fmt: skip


def _refusal(line: quotes.BudgetAfter) -> str:
    way_out = "Ask an admin to raise it, or pick a draft model (free)."
    if line.budget_usd == 0:
        return f"{_who(line, starts=True)} has a $0 budget: paid work is refused. {way_out}"
    return (f"This would take {_who(line)} over its {usd(line.budget_usd)} budget "
            f"({usd(line.committed_usd)} already spent or in flight, this "
            f"{usd(line.cost_usd)}). {way_out}")  # fmt: skip


def spend_after(user: User, campaign_id: str, cost: float) -> bool:
    """Where a paid request leaves its campaign's budget (and its client's), said right above
    the button that spends it: warned from 80 %; False when a budget would refuse it (then it
    says so, and what to do). Free work counts against no budget and shows nothing."""
    if cost <= 0:
        return True
    outlook: list[quotes.BudgetAfter] = []
    with friendly_errors(), db() as session:
        outlook = quotes.budget_after(session=session, actor=user, campaign_id=campaign_id,
                                      cost=cost)  # fmt: skip
    for line in outlook:
        if line.refused:
            st.error(_refusal(line), icon=":material/block:")
        elif line.warned:
            st.warning(_after(line), icon=":material/savings:")
        else:
            st.caption(_after(line))
    if not any(line.owner == "campaign" for line in outlook):
        st.caption("No budget is set for this campaign: nothing caps its spend.")
    return not any(line.refused for line in outlook)
