"""Scoring a parser's fields against the corpus's expected.json (issue 16): shared by the
benchmark (bench/bench_brief_parsing.py) and the corpus test.

After normalising text (case, whitespace, curly/angled quotes, dashes, NBSP):
- text fields: equal; for long fields (objective, audience, tone, music) also when one contains
  the other and they share >= 80 % of their words;
- list fields: an item matches when normalised equal or (for free-text lists) contained either
  way; precision and recall over items, score 1 only when both are 1;
- numbers: exact.
A field is correct when its score is 1. An expected-empty field is correct only when the parser
left it empty too (the parser must never invent).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.briefs.extract import extract_text
from core.briefs.parse import parse_brief
from core.errors import ValidationError

CORPUS = Path(__file__).resolve().parent
SUFFIXES = (".txt", ".md", ".pdf", ".docx")

TEXT_FIELDS = ("title", "brand", "objective", "audience", "tone", "call_to_action", "music")
LONG_TEXT_FIELDS = ("objective", "audience", "tone", "music")
LIST_FIELDS = ("key_messages", "palette", "aspect_ratios", "platforms", "mandatories")
# Lists of tokens ("#FF5A1F", "9:16") match exactly; free-text items may be contained.
TOKEN_LISTS = ("palette", "aspect_ratios")
NUMBER_FIELDS = ("duration_s", "budget_usd")
FIELDS = (
    "title", "brand", "objective", "audience", "key_messages", "tone", "palette",
    "call_to_action", "duration_s", "aspect_ratios", "platforms", "mandatories", "music",
    "budget_usd",
)  # fmt: skip
WORD_SHARE = 0.8

_QUOTES = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "′": "'", "`": "'",
    "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
})  # fmt: skip
_EDGES = " \"'.,;:!?"


def normalise(text: str | None) -> str:
    """Casefolded, whitespace collapsed, quotes and dashes made plain, outer quotes and trailing
    punctuation dropped: '“Join Northway.” ' and 'join northway' are the same."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).casefold()
    return " ".join(text.split()).strip(_EDGES)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def text_matches(name: str, expected: str, found: str) -> bool:
    e, f = normalise(expected), normalise(found)
    if e == f:
        return True
    if name not in LONG_TEXT_FIELDS or not e or not f or (e not in f and f not in e):
        return False
    we, wf = _words(e), _words(f)
    return len(we & wf) / max(len(we), len(wf), 1) >= WORD_SHARE


def item_matches(name: str, expected: str, found: str) -> bool:
    e, f = normalise(expected), normalise(found)
    if name in TOKEN_LISTS:
        return e == f
    return bool(e and f) and (e == f or e in f or f in e)


@dataclass
class Score:
    correct: bool
    expected_empty: bool
    found_empty: bool
    precision: float | None = None  # list fields only
    recall: float | None = None


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def score_field(name: str, expected, found) -> Score:
    e_empty, f_empty = _empty(expected), _empty(found)
    if e_empty or f_empty:
        lists = name in LIST_FIELDS
        both = e_empty and f_empty
        return Score(both, e_empty, f_empty, *((float(both), float(both)) if lists else ()))
    if name in TEXT_FIELDS:
        return Score(text_matches(name, expected, found), False, False)
    if name in NUMBER_FIELDS:
        return Score(abs(float(expected) - float(found)) < 1e-6, False, False)
    hits_found = sum(any(item_matches(name, e, f) for e in expected) for f in found)
    hits_expected = sum(any(item_matches(name, e, f) for f in found) for e in expected)
    precision, recall = hits_found / len(found), hits_expected / len(expected)
    return Score(precision == recall == 1, False, False, precision, recall)


@dataclass
class BriefResult:
    name: str
    scores: dict[str, Score] = field(default_factory=dict)
    found: dict = field(default_factory=dict)
    error: str = ""


def run_brief(name: str, expected: dict) -> BriefResult:
    result = BriefResult(name)
    try:
        text = extract_text(name, (CORPUS / name).read_bytes())
        result.found = parse_brief(text).model_dump(exclude={"missing"})
    except ValidationError as error:  # the file could not be read: every field counts as missed
        result.error = str(error)
    for key in FIELDS:
        result.scores[key] = score_field(key, expected.get(key), result.found.get(key))
    return result


def expected_fields() -> dict[str, dict]:
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.suffix in SUFFIXES)
