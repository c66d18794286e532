"""`user add` takes the password from stdin (or a prompt) so it never shows in the process list."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _user_add(stdin: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", "user", "add", "ada", "--role", "admin", *extra],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


def test_the_password_is_read_from_stdin_when_not_given(studio_env):
    done = _user_add("sea-glass-lantern-42\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["username"] == "ada"
    from core.accounts import users
    from core.db import session_scope

    with session_scope() as session:
        assert users.authenticate(session=session, username="ada", password="sea-glass-lantern-42")


def test_a_weak_password_from_stdin_is_one_line_of_refusal_and_no_account(studio_env):
    done = _user_add("password\n")
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: password: too easy to guess (This is a top-10 common password); try a few "
        "unrelated words, or a longer phrase"
    ]
    from core.accounts import users
    from core.db import session_scope

    with session_scope() as session:
        assert users.count_users(session=session) == 0
