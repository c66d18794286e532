"""Costs: totals, groups, filters, chart, table and CSV match the data; budgets with the 80 %
warning; admins change a budget there (core refuses others a raise); viewers are refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pyarrow as pa
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from core.campaigns import campaigns
from core.errors import PermissionDenied
from core.models import Campaign
from tests.utils.factories import add_generation_rows, generation_row, make_campaign, make_client


@pytest.fixture
def downloads(monkeypatch):
    """What each run handed to Streamlit's media store (download buttons), by file id."""
    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        stored[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return stored


def _row(campaign, user, model, kind, estimated, actual, day, status="succeeded"):
    return generation_row(campaign, user, kind, model, status=status,
                          estimated_cost_usd=estimated, cost_usd=actual,
                          created_at=datetime(2026, 3, day, 12, tzinfo=UTC))  # fmt: skip


@pytest.fixture
def spend(session, people, campaign):
    autumn = make_campaign(session, people["admin"], "Autumn", client_id=campaign.client_id,
                           budget_usd=None)  # fmt: skip
    cleo, ada = people["creative"], people["admin"]
    add_generation_rows(session, [
        _row(campaign, cleo, "google/nano-banana", "image", 0.04, 0.04, 2),
        _row(campaign, cleo, "bytedance/seedance-1-lite", "video", 0.90, 0.85, 3),
        _row(campaign, ada, "local/draft-image", "image", 0.0, 0.0, 10),
        _row(autumn, ada, "bytedance/seedance-1-lite", "video", 1.80, 2.00, 10),
    ])  # fmt: skip
    return autumn


def _download(at, downloads) -> str:
    url = at.download_button(key="costs_csv").proto.url
    return downloads[url.rsplit("/", 1)[-1].split(".")[0]].decode()


def test_totals_table_and_csv_match_the_data(screen, people, spend, downloads):
    at = screen("costs", people["reviewer"]).run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["4", "$2.74", "$2.89"]
    assert at.dataframe[0].value.values.tolist() == [["2026-03-02", 1, 0.04, 0.04],
                                                     ["2026-03-03", 1, 0.9, 0.85],
                                                     ["2026-03-10", 2, 1.8, 2.0]]  # fmt: skip
    at.selectbox(key="costs_by").set_value("campaign").run()
    table = at.dataframe[0].value
    assert table.values.tolist() == [["Acme Drinks · Autumn", 1, 1.8, 2.0],
                                     ["Acme Drinks · Spring Launch", 3, 0.94, 0.89]]  # fmt: skip
    assert _download(at, downloads) == (
        "group,items,estimated_usd,actual_usd\r\nAcme Drinks · Autumn,1,1.8,2.0\r\n"
        "Acme Drinks · Spring Launch,3,0.94,0.89\r\n"
    )
    [chart] = at.get("vega_lite_chart")
    assert "Estimated" in chart.proto.spec and "Actual" in chart.proto.spec


def _shown(table) -> list[list[str]]:
    """A table's cells as the browser shows them (the Styler's display values)."""
    shown = pa.ipc.open_stream(table.proto.arrow_data.styler.display_values).read_all()
    return shown.to_pandas().values.tolist()


def test_tables_show_money_as_money(screen, people, campaign, spend, session):
    session.add(_row(campaign, people["creative"], "google/nano-banana", "image", 1919.8, 0.004,
                     12))  # fmt: skip
    session.commit()
    at = screen("costs", people["reviewer"]).run()
    at.selectbox(key="costs_by").set_value("campaign").run()
    report, budgets = at.dataframe
    # Still numbers underneath (they sort as amounts), shown as dollars.
    assert report.value["Estimated"].tolist() == [1.8, pytest.approx(1920.74)]
    assert _shown(report) == [
        ["Acme Drinks · Autumn", "1", "$1.80", "$2.00"],
        ["Acme Drinks · Spring Launch", "4", "$1,920.74", "$0.89"],
    ]
    assert [row[2:5] for row in _shown(budgets)] == [
        ["no budget", "$2.00", "$0.00"],  # Autumn has no budget
        ["$50.00", "$0.89", "$0.00"],
    ]
    at.selectbox(key="costs_by").set_value("day").run()
    assert ["2026-03-12", "1", "$1,919.80", "$0.004"] in _shown(at.dataframe[0])


def test_the_chart_axis_reads_as_dollars(screen, people, spend):
    at = screen("costs", people["reviewer"]).run()
    [chart] = at.get("vega_lite_chart")
    y = json.loads(chart.proto.spec)["encoding"]["y"]
    assert y["title"] == "Spend (USD)"
    assert y["axis"]["format"] == "$,.2f"  # ticks like $1.50, not 1.5


def test_group_by_model_week_and_user_with_filters(screen, people, campaign, spend, downloads):
    at = screen("costs", people["creative"]).run()
    at.selectbox(key="costs_by").set_value("model").run()
    assert at.dataframe[0].value.values.tolist() == [  # models as people know them
        ["Seedance 1 Lite (ByteDance)", 2, 2.7, 2.85],
        ["Nano Banana (Google)", 1, 0.04, 0.04],
        ["Draft image", 1, 0.0, 0.0],
    ]
    at.selectbox(key="costs_campaign").set_value(campaign.id).run()
    at.selectbox(key="costs_by").set_value("user").run()
    assert at.dataframe[0].value.values.tolist() == [["ada", 1, 0.0, 0.0], ["cleo", 2, 0.94, 0.89]]
    at.date_input(key="costs_since").set_value(date(2026, 3, 3)).run()
    assert [m.value for m in at.metric] == ["2", "$0.90", "$0.85"]
    at.selectbox(key="costs_by").set_value("week").run()
    # ISO weeks: Tuesday 3 March 2026 is in week 10, Tuesday 10 March in week 11.
    assert at.dataframe[0].value.values.tolist() == [["2026-W10", 1, 0.9, 0.85],
                                                     ["2026-W11", 1, 0.0, 0.0]]  # fmt: skip
    assert "2026-W10,1,0.9,0.85" in _download(at, downloads)


def test_campaigns_of_the_same_name_in_two_clients_stay_two_rows(screen, people, spend, session):
    other = make_client(session, people["admin"], "Southwind Tea")
    autumn = make_campaign(session, people["admin"], "Autumn", client_id=other.id, budget_usd=None)
    session.add(_row(autumn, people["admin"], "google/nano-banana", "image", 0.04, 0.04, 11))
    session.commit()
    at = screen("costs", people["admin"]).run()
    at.selectbox(key="costs_by").set_value("campaign").run()
    assert at.dataframe[0].value.values.tolist() == [
        ["Acme Drinks · Autumn", 1, 1.8, 2.0],
        ["Acme Drinks · Spring Launch", 3, 0.94, 0.89],
        ["Southwind Tea · Autumn", 1, 0.04, 0.04],
    ]


def test_no_spend_says_so(screen, people, campaign):
    at = screen("costs", people["admin"]).run()
    assert [m.value for m in at.metric] == ["0", "$0.00", "$0.00"]
    assert at.info[0].value == "No spend matches these filters."
    assert not at.get("download_button")


def test_campaigns_near_or_over_budget_are_flagged(screen, people, campaign, spend, session):
    at = screen("costs", people["creative"]).run()
    assert not at.warning and not at.error  # $0.89 of $50
    session.add(_row(campaign, people["creative"], "bytedance/seedance-1-lite", "video", 41.0,
                     None, 11, status="running"))  # fmt: skip
    session.commit()
    at.run()
    assert at.warning[0].value == ("Acme Drinks · Spring Launch is at 84% of its budget: $41.89 "
                                   "of $50.00 (spent $0.89, in flight $41.00).")  # fmt: skip
    budgets = at.dataframe[1].value
    assert budgets["Campaign"].tolist() == ["Autumn", "Spring Launch"]
    assert budgets["Used"].tolist()[1] == pytest.approx(41.89 / 50)


def test_a_zero_budget_shows_as_used_up(screen, people, campaign, session):
    campaigns.update_campaign(session=session, actor=people["admin"], campaign_id=campaign.id,
                              budget_usd=0.0)  # fmt: skip
    session.commit()
    at = screen("costs", people["creative"]).run()
    assert at.error[0].value == (
        "Acme Drinks · Spring Launch has a $0 budget: paid work is refused (drafts are free)."
    )
    assert at.dataframe[-1].value["Used"].tolist() == [1.0]


def test_admins_raise_a_budget_others_cannot(screen, people, campaign, session):
    at = screen("costs", people["admin"]).run()
    at.selectbox(key="costs_raise_campaign").set_value(campaign.id)
    at.number_input(key="costs_raise_budget").set_value(120.0)
    at.button(key="FormSubmitter:costs_raise-Set budget").click().run()
    assert at.success[0].value == "Budget of Acme Drinks · Spring Launch set to $120.00."
    session.expire_all()
    assert session.get(Campaign, campaign.id).budget_usd == 120.0
    creative = screen("costs", people["creative"]).run()
    assert not creative.get("form")
    with pytest.raises(PermissionDenied, match="cannot raise budgets"):
        campaigns.update_campaign(session=session, actor=people["creative"],
                                  campaign_id=campaign.id, budget_usd=500.0)  # fmt: skip


def test_viewers_are_refused(screen, people, spend):
    at = screen("costs", people["viewer"]).run()
    assert [e.value for e in at.error] == ["Your role (viewer) cannot see costs."]
    assert not at.metric and not at.dataframe
