"""Fields in prose: emails, chat and unlabelled paragraphs (core.briefs.prose via parse_brief)."""

import pytest

from core.briefs.parse import parse_brief


def test_one_sentence_feeds_two_fields_without_sharing_words():
    fields = parse_brief(
        "It should feel curious and hands-on, and the music should be plucky and modern."
    )
    assert fields.tone == "Curious and hands-on"
    assert fields.music == "Plucky and modern"


def test_a_clear_statement_beats_a_passing_phrase_earlier_in_the_brief():
    fields = parse_brief(
        "We need a short video to get people to try it. The main thing is to drive trial in "
        "June — we would love to see it at the beach."
    )
    assert fields.objective == "Drive trial in June"


@pytest.mark.parametrize(
    "line",
    [
        "Please end on « Réservez votre table ».",
        "Closing line on screen: „Réservez votre table“",
        "The ad should finish on “Réservez votre table” and nothing else.",
        "End on ‘Réservez votre table’.",
        'end line "Réservez votre table" pls',
    ],
)
def test_the_quoted_line_the_ad_ends_on_is_the_call_to_action(line):
    assert parse_brief(line).call_to_action == "Réservez votre table"


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Budget is about $40k all in.", 40_000),
        ("budget's tiny, like 3k.", 3_000),
        ("Budget : 18\u00a0000 USD (taxes excluded).", 18_000),
        ("We have USD 60k for this.", 60_000),
        ("We can spend roughly $25k on production.", 25_000),
    ],
)
def test_a_budget_mentioned_in_passing(sentence, amount):
    assert parse_brief(sentence).budget_usd == amount


def test_a_price_in_a_message_is_not_a_budget():
    assert (
        parse_brief("Key points : the lunch menu at 24 $ ; ready in 45 minutes.").budget_usd is None
    )


def test_a_length_inside_a_sentence_that_names_the_format():
    fields = parse_brief("Please make it around 30 seconds, with a 9:16 cut for TikTok.")
    assert (fields.duration_s, fields.aspect_ratios, fields.platforms) == (30, ["9:16"], ["TikTok"])


def test_a_length_that_is_not_the_videos_is_not_taken():
    assert parse_brief("Three things to know: it folds in 10 seconds.").duration_s is None


def test_an_agency_spot_length_in_inch_marks():
    assert parse_brief('Deliverables\n- 1 × 30" hero film, 16:9 (YouTube)').duration_s == 30


EMAIL = """From: Jonas <jonas@example.com>
Subject: brief

Hi Marcus,

The campaign is called „Stadt ohne Stau“ (roughly „City without traffic“).
The people we’re after are commuters between 25 and 45 — they care about time, not specs.
No music brief yet — we’ll send a track later.

Best,
Jonas

--
Jonas Becker
Head of Growth · Veloform GmbH

On Tue, 3 Jun 2025 at 16:12, Marcus <marcus@example.com> wrote:
> Could you send the brief? Budget: $1,000,000 and must-haves would be ideal.
"""


def test_an_email_gives_its_title_audience_and_the_brand_in_its_signature():
    fields = parse_brief(EMAIL)
    assert fields.title == "Stadt ohne Stau"
    assert fields.brand == "Veloform"
    assert fields.audience == ("Commuters between 25 and 45 — they care about time, not specs")


def test_an_email_leaves_empty_what_it_does_not_give():
    fields = parse_brief(EMAIL)
    assert fields.music is None  # "no music brief yet" is not a direction
    assert fields.budget_usd is None  # the quoted reply is not the brief
    assert fields.mandatories == []
    assert {"music", "budget_usd", "mandatories"} <= set(fields.missing)


def test_who_the_ad_is_for_needs_people_not_a_product():
    assert parse_brief("It’s for dog owners who read labels.").audience == (
        "Dog owners who read labels"
    )
    assert parse_brief("It’s for the Veloform Pendler 2, our new e-bike.").audience is None


def test_a_chat_message_in_lower_case():
    fields = parse_brief(
        "hey! so for the Brightside Dental thing — client wants a quick 10 sec bumper for "
        "youtube, 16:9, just to push the new evening appointments. target is busy parents "
        "30-45. make it feel reassuring + upbeat. must show the smile logo + the phone number. "
        'end line "Evenings are for smiles now." no music, just sfx'
    )
    assert fields.brand == "Brightside Dental"
    assert fields.objective == "Push the new evening appointments"
    assert fields.audience == "Busy parents 30-45"
    assert fields.tone == "Reassuring + upbeat"
    assert fields.mandatories == ["The smile logo", "The phone number"]
    assert fields.call_to_action == "Evenings are for smiles now."
    assert fields.music == "No music, just sfx"
    assert fields.duration_s == 10


def test_a_bulleted_list_of_fields_with_nested_messages():
    fields = parse_brief(
        "- Who: women 30–50\n"
        "- What to say:\n"
        "  - new formula\n"
        "  - now cheaper\n"
        "- Must-haves: show the bottle\n"
        "- Music: soft lo-fi beat\n"
        "- tone should be dry and witty\n"
        "- objective = 2,500 sign-ups\n"
    )
    assert fields.audience == "women 30–50"  # as written
    assert fields.key_messages == ["new formula", "now cheaper"]
    assert fields.mandatories == ["show the bottle"]
    assert fields.music == "soft lo-fi beat"
    assert fields.tone == "Dry and witty"
    assert fields.objective == "2,500 sign-ups"


def test_question_headings_name_their_fields():
    fields = parse_brief(
        "What are we trying to achieve?\nGrow sales by 25%.\n\n"
        "Who are we talking to?\nCouples aged 30–45.\n\n"
        "How should it feel?\nQuiet and intimate.\n"
    )
    assert (fields.objective, fields.audience, fields.tone) == (
        "Grow sales by 25%.", "Couples aged 30–45.", "Quiet and intimate."
    )  # fmt: skip


def test_a_title_line_naming_brand_and_campaign():
    fields = parse_brief("Creative Brief\nNorthway Credit Union — “Money, Minus the Jargon”\n")
    assert (fields.brand, fields.title) == ("Northway Credit Union", "Money, Minus the Jargon")


def test_colours_in_the_tone_section_are_the_palettes():
    fields = parse_brief("Tone: Epic and loud. Lean on the Season 3 colours, ember red #D7263D.\n")
    assert fields.tone == "Epic and loud."
    assert fields.palette == ["#D7263D"]
