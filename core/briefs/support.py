"""Whether a brief's own text supports the fields an LLM read from it, and the merge of the two
parsers: the LLM's value where the text bears it out, the offline parser's everywhere else.

An LLM fills gaps with plausible guesses (an audience, a budget, a brand colour); a brief tool
must not, so each value it gives is checked against the words, numbers, colours and ratios that
are actually in the text. The checks are lenient about form (case, curly quotes, dashes, "60k",
"$25,000", "30-second", ":30", "vertical") and strict about substance.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from core.briefs.fields import ASPECT_RATIOS, LIST_FIELDS, BriefFields, normalise_hex

# Share of a value's content words that must be in the brief: a short value must be there whole;
# a longer sentence may be reworded a little, not invented.
WORD_SHARE = 0.7
# Names must appear as written, words in order: "Land Connected" is not in a brief that says
# "lands in shops" and "connected TV".
NAMES = ("title", "brand")
MONEY_TOLERANCE = 0.01

_STOPWORDS = frozenset(
    "a an and are as at be but by for from has have in into is it its of on or our so that the "
    "their them they this to was we will with who you your us not no than then there these those "
    "should must can may about around approx approximately roughly".split()
)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "«": '"', "»": '"', "‹": "'", "›": "'", "–": "-", "—": "-", "‒": "-",
                         "―": "-", "−": "-", "‐": "-", "‑": "-", "×": "x"})  # fmt: skip
_WORD_RE = re.compile(r"[^\W_]+")
# Platforms and channels people write more than one way; each maps to one name.
_ALIASES = {"ig": "instagram", "insta": "instagram", "yt": "youtube", "fb": "facebook",
            "ctv": "connected tv"}  # fmt: skip
# A word that names its platform too: "Reels" are Instagram's, as the offline parser reads them.
_IMPLIED = {"reel": "instagram"}
# Words that name a frame shape without its numbers. "Portrait" and "landscape" count only next
# to a word about format: "the competitive landscape" is not a ratio.
_RATIO_WORDS = {
    "vertical": {"9:16"}, "upright": {"9:16"}, "horizontal": {"16:9"}, "widescreen": {"16:9"},
    "square": {"1:1"}, "reels": {"9:16"}, "tiktok": {"9:16"},
    "portrait": {"9:16", "4:5", "3:4", "2:3"}, "landscape": {"16:9", "3:2", "4:3"},
}  # fmt: skip
_RATIO_WORD_RE = re.compile(
    r"\b(vertical|upright|horizontal|widescreen|square|reels|tiktok|tik tok)\b"
    r"|\b(?:in |as )?(portrait|landscape)(?= (?:format|mode|orientation|version|video|cut|crop))"
    r"|\b(?:in|as) (portrait|landscape)\b"
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "forty-five": 45, "forty five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}  # fmt: skip
_AMOUNT_RE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[ ,.]\d{3})+(?!\d)(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?(?!\d))"
    r"\s*(k|m|mn|mio|million|millions|thousand|thousands|grand)?(?![a-z])"
)
# Seconds and minutes in the languages briefs here arrive in (en, fr, de, es).
_UNITS = ("s", "sec", "secs", "second", "seconds", "seconde", "secondes", "sek", "sekunde",
          "sekunden", "seg", "segundo", "segundos", "min", "mins", "minute", "minutes", "minuten",
          "minuto", "minutos")  # fmt: skip
_UNIT = r"(" + "|".join(_UNITS) + r")\b"
_SECONDS_RE = re.compile(r"(?<![\d.])(\d+(?:[.,]\d+)?)\s*-?\s*" + _UNIT)
# "in their 20s and 30s", "under-30s", "late 30s": ages, not lengths.
_AGES_RE = re.compile(r"(?:their|late|early|mid|under|over|aged|in the|\d0s (?:and|or|to))\W*$")
# A number in words needs a space or dash before its unit: "tens" is not "ten s".
_WORD_SECONDS_RE = re.compile(
    r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")[\s-]+" + _UNIT
)
# 30" (or 30'' or 30″): seconds as scripts and production schedules write them.
_PRIME_RE = re.compile(r"(?<![\d.])(\d+)\s*(?:\"|''|′′|″)")
_CLOCK_RE = re.compile(r"(?<![\d:])(\d{1,2})?:(\d{2})(?![\d:])")
_CUE_RE = re.compile(r"\b(?:duration|length|runtime|run time)\W{0,3}(\d+)\b")
_RATIO_RE = re.compile(r"(?<![\d.])(\d{1,4})\s*[:x/]\s*(\d{1,4})(?![\d.])")
_HEX_RE = re.compile(r"#([0-9a-f]{6}|[0-9a-f]{3})\b|\b([0-9a-f]{6})\b")


def normalise(text: str) -> str:
    """Lower case, compatibility forms (non-breaking spaces, full-width digits) and one kind of
    quote and dash, so a value and the brief compare however either was typed."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()


def _stem(word: str) -> str:
    # Enough to match "launching"/"launch", "professionals"/"professional", "stories"/"story",
    # "loved"/"love": the same cut on both sides, not a real stemmer.
    for suffix in ("ing", "ies", "ed", "es", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _words(text: str) -> list[str]:
    found = _WORD_RE.findall(normalise(text))
    return [_stem(w) for word in found for w in _ALIASES.get(word, word).split()]


def _content_words(text: str) -> list[str]:
    # A lone letter is what is left of "grandmother's" or "don't", not a word to look for.
    return [w for w in _words(text) if w not in _STOPWORDS and (len(w) > 1 or w.isdigit())]


def _compact(text: str) -> str:
    return "".join(_words(text))


def _amounts(text: str) -> set[float]:
    """Every amount written in the text, read both ways where a separator is ambiguous
    ("18 000", "25,000", "25.000", "2,5"), times its multiplier ("60k", "1.2 million")."""
    scale = {"k": 1e3, "thousand": 1e3, "thousands": 1e3, "grand": 1e3, "m": 1e6, "mn": 1e6,
             "mio": 1e6, "million": 1e6, "millions": 1e6}  # fmt: skip
    found: set[float] = set()
    for digits, suffix in _AMOUNT_RE.findall(text):
        for reading in (digits.replace(",", "").replace(" ", ""),
                        digits.replace(".", "").replace(" ", "").replace(",", ".")):  # fmt: skip
            try:
                value = float(reading)
            except ValueError:
                continue
            found.add(value * scale.get(suffix, 1.0))
    return found


def _an_age(text: str, match: re.Match) -> bool:
    """Whether a "<number>s" is a decade of age ("their 20s") rather than seconds ("a 30s spot")."""
    return match[0] == match[1] + "s" and bool(_AGES_RE.search(text, 0, match.start()))


def _durations(text: str) -> set[int]:
    """Seconds written as a length: "30 s", "30-second", "1.5 minutes", "thirty seconds", ":30",
    "0:30", '30"', "Duration: 30"."""
    found: set[int] = set()
    pairs = [(float(m[1].replace(",", ".")), m[2]) for m in _SECONDS_RE.finditer(text)
             if not _an_age(text, m)]  # fmt: skip
    pairs += [(float(_NUMBER_WORDS[n]), u) for n, u in _WORD_SECONDS_RE.findall(text)]
    for number, unit in pairs:
        found.add(round(number * (60 if unit.startswith("min") else 1)))
    found.update(int(m or 0) * 60 + int(s) for m, s in _CLOCK_RE.findall(text))
    found.update(int(n) for n in _PRIME_RE.findall(text))
    found.update(int(n) for n in _CUE_RE.findall(text))
    return found


def _ratios(text: str) -> set[str]:
    """Ratios named ("16:9", "9 x 16", "1080x1920") or implied by a word ("vertical")."""
    found: set[str] = set()
    for a, b in ((int(a), int(b)) for a, b in _RATIO_RE.findall(text)):
        if a and b:
            d = math.gcd(a, b)
            found.add(f"{a // d}:{b // d}")
    for match in _RATIO_WORD_RE.finditer(text):
        word = next(w for w in match.groups() if w).replace(" ", "")
        found |= _RATIO_WORDS[word]
    return found & set(ASPECT_RATIOS)


def _colours(text: str) -> set[str]:
    found = set()
    for tagged, bare in _HEX_RE.findall(text):
        # A bare six-letter word ("facade") is a word; a bare code needs a digit in it.
        if tagged or any(c.isdigit() for c in bare):
            found.add(normalise_hex(tagged or bare))
    return {c for c in found if c}


class Evidence:
    """What a brief's text says, read once, to check values against."""

    def __init__(self, text: str):
        plain = normalise(text)
        words = _words(text)
        self.run = f" {' '.join(words)} "
        self.words = set(words) | {_IMPLIED[w] for w in words if w in _IMPLIED}
        # Runs of up to three words run together, so "Tik Tok" supports "TikTok".
        self.compacts = {"".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words))}
        self.amounts = _amounts(plain)
        self.durations = _durations(plain)
        self.ratios = _ratios(plain)
        self.colours = _colours(plain)

    def supports_words(self, value: str) -> bool:
        words = _content_words(value)
        if not words:
            return _compact(value) in self.compacts
        present = sum(1 for w in words if w in self.words)
        return present / len(words) >= WORD_SHARE or _compact(value) in self.compacts

    def supports_name(self, value: str) -> bool:
        return f" {' '.join(_words(value))} " in self.run

    def supports_item(self, name: str, item: str) -> bool:
        if name == "palette":
            return normalise_hex(item) in self.colours
        if name == "aspect_ratios":
            return item in self.ratios
        return self.supports_words(item)

    def supports(self, name: str, value: Any) -> bool:
        if name == "duration_s":
            return value in self.durations
        if name == "budget_usd":
            return any(abs(value - amount) < MONEY_TOLERANCE for amount in self.amounts)
        if name in NAMES:
            return self.supports_name(value)
        return self.supports_words(value)


def _merge_list(evidence: Evidence, name: str, llm: list[str], offline: list[str]) -> list[str]:
    kept = [item for item in llm if evidence.supports_item(name, item)]
    return kept or offline


def _merge_one(evidence: Evidence, name: str, llm: Any, offline: Any) -> Any:
    if llm is None or llm == []:
        return offline
    if name in LIST_FIELDS:
        return _merge_list(evidence, name, llm, offline)
    return llm if evidence.supports(name, llm) else offline


def merge(llm: BriefFields, offline: BriefFields, text: str) -> tuple[BriefFields, tuple[str, ...]]:
    """The LLM's fields where `text` supports them, the offline parser's elsewhere; and the names
    of the fields where something the LLM gave was dropped, in form order."""
    evidence = Evidence(text)
    merged: dict[str, Any] = {}
    dropped: list[str] = []
    for name in BriefFields.model_fields:
        ours, theirs = getattr(llm, name), getattr(offline, name)
        merged[name] = _merge_one(evidence, name, ours, theirs)
        if _lost(ours, merged[name]):
            dropped.append(name)
    return BriefFields.model_validate(merged), tuple(dropped)


def _lost(given: Any, kept: Any) -> bool:
    """Whether any of what the LLM gave is not in the merged value."""
    if given is None or given == []:
        return False
    if isinstance(given, list):
        return not set(given) <= set(kept)
    return given != kept
