"""The offline parser: every sample brief in every format, generated variants, and form edits."""

from __future__ import annotations

import pytest

from core.briefs import BriefFields, extract_text, parse_brief, validate_fields
from core.errors import ValidationError
from tests.core.briefs.test_extract import SAMPLES, add_table, docx_bytes

ALL_FIELDS = list(BriefFields.model_fields)

SPRING = {
    "title": "Taste the Light — Spring 2027",
    "brand": "Lumen Beverages",
    "objective": "Launch the new yuzu-ginger flavour and lift trial among first-time buyers by 15% "
    "in the first six weeks.",
    "audience": "Urban professionals aged 25-40 who are cutting back on sugary drinks but still "
    "want something that feels like a treat after work.",
    "key_messages": [
        "Zero sugar, real fruit flavour.",
        "Yuzu-ginger is new and limited for spring.",
        "Lumen is the bright, easy swap for soda.",
    ],
    "tone": "Bright, playful, optimistic. Sunlit kitchens and rooftops, lots of natural light, "
    "pastel palette with the brand's signature sky blue (#6EC6FF) and lemon (#FFE066).",
    "palette": ["#6EC6FF", "#FFE066"],
    "call_to_action": "Find Lumen Yuzu-Ginger in the chiller aisle — this spring only.",
    "duration_s": 30,
    "aspect_ratios": ["16:9", "9:16"],
    "platforms": ["YouTube", "Instagram Reels", "TikTok"],
    "mandatories": [
        "Show the can with the new yuzu label in the final shot.",
        "Logo end card for at least 2 seconds.",
        "No alcohol cues, no one under 18 on screen.",
    ],
    "music": "Upbeat indie-pop feel, around 110 BPM, no vocals.",
    "budget_usd": 250.0,
    "missing": [],
}

TRAILRUNNER = {
    "title": "Own the Ridge",
    "brand": "Northpeak Outdoor",
    "objective": "Build awareness of the Ridgeline TR with trail runners before the autumn race "
    "season.",
    "audience": "Committed trail runners, 28-45, who race 2-4 events a year and read gear "
    "reviews before buying.",
    "key_messages": [
        "Grip you can trust on wet rock, mud and scree.",
        "Vibram-style lugged outsole",
        "280 g per shoe",
        "rock plate",
    ],
    "tone": "Gritty, cinematic, early-morning mountain light. Mist, breath, mud splashes. "
    "Not glossy.",
    "palette": [],
    "call_to_action": "Try them at your local Northpeak store.",
    "duration_s": 20,
    "aspect_ratios": ["9:16"],
    "platforms": ["Instagram Reels"],
    "mandatories": [
        "Northpeak logo at the end.",
        "Show the outsole close-up.",
        "No competitor products visible.",
    ],
    "music": "Driving percussion, building tension, 120 BPM.",
    "budget_usd": None,
    "missing": ["palette", "budget_usd"],
}


def parsed_sample(name: str) -> dict:
    return parse_brief(extract_text(name, (SAMPLES / name).read_bytes())).model_dump()


def only(**fields) -> dict:
    """What parse_brief gives when a brief says just these fields."""
    empty = BriefFields().model_dump()
    expected = {**empty, **fields}
    expected["missing"] = [name for name in ALL_FIELDS if expected[name] in (None, [])]
    return expected


# --- the sample briefs ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["spring-launch.md", "spring-launch.pdf"])
def test_spring_launch_fields(name):
    assert parsed_sample(name) == SPRING


@pytest.mark.parametrize("name", ["trailrunner-shoe.txt", "trailrunner-shoe.docx"])
def test_trailrunner_fields_flag_what_the_brief_does_not_say(name):
    assert parsed_sample(name) == TRAILRUNNER


def test_spring_launch_markdown_and_pdf_give_the_same_fields():
    assert parsed_sample("spring-launch.md") == parsed_sample("spring-launch.pdf")


def test_trailrunner_text_and_word_give_the_same_fields():
    assert parsed_sample("trailrunner-shoe.txt") == parsed_sample("trailrunner-shoe.docx")


def test_parsing_is_deterministic():
    text = extract_text("spring-launch.pdf", (SAMPLES / "spring-launch.pdf").read_bytes())
    assert parse_brief(text) == parse_brief(text)


# --- generated variants --------------------------------------------------------------------------

MARKDOWN_TABLE = """# Brief: Summer Fizz

| Field | Details |
|---|---|
| **Client** | Fizzy Pop Ltd |
| Campaign | Summer Fizz 2027 |
| Objective | Grow summer sales by 10%. |
| Target audience | Students aged 18-24 |
| Key messages | Cherry is back; Zero sugar; Ice cold |
| Tone & style | Loud, funny |
| Deliverables | :15 square spot for Instagram and Facebook |
| CTA | "Grab one today" |
| Must-haves | Logo at the end. Age disclaimer. |
| Music direction | Surf rock, 140 BPM |
| Budget | USD 1,200 |
"""


def test_brief_as_a_markdown_table():
    assert parse_brief(MARKDOWN_TABLE).model_dump() == only(
        title="Summer Fizz 2027",
        brand="Fizzy Pop Ltd",
        objective="Grow summer sales by 10%.",
        audience="Students aged 18-24",
        key_messages=["Cherry is back", "Zero sugar", "Ice cold"],
        tone="Loud, funny",
        call_to_action="Grab one today",
        duration_s=15,
        aspect_ratios=["1:1"],
        platforms=["Instagram", "Facebook"],
        mandatories=["Logo at the end.", "Age disclaimer."],
        music="Surf rock, 140 BPM",
        budget_usd=1200.0,
    )


def test_deliverables_table_with_field_columns():
    text = (
        "Brand: Acme\n\n## Deliverables\n\n| Cut | Duration | Aspect ratio | Platform |\n"
        "| --- | --- | --- | --- |\n| Hero | 45 seconds | 16:9 | YouTube |\n"
        "| Teaser | 6s | 1:1 | LinkedIn |\n"
    )
    fields = parse_brief(text)
    assert (fields.duration_s, fields.aspect_ratios) == (45, ["16:9", "1:1"])
    assert fields.platforms == ["YouTube", "LinkedIn"]


def word_brief_with_table(document) -> None:
    document.add_heading("Creative brief — Harbour Coffee autumn", level=1)
    rows = [
        ("Client", "Harbour Coffee"),
        ("Goal", "Get lapsed customers back in the shop this autumn."),
        ("Audience", "Commuters who stopped coming after the price rise."),
        ("Supporting points", "Same price as last year\nFree refill before 9am"),
        ("Format", "One 15 second widescreen spot for CTV and YouTube"),
        ("Palette", "Espresso #3B2A20, cream #f5e6c8"),
    ]
    add_table(document, rows)
    document.add_paragraph("Key message: Your autumn cup is waiting.")


def test_word_brief_with_a_table():
    fields = parse_brief(extract_text("harbour.docx", docx_bytes(word_brief_with_table)))
    assert fields.model_dump() == only(
        title="Harbour Coffee autumn",
        brand="Harbour Coffee",
        objective="Get lapsed customers back in the shop this autumn.",
        audience="Commuters who stopped coming after the price rise.",
        # The key message leads even though the supporting points come first in the file.
        key_messages=[
            "Your autumn cup is waiting.",
            "Same price as last year",
            "Free refill before 9am",
        ],
        palette=["#3B2A20", "#F5E6C8"],
        duration_s=15,
        aspect_ratios=["16:9"],
        platforms=["CTV", "YouTube"],
    )


PROSE = """Hi team! For our brand, Fizzy Pop, we want a 20 second vertical video for TikTok and
Instagram Reels. The goal is to launch the new cherry flavour before summer. Our audience is
students who snack late at night. The tone should be loud, funny and a bit chaotic. Use our colours
#ff3366 and #222 throughout. The music should be upbeat electro at 110 BPM. Make sure the can is
on screen for the last 3 seconds. End with "Grab a can tonight". The budget is $250.
"""


def test_prose_only_brief():
    assert parse_brief(PROSE).model_dump() == only(
        brand="Fizzy Pop",
        objective="Launch the new cherry flavour before summer",
        audience="Students who snack late at night",
        tone="Loud, funny and a bit chaotic",
        palette=["#FF3366", "#222222"],
        call_to_action="Grab a can tonight",
        duration_s=20,
        aspect_ratios=["9:16"],
        platforms=["TikTok", "Instagram Reels"],
        mandatories=["The can is on screen for the last 3 seconds"],
        music="Upbeat electro at 110 BPM",
        budget_usd=250.0,
    )


PDF_LIKE = (
    'Creative Brief — Lumen: "Taste\n the Light" launch\nClient: Lumen\nKey messages\n'
    "\uf0b7 Zero sugar.\n\x7f Real fruit.\n• Made in Ghent.\n– Bright and easy, the swap for\n"
    "soda.\n* Limited edition.\nObjective\nLift trial among first-time buyers in the first six\n"
    "weeks.\nMusic\nCalm piano, 90 BPM."
)


def test_pdf_bullet_glyphs_and_line_wraps():
    fields = parse_brief(PDF_LIKE)
    assert fields.key_messages == [
        "Zero sugar.",
        "Real fruit.",
        "Made in Ghent.",
        "Bright and easy, the swap for soda.",
        "Limited edition.",
    ]
    assert fields.objective == "Lift trial among first-time buyers in the first six weeks."
    # No Campaign label: the first line is the title, its wrap joined, "Creative Brief —" dropped.
    assert fields.title == 'Lumen: "Taste the Light" launch'
    assert (fields.brand, fields.music) == ("Lumen", "Calm piano, 90 BPM.")


def test_a_pdf_line_starting_with_a_dash_continues_the_sentence():
    text = "Call to action\nFind Lumen Yuzu-Ginger in the chiller aisle\n— this spring only."
    assert parse_brief(text).call_to_action == (
        "Find Lumen Yuzu-Ginger in the chiller aisle — this spring only."
    )


def test_bold_labels_and_bold_headings():
    text = "**Client:** Acme\n**Tone**: Calm.\n\n**Mandatories**\n\n- Logo.\n- Legal line.\n"
    fields = parse_brief(text)
    assert (fields.brand, fields.tone, fields.mandatories) == (
        "Acme",
        "Calm.",
        ["Logo.", "Legal line."],
    )


def test_bulleted_list_of_fields():
    fields = parse_brief("- Brand: Acme\n- Objective: Sell soup.\n- Budget: 300\n")
    assert (fields.brand, fields.objective, fields.budget_usd) == ("Acme", "Sell soup.", 300.0)


# --- single fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("Budget: $250", 250.0),
        ("Budget: USD 250", 250.0),
        ("Budget: 250 dollars", 250.0),
        ("Budget: €300 for generation", 300.0),
        ("Budget: $1,500.50", 1500.5),
        ("Budget: $2.5k", 2500.0),
        ("Budget: 400", 400.0),
        ("We can spend $90 on this.", 90.0),
        ("Budget: to be confirmed", None),
        ("Call to action: Save $5 today.", None),
    ],
)
def test_budget(text, budget):
    assert parse_brief(text).budget_usd == budget


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("Format: one 15-second cut", 15),
        ("Format: one 15 second cut", 15),
        ("Format: 30s hero, 6s bumper", 30),
        ("Deliverables: a :30 spot and a :15", 30),
        ("Format: a thirty-second film", 30),
        ("Format: 1 minute brand film", 60),
        ("Duration: 45", 45),
        ("We need a 12 second clip, logo for 2 seconds at the end.", 12),
        ("Keep the spot to 15 seconds.", 15),
        ("Hold the logo for 2 seconds.", None),
    ],
)
def test_duration(text, seconds):
    assert parse_brief(text).duration_s == seconds


@pytest.mark.parametrize(
    ("text", "ratios"),
    [
        ("Format: 16:9 and 9:16", ["16:9", "9:16"]),
        ("Format: 4:5 feed post", ["4:5"]),
        ("Format: vertical", ["9:16"]),
        ("Format: square and widescreen", ["1:1", "16:9"]),
        ("Format: horizontal", ["16:9"]),
        ("A square video for the feed.", ["1:1"]),
        ("Shot in the town square at 10:30.", []),
        ("A portrait photographer tells her story.", []),
    ],
)
def test_aspect_ratios(text, ratios):
    assert parse_brief(text).aspect_ratios == ratios


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("Platforms: youtube, Tik Tok, IG", ["YouTube", "TikTok", "Instagram"]),
        (
            "Platforms: Reels, Instagram Stories, FB",
            ["Instagram Reels", "Instagram Stories", "Facebook"],
        ),
        ("Platforms: X/Twitter, LinkedIn, Snapchat", ["X", "LinkedIn", "Snapchat"]),
        (
            "Platforms: Pinterest, connected TV, YouTube Shorts",
            ["Pinterest", "CTV", "YouTube Shorts"],
        ),
        ("A sizzle reel of the best bits.", []),
    ],
)
def test_platforms(text, platforms):
    assert parse_brief(text).platforms == platforms


def test_bpm_stays_in_music_and_is_no_duration_or_budget():
    fields = parse_brief("Music: around 110 BPM, no vocals.")
    assert fields.music == "around 110 BPM, no vocals."
    assert (fields.duration_s, fields.budget_usd) == (None, None)


def test_hex_colours_anywhere_uppercased_once_each():
    text = (
        "Tone: warm, #ffaa00 accents.\nNotes: keep #FFAA00, #0a0 (green) and #222 text;"
        " not #bad hashtags or ticket #123."
    )
    assert parse_brief(text).palette == ["#FFAA00", "#00AA00", "#222222"]


def test_nothing_is_invented():
    assert parse_brief("Objective: Sell more soup.").model_dump() == only(
        objective="Sell more soup."
    )


@pytest.mark.parametrize("text", ["", "   \n\n", "CREATIVE BRIEF"])
def test_empty_brief_flags_every_field(text):
    assert parse_brief(text).missing == ALL_FIELDS


# --- fields edited in the form -------------------------------------------------------------------


def test_form_edit_is_normalised_and_missing_recomputed():
    edited = {**SPRING, "palette": "#6ec6ff, fa0", "aspect_ratios": "16 x 9\n9:16",
              "key_messages": "One.\n\nTwo.", "music": " ", "budget_usd": ""}  # fmt: skip
    fields = validate_fields(edited)
    assert fields.palette == ["#6EC6FF", "#FFAA00"]
    assert fields.aspect_ratios == ["16:9", "9:16"]
    assert fields.key_messages == ["One.", "Two."]
    assert fields.missing == ["music", "budget_usd"]


def test_form_edit_errors_name_each_bad_field():
    edited = {**SPRING, "palette": ["#6EC6FF", "sky blue"], "duration_s": -5,
              "aspect_ratios": ["7:3"], "budget_usd": "lots"}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        validate_fields(edited)
    assert caught.value.fields == {
        "palette": "palette: 'sky blue' is not a colour; use #RRGGBB, e.g. #6EC6FF",
        "duration_s": "duration_s: a whole number of seconds from 1 to 600",
        "aspect_ratios": "aspect_ratios: '7:3' is not an aspect ratio; use one of "
        "1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9, 9:21",
        "budget_usd": "budget_usd: an amount in US dollars, 0 or more",
    }


def test_form_edit_with_an_unknown_field_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_fields({**SPRING, "colour": "red"})
    assert caught.value.fields == {"colour": "colour: not a brief field"}


def test_parsed_fields_round_trip_through_the_form():
    fields = parse_brief(MARKDOWN_TABLE)
    assert validate_fields(fields.model_dump()) == fields
