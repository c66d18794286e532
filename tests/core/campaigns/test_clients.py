"""Clients: brand guidelines and palette, who may manage them, unique names, and budgets (a
client's and its campaigns': the 0 to 10 million range, who may raise one)."""

import pytest

from core.campaigns import campaigns, clients
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import Campaign, Client


def test_client_with_brand_guidelines_and_palette(session, people):
    client = clients.create_client(
        session=session,
        actor=people["creative"],
        name="  Northwind ",
        palette="#aabbcc, #112233",
        guidelines="Warm and human.",
        negative_prompt="no logos of competitors",
    )
    assert client.name == "Northwind" and client.palette == ["#AABBCC", "#112233"]


def test_bad_palette_is_refused_and_nothing_is_written(session, people):
    with pytest.raises(ValidationError, match="'#12345' is not a colour"):
        clients.create_client(
            session=session, actor=people["admin"], name="X", palette="#12345,#FFFFFF"
        )
    assert session.exec(clients.select(Client)).all() == []


def test_viewers_and_reviewers_cannot_manage_clients(session, people):
    for role in ("viewer", "reviewer"):
        with pytest.raises(PermissionDenied, match=f"Your role \\({role}\\) cannot manage clients"):
            clients.create_client(session=session, actor=people[role], name="X")


def test_duplicate_names_conflict(session, people, campaign):
    with pytest.raises(Conflict):
        clients.create_client(session=session, actor=people["admin"], name="Acme Drinks")
    with pytest.raises(Conflict, match="'Acme Drinks' already exists"):  # case does not make two
        clients.create_client(session=session, actor=people["admin"], name="ACME drinks")
    other = clients.create_client(session=session, actor=people["admin"], name="Other Co")
    with pytest.raises(Conflict, match="'Acme Drinks' already exists"):
        clients.update_client(session=session, actor=people["admin"], client_id=other.id,
                              name="acme drinks")  # fmt: skip
    clients.update_client(
        session=session, actor=people["admin"], client_id=campaign.client_id, name="ACME Drinks"
    )  # renaming itself, in another case, is fine
    with pytest.raises(Conflict):
        campaigns.create_campaign(
            session=session,
            actor=people["admin"],
            client_id=campaign.client_id,
            name="Spring Launch",
        )


BUDGET_RANGE = "Budget: must be between 0 and 10,000,000 USD"


@pytest.mark.parametrize("budget", [1e308, 10_000_000.01, float("inf"), float("nan"), -1.0])
def test_a_budget_outside_0_to_10_million_is_refused_and_nothing_is_written(
    session, people, campaign, budget
):
    admin = people["admin"]
    with pytest.raises(ValidationError, match=f"^{BUDGET_RANGE}$"):
        clients.create_client(session=session, actor=admin, name="Huge", budget_usd=budget)
    with pytest.raises(ValidationError, match=f"^{BUDGET_RANGE}$"):
        campaigns.create_campaign(session=session, actor=admin, client_id=campaign.client_id,
                                  name="Huge", budget_usd=budget)  # fmt: skip
    with pytest.raises(ValidationError, match=f"^{BUDGET_RANGE}$"):
        clients.update_client(session=session, actor=admin, client_id=campaign.client_id,
                              budget_usd=budget)  # fmt: skip
    with pytest.raises(ValidationError, match=f"^{BUDGET_RANGE}$"):
        campaigns.update_campaign(session=session, actor=admin, campaign_id=campaign.id,
                                  budget_usd=budget)  # fmt: skip
    session.expire_all()
    assert [c.name for c in session.exec(clients.select(Client))] == ["Acme Drinks"]
    assert [(c.name, c.budget_usd) for c in session.exec(clients.select(Campaign))] == [
        ("Spring Launch", 50.0)
    ]
    assert session.get(Client, campaign.client_id).budget_usd is None


def test_a_budget_of_exactly_10_million_is_allowed(session, people, campaign):
    updated = campaigns.update_campaign(session=session, actor=people["admin"],
                                        campaign_id=campaign.id, budget_usd=10_000_000)  # fmt: skip
    assert updated.budget_usd == 10_000_000


def test_only_admins_raise_a_client_budget(session, people, campaign):
    client_id = campaign.client_id
    clients.update_client(session=session, actor=people["creative"], client_id=client_id,
                          budget_usd=100)  # fmt: skip
    with pytest.raises(PermissionDenied, match="raise budgets"):
        clients.update_client(
            session=session, actor=people["creative"], client_id=client_id, budget_usd=150
        )
    raised = clients.update_client(
        session=session, actor=people["admin"], client_id=client_id, budget_usd=150
    )
    assert raised.budget_usd == 150
