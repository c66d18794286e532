"""The merge of an LLM's reading with the offline parser's: what the brief's text supports is
kept, however it is typed; what it does not is dropped for the offline parser's value, and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.briefs.extract import extract_text
from core.briefs.fields import BriefFields
from core.briefs.support import merge

EMAIL = """Subject: Fwd: spring spot

Hi team, we’d like a 30-second vertical spot for Reels and Tik Tok to launch Corbel’s
three-course lunch. We’re talking to office workers nearby who eat at their desk.
It should feel warm, generous — a little nostalgic.
End on “Book your table at corbel.ca”. Colours: burgundy #7a1f2b and cream #F4EBDD.
We have about 60k for this.
"""
NOTHING = BriefFields()


def _merged(text: str = EMAIL, offline: BriefFields = NOTHING, **llm):
    return merge(BriefFields(**llm), offline, text)


def test_what_the_text_says_is_kept_however_it_is_typed():
    fields, dropped = _merged(
        audience="Office workers nearby who eat at their desk",
        tone="Warm, generous - a little nostalgic",  # the brief has an em dash
        call_to_action='"Book your table at corbel.ca"',  # the brief has curly quotes
        duration_s=30,  # "30-second"
        budget_usd=60000,  # "60k"
        palette=["#7A1F2B", "#f4ebdd"],
        aspect_ratios=["9:16"],  # "vertical"
        platforms=["Instagram Reels", "TikTok"],  # "Reels", "Tik Tok"
    )
    assert dropped == ()
    assert fields.budget_usd == 60000 and fields.duration_s == 30
    assert fields.palette == ["#7A1F2B", "#F4EBDD"] and fields.aspect_ratios == ["9:16"]
    assert fields.platforms == ["Instagram Reels", "TikTok"]


def test_an_invented_audience_and_budget_are_dropped_for_the_offline_parsers_reading():
    offline = BriefFields(audience="office workers nearby", budget_usd=None, brand="Corbel")
    fields, dropped = _merged(
        offline=offline,
        brand="Corbel",
        audience="Urban millennials who love brunch",
        budget_usd=50000,
        duration_s=30,
    )
    assert dropped == ("audience", "budget_usd")
    assert fields.audience == "office workers nearby"  # the offline parser's, not the guess
    assert fields.budget_usd is None and "budget_usd" in fields.missing
    assert (fields.brand, fields.duration_s) == ("Corbel", 30)  # supported: the LLM's


def test_list_items_are_checked_one_by_one():
    fields, dropped = _merged(
        palette=["#7A1F2B", "#000000"],  # black is nowhere in the brief
        platforms=["TikTok", "YouTube"],
        aspect_ratios=["9:16", "16:9"],
    )
    assert fields.palette == ["#7A1F2B"] and fields.platforms == ["TikTok"]
    assert fields.aspect_ratios == ["9:16"]
    assert dropped == ("palette", "aspect_ratios", "platforms")


def test_a_list_with_nothing_supported_falls_back_to_the_offline_list():
    offline = BriefFields(key_messages=["Three-course lunch"])
    fields, dropped = _merged(offline=offline, key_messages=["Free dessert on Fridays"])
    assert fields.key_messages == ["Three-course lunch"] and dropped == ("key_messages",)


def test_what_the_llm_leaves_empty_the_offline_parser_fills():
    offline = BriefFields(music="an accordion waltz", duration_s=30)
    fields, dropped = _merged(offline=offline)
    assert (fields.music, fields.duration_s, dropped) == ("an accordion waltz", 30, ())


def test_a_reworded_sentence_is_kept_a_different_one_is_not():
    text = "We want commuters to try our new yuzu-ginger flavour before summer."
    kept, _ = _merged(text, objective="Get commuters to try the new yuzu-ginger flavour")
    assert kept.objective == "Get commuters to try the new yuzu-ginger flavour"
    gone, dropped = _merged(text, objective="Grow market share against the big soda brands")
    assert gone.objective is None and dropped == ("objective",)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("a :30 for TV", 30), ("runs 0:45", 45), ("a one-minute film", 60),
     ("Duration: 20", 20), ("fifteen seconds, no more", 15), ("a 1.5 min cut", 90)],
)  # fmt: skip
def test_a_length_is_supported_however_it_is_written(text, seconds):
    assert _merged(text, duration_s=seconds) == (BriefFields(duration_s=seconds), ())


@pytest.mark.parametrize(
    ("text", "usd"),
    [("Budget: $25,000.", 25000), ("around 18 000 USD", 18000), ("£1.2m all in", 1_200_000),
     ("we can spend 2,500 on it", 2500), ("roughly $25k", 25000)],
)  # fmt: skip
def test_an_amount_is_supported_however_it_is_written(text, usd):
    assert _merged(text, budget_usd=usd) == (BriefFields(budget_usd=usd), ())


@pytest.mark.parametrize(
    ("text", "duration", "budget"),
    [("a 30% lift in trial", 30, None), ("Budget: $250", None, 2500),
     ("tens of seconds", 10, None)],
)  # fmt: skip
def test_a_number_the_text_does_not_give_as_such_is_dropped(text, duration, budget):
    fields, dropped = _merged(text, duration_s=duration, budget_usd=budget)
    assert (fields.duration_s, fields.budget_usd) == (None, None) and dropped


def test_landscape_as_a_word_is_not_a_ratio():
    text = "The competitive landscape is crowded; we need a square version for the feed."
    fields, dropped = _merged(text, aspect_ratios=["16:9", "1:1"])
    assert fields.aspect_ratios == ["1:1"] and dropped == ("aspect_ratios",)


CORPUS = Path(__file__).resolve().parents[2] / "briefs_corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())
OWN_WORDS = ("title", "brand", "objective", "audience", "tone", "call_to_action", "music",
             "key_messages", "mandatories", "palette", "budget_usd")  # fmt: skip


def _corpus_text(name: str) -> str:
    return extract_text(name, (CORPUS / name).read_bytes())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_right_reading_of_a_corpus_brief_is_kept_whole(name):
    right = BriefFields.model_validate(EXPECTED[name])
    assert merge(right, NOTHING, _corpus_text(name)) == (right, ())


# A reading of a brief that is in none of the corpus's: what an LLM making things up would give.
INVENTED = {
    "title": "Midnight Orchard", "brand": "Zephyrine Labs",
    "objective": "Sell 9,999 brass telescopes to amateur astronomers in Reykjavik",
    "audience": "Retired lighthouse keepers who collect antique maps",
    "tone": "Gothic, operatic and solemn", "call_to_action": "Phone the lighthouse tonight",
    "music": "Bagpipes and a theremin duet", "key_messages": ["Our telescopes float on water"],
    "mandatories": ["A walrus in every shot"], "palette": ["#123457"], "budget_usd": 987654,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_invented_reading_is_not_taken(name):
    """Names, sentences, colours and a budget the brief does not hold are dropped: the guesses
    the support check is there to catch."""
    guess = BriefFields.model_validate(INVENTED)
    fields, dropped = merge(guess, NOTHING, _corpus_text(name))
    assert [k for k in OWN_WORDS if getattr(fields, k) not in (None, [])] == []
    assert set(dropped) == set(OWN_WORDS)
