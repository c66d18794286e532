import pytest

from core.campaigns import campaigns, clients
from core.campaigns.brand import effective_prompt
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


def test_campaign_lookup_by_name_and_summary(session, people, campaign):
    found = campaigns.find_campaign(session=session, name="Spring Launch")
    assert found.id == campaign.id
    summary = campaigns.list_campaigns(session=session, actor=people["viewer"])
    assert [(s.campaign.name, s.client_name, s.items, s.spent_usd) for s in summary] == [
        ("Spring Launch", "Acme Drinks", 0, 0.0)
    ]


def test_only_admins_raise_a_budget(session, people, campaign):
    with pytest.raises(PermissionDenied, match="raise budgets"):
        campaigns.update_campaign(
            session=session, actor=people["creative"], campaign_id=campaign.id, budget_usd=500
        )
    updated = campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=500
    )
    assert updated.budget_usd == 500


def test_brand_guidelines_are_merged_into_the_prompt_unless_turned_off(session, campaign):
    client = clients.get_client(session=session, client_id=campaign.client_id)
    on = effective_prompt("a can on a beach", client=client, campaign=campaign)
    assert on.text.startswith("a can on a beach.")
    assert "Bright, optimistic, clean" in on.text and "#FF6B35" in on.text
    assert on.negative == "no text artifacts"
    off = effective_prompt("a can on a beach", client=client, campaign=campaign, apply=False)
    assert off.text == "a can on a beach" and off.negative == ""


def test_guidelines_of_an_empty_prompt_read_as_sentences(session, campaign):
    client = clients.get_client(session=session, client_id=campaign.client_id)
    alone = effective_prompt("  ", client=client, campaign=campaign)
    assert alone.text.startswith("Brand guidelines: ") and ".." not in alone.text
    bare = Client(name="Bare")
    assert effective_prompt("", client=bare, campaign=Campaign(name="c")).text == ""


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
