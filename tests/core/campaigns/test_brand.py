"""Brand guidelines in the prompt a model sees."""

from core.campaigns import clients
from core.campaigns.brand import effective_prompt
from core.models import Campaign, Client


def test_a_music_prompt_gets_the_guidelines_words_but_no_palette_or_visual_negatives(
    session, campaign
):
    client = clients.get_client(session=session, client_id=campaign.client_id)
    music = effective_prompt("upbeat 120 BPM", client=client, campaign=campaign, kind="audio")
    assert "Bright, optimistic, clean" in music.text
    assert "#FF6B35" not in music.text and "Avoid" not in music.text and music.negative == ""


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
