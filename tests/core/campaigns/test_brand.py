"""Brand guidelines in the prompt a model sees."""

from core.campaigns import clients
from core.campaigns.brand import effective_prompt


def test_a_music_prompt_gets_the_guidelines_words_but_no_palette_or_visual_negatives(
    session, campaign
):
    client = clients.get_client(session=session, client_id=campaign.client_id)
    music = effective_prompt("upbeat 120 BPM", client=client, campaign=campaign, kind="audio")
    assert "Bright, optimistic, clean" in music.text
    assert "#FF6B35" not in music.text and "Avoid" not in music.text and music.negative == ""
