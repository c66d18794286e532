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


def test_the_data_dir_and_its_databases_are_readable_by_their_owner_only(
    sqlite_only, real_queue, people
):
    import stat

    from core import jobs
    from core.accounts.login_cookie import cookie_signing_key
    from core.db import get_engine
    from core.media import store

    with get_engine().begin() as conn:  # a write, so SQLite has made its WAL
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS probe (x)")
    jobs.get_queue()
    cookie_signing_key()
    store.media_dir()
    data = real_queue
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.iterdir() if p.is_file()]
    assert {"studio.db", "studio.db-wal", "queue.db"} <= {p.name for p in files}
    loose = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files
             if stat.S_IMODE(p.stat().st_mode) & 0o077}  # fmt: skip
    assert not loose, f"readable by others: {loose}"
