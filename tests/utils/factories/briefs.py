"""Brief fields as the parser gives them (the Spring Launch brief, and shorter cuts of it for
quick renders), and where the sample brief files are."""

from pathlib import Path

SPRING_FIELDS = {
    "title": "Taste the Light — Spring 2027",
    "brand": "Lumen Beverages",
    "objective": "Launch the new yuzu-ginger flavour and lift trial among first-time buyers.",
    "audience": "Urban professionals aged 25-40",
    "key_messages": [
        "Zero sugar, real fruit flavour.",
        "Yuzu-ginger is new and limited for spring.",
        "Lumen is the bright, easy swap for soda.",
    ],
    "tone": "Bright, playful, optimistic.",
    "palette": ["#6EC6FF", "#FFE066"],
    "call_to_action": "Find Lumen Yuzu-Ginger in the chiller aisle — this spring only.",
    "duration_s": 30,
    "aspect_ratios": ["16:9", "9:16"],
    "platforms": ["YouTube"],
    "mandatories": [
        "Show the can with the new yuzu label in the final shot.",
        "Logo end card for at least 2 seconds.",
    ],
    "music": "Upbeat indie-pop feel, around 110 BPM, no vocals.",
    "budget_usd": 250.0,
}
# A 6 s cut of it: two 3 s scenes (a hook, the end card), quick to make frames and renders for.
SHORT_FIELDS = {**SPRING_FIELDS, "duration_s": 6, "key_messages": ["Zero sugar."]}
# Two short scenes (2 s each) keep renders quick: a 2 s end card after a 2 s hook.
TINY_FIELDS = {**SPRING_FIELDS, "duration_s": 4, "key_messages": [], "mandatories": []}


def _shared_dir() -> Path:
    """The team's shared folder: beside the checkout (`../shared`), else where it lives here."""
    beside = Path(__file__).resolve().parents[4] / "shared"
    return beside if beside.is_dir() else Path("/work/shared")


SAMPLE_BRIEFS = _shared_dir() / "samples" / "briefs"
