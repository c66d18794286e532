"""Field accuracy of the offline brief parser over tests/briefs_corpus (issue 16).

Run: .venv/bin/python bench/bench_brief_parsing.py [-v]
(-v: also print every miss, expected vs found)

Each corpus file goes through the project's own `extract_text` and `parse_brief`; its fields are
scored against tests/briefs_corpus/expected.json, which holds what a careful person would copy
out of the brief (an empty string, empty list or null where the brief does not say).

Scoring: tests/briefs_corpus/scoring.py. Briefs named `holdout_*` and `unseen_*` were written,
in two rounds, by someone who had not seen the parser's rules: each set's figure on first
contact (in BENCHMARKS.md) is the honest one for briefs the rules were not shaped on; they are
printed on their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.briefs_corpus.scoring import (  # noqa: E402
    CORPUS,
    FIELDS,
    LIST_FIELDS,
    BriefResult,
    corpus_files,
    expected_fields,
    run_brief,
)

VERBOSE = "-v" in sys.argv[1:]


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


def _summary(label: str, results: list[BriefResult]) -> None:
    if not results:
        return
    total = len(results) * len(FIELDS)
    correct = sum(s.correct for r in results for s in r.scores.values())
    given = [s for r in results for s in r.scores.values() if not s.expected_empty]
    absent = [s for r in results for s in r.scores.values() if s.expected_empty]
    print(
        f"{label}: {correct} / {total} = {_pct(correct, total).strip()}"
        f"  (fields the brief gives: {sum(s.correct for s in given)} / {len(given)};"
        f" left empty when absent: {sum(s.correct for s in absent)} / {len(absent)})"
    )


def main() -> None:
    expected = expected_fields()
    on_disk = corpus_files()
    unlisted = sorted(set(on_disk) - set(expected))
    if unlisted:
        print(f"warning: not in expected.json, skipped: {', '.join(unlisted)}")
    missing_files = sorted(set(expected) - set(on_disk))
    if missing_files:
        sys.exit(f"missing corpus files: {', '.join(missing_files)}")
    results = [run_brief(name, expected[name]) for name in sorted(expected)]
    print(f"Offline brief parser over {len(results)} briefs in {CORPUS.relative_to(ROOT)}\n")
    print_fields(results)
    print_briefs(results)
    if VERBOSE:
        print_misses(results, expected)
    print()
    _summary("Overall field accuracy", results)
    for prefix, label in (("holdout_", "first blind set"), ("unseen_", "second blind set")):
        _summary(f"  {label} ({prefix}*)", [r for r in results if r.name.startswith(prefix)])
    blind = ("holdout_", "unseen_")
    _summary("  the rest", [r for r in results if not r.name.startswith(blind)])


if __name__ == "__main__":
    main()
