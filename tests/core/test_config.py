"""Every setting an operator can give is documented in the README's settings table."""

from __future__ import annotations

import re
from pathlib import Path

from core.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _documented_variables() -> set[str]:
    text = README.read_text()
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_setting_is_in_the_readme_settings_table():
    settings = {name.upper() for name in Settings.model_fields}
    missing = settings - _documented_variables()
    assert not missing, f"settings missing from README.md's settings table: {sorted(missing)}"


def test_the_readme_documents_no_setting_that_does_not_exist():
    settings = {name.upper() for name in Settings.model_fields}
    unknown = _documented_variables() - settings
    assert not unknown, f"README.md documents settings core.config does not read: {sorted(unknown)}"
