"""Field accuracy of the offline brief parser over tests/briefs_corpus (issue 16).

Run: .venv/bin/python bench/bench_brief_parsing.py [-v]
(-v: also print every miss, expected vs found)

Each corpus file goes through the project's own `extract_text` and `parse_brief`; its fields are
scored against tests/briefs_corpus/expected.json, which holds what a careful person would copy
out of the brief (an empty string, empty list or null where the brief does not say).

Scoring, after normalising text (case, whitespace, curly/angled quotes, dashes, NBSP):
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
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "briefs_corpus"
VERBOSE = "-v" in sys.argv[1:]

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
    from core.briefs.extract import extract_text
    from core.briefs.parse import parse_brief
    from core.errors import ValidationError

    result = BriefResult(name)
    try:
        text = extract_text(name, (CORPUS / name).read_bytes())
        result.found = parse_brief(text).model_dump(exclude={"missing"})
    except ValidationError as error:  # the file could not be read: every field counts as missed
        result.error = str(error)
    for key in FIELDS:
        result.scores[key] = score_field(key, expected.get(key), result.found.get(key))
    return result


def _pct(numerator: int | float, denominator: int) -> str:
    return f"{100 * numerator / denominator:5.1f} %" if denominator else "    -  "


def print_fields(results: list[BriefResult]) -> None:
    print("Per field (found-correct / expected = briefs that give the field; kept empty = briefs")
    print("that do not, where the parser also left it empty; accuracy over all briefs)")
    header = (
        f"{'field':<15} {'found-correct':>14} {'kept empty':>11} {'invented':>9} {'accuracy':>9}"
    )
    print(header + "   list P / R")
    print("-" * (len(header) + 14))
    for key in FIELDS:
        scores = [r.scores[key] for r in results]
        given = [s for s in scores if not s.expected_empty]
        absent = [s for s in scores if s.expected_empty]
        invented = sum(not s.found_empty for s in absent)
        line = (
            f"{key:<15} {sum(s.correct for s in given):>6} / {len(given):<5} "
            f"{sum(s.correct for s in absent):>4} / {len(absent):<4} {invented:>9} "
            f"{_pct(sum(s.correct for s in scores), len(scores)):>9}"
        )
        if key in LIST_FIELDS and given:
            precision = sum(s.precision or 0 for s in given) / len(given)
            recall = sum(s.recall or 0 for s in given) / len(given)
            line += f"   {precision:.2f} / {recall:.2f}"
        print(line)


def print_briefs(results: list[BriefResult]) -> None:
    print("\nPer brief")
    width = max(len(r.name) for r in results)
    for result in results:
        correct = sum(s.correct for s in result.scores.values())
        missed = ", ".join(k for k, s in result.scores.items() if not s.correct)
        note = f"  (not read: {result.error})" if result.error else ""
        print(f"{result.name:<{width}}  {correct:>2} / {len(FIELDS)}  "
              f"{_pct(correct, len(FIELDS))}  missed: {missed or '-'}{note}")  # fmt: skip


def print_misses(results: list[BriefResult], expected: dict) -> None:
    print("\nMisses (expected -> found)")
    for result in results:
        for key, score in result.scores.items():
            if not score.correct:
                want, got = expected[result.name].get(key), result.found.get(key)
                print(f"{result.name} {key}:\n    expected {want!r}\n    found    {got!r}")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    expected: dict = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    on_disk = sorted(
        p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".pdf", ".docx")
    )
    unlisted = sorted(set(on_disk) - set(expected))
    if unlisted:
        print(f"warning: not in expected.json, skipped: {', '.join(unlisted)}")
    missing_files = sorted(set(expected) - set(on_disk))
    if missing_files:
        sys.exit(f"missing corpus files: {', '.join(missing_files)}")
    results = [run_brief(name, expected[name]) for name in sorted(expected)]
    total = len(results) * len(FIELDS)
    correct = sum(s.correct for r in results for s in r.scores.values())
    given = [s for r in results for s in r.scores.values() if not s.expected_empty]
    absent = [s for r in results for s in r.scores.values() if s.expected_empty]
    print(f"Offline brief parser over {len(results)} briefs in {CORPUS.relative_to(ROOT)}\n")
    print_fields(results)
    print_briefs(results)
    if VERBOSE:
        print_misses(results, expected)
    print(
        f"\nOverall field accuracy: {correct} / {total} = {_pct(correct, total).strip()}"
        f"  (fields the brief gives: {sum(s.correct for s in given)} / {len(given)};"
        f" left empty when absent: {sum(s.correct for s in absent)} / {len(absent)})"
    )


if __name__ == "__main__":
    main()
