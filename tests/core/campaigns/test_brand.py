"""Brand guidelines in the prompt a model sees."""

from core.campaigns import clients
from core.campaigns.brand import EffectivePrompt, brand_rules, effective_prompt
from core.models import Campaign, Client


def test_music_gets_the_sound_direction_and_none_of_the_visual_rules(session, people, campaign):
    client = clients.update_client(session=session, actor=people["admin"],
                                   client_id=campaign.client_id,
                                   sound_direction="warm acoustic guitar, no vocals")  # fmt: skip
    campaign.guidelines = "Summer light, #FFD23F accents."
    music = effective_prompt("upbeat 120 BPM", client=client, campaign=campaign, kind="audio")
    assert music == EffectivePrompt(
        "upbeat 120 BPM. Sound direction: warm acoustic guitar, no vocals.", ""
    )
    for kind in ("image", "video"):  # the visual rules, and never the sound direction
        shown = effective_prompt("a can", client=client, campaign=campaign, kind=kind)
        assert shown.text == (
            "a can. Brand guidelines: Bright, optimistic, clean. Summer light, #FFD23F accents. "
            "Palette: #FF6B35, #004E89, #F7F7F2. Avoid: no text artifacts."
        )
        assert shown.negative == "no text artifacts"


def test_music_of_a_client_with_no_sound_direction_is_the_prompt_alone(session, campaign):
    client = clients.get_client(session=session, client_id=campaign.client_id)
    assert brand_rules(client=client, campaign=campaign, kind="audio").sentences == ()
    music = effective_prompt("upbeat 120 BPM", client=client, campaign=campaign, kind="audio")
    assert music == EffectivePrompt("upbeat 120 BPM.", "")


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
