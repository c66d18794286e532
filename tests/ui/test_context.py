"""The working context: one client and campaign, chosen in the sidebar, kept across pages, in
the URL, with the campaign's spend against its budget beside it."""

from __future__ import annotations

from tests.utils.factories import add_generation_rows, generation_row, make_campaign


def test_a_reviewer_with_no_clients_yet_is_not_sent_to_a_page_they_cannot_open(screen, people):
    at = screen("storyboards", people["reviewer"]).run()
    assert [i.value for i in at.sidebar.info] == [
        "No clients yet: a creative or an admin adds them."
    ]
    creative = screen("storyboards", people["creative"]).run()
    assert [i.value for i in creative.sidebar.info] == [
        "No clients yet: add one on **Clients & campaigns**."
    ]


def _other(session, people, campaign, name="Autumn", budget_usd=None):
    return make_campaign(
        session, people["admin"], name, client_id=campaign.client_id, budget_usd=budget_usd
    )


def test_the_campaign_chosen_on_one_page_is_the_context_of_the_next(
    screen, people, campaign, session
):
    other = _other(session, people, campaign)
    at = screen("studio", people["creative"]).run()
    at.selectbox(key="context_campaign").set_value(other.id).run()
    assert at.query_params["campaign"] == other.id
    # Moving to another page clears the URL's parameters; the choice stays, and goes back in.
    at.session_state["harness_screen"] = "briefs"
    for param in list(at.query_params):
        del at.query_params[param]
    at.run()
    assert at.selectbox(key="context_campaign").value == other.id
    assert at.query_params["campaign"] == other.id and at.query_params["client"]


def test_a_link_with_a_campaign_opens_on_it(screen, people, campaign, session):
    other = _other(session, people, campaign)
    query = {"client": campaign.client_id, "campaign": other.id}
    at = screen("briefs", people["creative"], query=query).run()
    assert at.selectbox(key="context_campaign").value == other.id


def test_the_spend_against_the_budget_is_beside_the_context(screen, people, campaign, session):
    add_generation_rows(session, [
        generation_row(campaign, people["creative"], "image", "google/nano-banana", cost_usd=42.5)
    ])  # fmt: skip
    at = screen("gallery", people["creative"]).run()
    [bar] = at.sidebar.get("progress")
    assert bar.proto.text == f"$42.50 of ${campaign.budget_usd:,.2f} budget"
    assert not screen("gallery", people["viewer"]).run().sidebar.get("progress")  # no costs role


def test_a_campaign_without_a_budget_says_so(screen, people, campaign, session):
    _other(session, people, campaign, name="Aardvark")  # sorted first: the default context
    at = screen("gallery", people["creative"]).run()
    assert "Spent $0.00 · no budget set" in [c.value for c in at.sidebar.caption]
