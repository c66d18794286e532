"""Clients & campaigns: forms write rows, bad input is named and writes nothing, roles, demo."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.models import Campaign, Client, Generation
from tests.utils.factories import make_client

NEW = "clients_new_0"


def _clients(session) -> dict[str, Client]:
    session.expire_all()
    return {c.name: c for c in session.exec(select(Client))}


def _campaigns(session) -> dict[str, Campaign]:
    session.expire_all()
    return {c.name: c for c in session.exec(select(Campaign))}


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_are_refused(screen, people, campaign, role):
    at = screen("clients", people[role]).run()
    assert [e.value for e in at.error] == [f"Your role ({role}) cannot manage clients."]
    assert not at.button and not at.text_input and not at.dataframe


def test_create_a_client_with_guidelines_and_palette(screen, people, session):
    at = screen("clients", people["creative"]).run()
    at.text_input(key=f"{NEW}_name").input("Beta Co")
    at.text_area(key=f"{NEW}_guidelines").input("Calm and precise.")
    at.text_input(key=f"{NEW}_negative").input("no clutter")
    at.color_picker(key=f"{NEW}_palette_new").pick("#aa0011")
    at.button(key=f"{NEW}_palette_add").click().run()
    at.text_input(key=f"{NEW}_palette_code").input("#00ff88")
    at.button(key=f"{NEW}_palette_add").click().run()
    at.button(key=f"{NEW}_palette_remove_0").click().run()
    assert [p.value for p in at.color_picker if "_pick_" in p.key] == ["#00FF88"]
    at.button(key=f"{NEW}_submit").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Client 'Beta Co' created."
    client = _clients(session)["Beta Co"]
    assert (client.guidelines, client.negative_prompt, client.palette) == (
        "Calm and precise.", "no clutter", ["#00FF88"],
    )  # fmt: skip
    assert at.selectbox(key="clients_client").value == client.id
    assert at.query_params["client"] == client.id
    assert at.text_input(key="clients_new_1_name").value == ""  # the form starts empty again


def test_a_second_client_is_listed_and_chosen_in_the_browser_too(screen, people, campaign, session):
    at = screen("clients", people["creative"]).run()
    assert at.selectbox(key="clients_client").value == campaign.client_id
    at.text_input(key=f"{NEW}_name").input("Beta Co")
    at.button(key=f"{NEW}_submit").click().run()
    beta = _clients(session)["Beta Co"]
    select = at.selectbox(key="clients_client")
    assert select.options == ["Acme Drinks", "Beta Co"]
    assert select.value == beta.id
    # A browser keeps its own choice for a keyed select unless the page sends a new one.
    assert select.proto.set_value and select.proto.raw_value == "Beta Co"
    assert f"Edit {beta.name}" in [e.label for e in at.expander]


def test_a_bad_palette_colour_is_named_and_not_added(screen, people, session):
    at = screen("clients", people["creative"]).run()
    at.text_input(key=f"{NEW}_palette_code").input("#12345")
    at.button(key=f"{NEW}_palette_add").click().run()
    assert [e.value for e in at.error] == [
        "palette: '#12345' is not a colour; use #RRGGBB, e.g. #1A2B3C"
    ]
    assert not [p for p in at.color_picker if "_pick_" in p.key]
    assert _clients(session) == {}


def test_empty_and_duplicate_names_are_refused_and_nothing_is_written(
    screen, people, campaign, session
):
    at = screen("clients", people["creative"]).run()
    at.button(key=f"{NEW}_submit").click().run()
    assert [e.value for e in at.error] == ["name: give a name of 1-120 characters"]
    at.text_input(key=f"{NEW}_name").input("Acme Drinks")
    at.button(key=f"{NEW}_submit").click().run()
    assert [e.value for e in at.error] == ["A client named 'Acme Drinks' already exists."]
    assert list(_clients(session)) == ["Acme Drinks"]


def test_a_clients_sound_direction_is_saved_for_its_music(screen, people, campaign, session):
    edit = f"clients_edit_{campaign.client_id}"
    at = screen("clients", people["creative"]).run()
    at.text_input(key=f"{edit}_sound").input("warm acoustic guitar, no vocals")
    at.button(key=f"{edit}_save").click().run()
    assert not at.error
    assert _clients(session)["Acme Drinks"].sound_direction == "warm acoustic guitar, no vocals"


def test_edit_and_archive_a_client(screen, people, campaign, session):
    edit = f"clients_edit_{campaign.client_id}"
    at = screen("clients", people["creative"]).run()
    at.text_area(key=f"{edit}_guidelines").input("Bold and loud.")
    at.button(key=f"{edit}_palette_remove_2").click().run()
    at.button(key=f"{edit}_save").click().run()
    assert at.success[0].value == "Client 'Acme Drinks' saved."
    client = _clients(session)["Acme Drinks"]
    assert (client.guidelines, client.palette) == ("Bold and loud.", ["#FF6B35", "#004E89"])
    at.button(key=f"{edit}_archive").click().run()
    assert _clients(session)["Acme Drinks"].archived
    assert at.info[0].value.startswith("No clients yet")  # archived ones are hidden by default
    at.toggle(key="clients_archived").set_value(True).run()
    assert at.selectbox(key="clients_client").options == ["Acme Drinks (archived)"]


def test_campaigns_show_items_and_spend_and_can_be_created(screen, people, campaign, session):
    paid = Generation(
        kind="image", model="google/nano-banana", client_id=campaign.client_id,
        campaign_id=campaign.id, status="succeeded", cost_usd=0.039,
    )  # fmt: skip
    session.add(paid)
    session.commit()
    at = screen("clients", people["creative"]).run()
    table = at.dataframe[0].value
    assert table[["Campaign", "Budget (USD)", "Items", "Spent (USD)"]].values.tolist() == [
        ["Spring Launch", 50.0, 1, 0.04]
    ]
    new = f"clients_newcmp_{campaign.client_id}_0"
    at.text_input(key=f"{new}_name").input("Summer")
    at.number_input(key=f"{new}_budget").set_value(20.0)
    at.button(key=f"{new}_submit").click().run()
    assert at.success[0].value == "Campaign 'Summer' created for Acme Drinks."
    assert _campaigns(session)["Summer"].budget_usd == 20.0
    assert "Summer" in at.dataframe[0].value["Campaign"].tolist()


def test_only_admins_raise_a_campaign_budget(screen, people, campaign, session):
    edit = f"clients_editcmp_{campaign.id}"
    at = screen("clients", people["creative"]).run()
    at.number_input(key=f"{edit}_budget").set_value(80.0)
    at.button(key=f"{edit}_save").click().run()
    assert [e.value for e in at.error] == ["Your role (creative) cannot raise budgets."]
    assert _campaigns(session)["Spring Launch"].budget_usd == 50.0
    at = screen("clients", people["admin"]).run()
    at.number_input(key=f"{edit}_budget").set_value(80.0)
    at.button(key=f"{edit}_save").click().run()
    assert at.success[0].value == "Campaign 'Spring Launch' saved."
    assert _campaigns(session)["Spring Launch"].budget_usd == 80.0


def test_archive_a_campaign(screen, people, campaign, session):
    at = screen("clients", people["creative"]).run()
    at.button(key=f"clients_editcmp_{campaign.id}_arch").click().run()
    assert _campaigns(session)["Spring Launch"].archived
    assert at.dataframe[0].value["Status"].tolist() == ["archived"]


def test_admin_loads_demo_data_on_an_empty_database(screen, people, session):
    at = screen("clients", people["creative"]).run()
    assert "clients_demo" not in _keys(at)  # creatives are not offered the demo
    at = screen("clients", people["admin"]).run()
    at.button(key="clients_demo").click().run()
    made = len(session.exec(select(Generation)).all())
    # The count is what was made, as the table and the Gallery show it (a text -> video shot
    # makes its start image too).
    assert at.success[0].value == f"Demo loaded: Northwind Coffee, {made} items queued."
    assert made == at.dataframe[0].value["Items"].tolist()[0] == 9
    assert "Northwind Coffee" in _clients(session)
    assert "clients_demo" not in _keys(at)  # no longer empty
    assert at.dataframe[0].value["Items"].tolist()[0] > 0


def test_demo_asked_for_once_the_database_has_a_client_says_why_not(screen, people, session):
    at = screen("clients", people["admin"]).run()
    make_client(session, people["creative"], "Beta Co")  # added while the offer is on screen
    at.button(key="clients_demo").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Demo data loads only into an empty database; it already has clients."
    ]
    assert list(_clients(session)) == ["Beta Co"]
    assert "clients_demo" not in _keys(at)


def _keys(at) -> set[str]:
    return {b.key for b in at.button}


def test_a_budget_past_10_million_is_named_and_nothing_is_written(
    screen, people, campaign, session
):
    at = screen("clients", people["admin"]).run()
    at.text_input(key=f"{NEW}_name").input("Huge Co")
    at.number_input(key=f"{NEW}_budget").set_value(1e308)
    at.button(key=f"{NEW}_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Budget: must be between 0 and 10,000,000 USD"]
    assert list(_clients(session)) == ["Acme Drinks"]
    edit = f"clients_editcmp_{campaign.id}"
    at.number_input(key=f"{edit}_budget").set_value(2e7)
    at.button(key=f"{edit}_save").click().run()
    assert [e.value for e in at.error] == ["Budget: must be between 0 and 10,000,000 USD"]
    assert _campaigns(session)["Spring Launch"].budget_usd == 50.0
