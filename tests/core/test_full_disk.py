"""A full disk fails work cleanly, with a message that says so: the job ends `failed` ("the disk
is full"), the worker stays alive for the next job once space is freed, and the CLI prints one
line. A real full disk: a small tmpfs mounted for the test (the tests run as root, as CI does)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.config import reset_settings
from core.db import dispose_engines
from core.errors import DISK_FULL
from tests.integration.driving import drive, row, submit

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_disk(tmp_path, sqlite_only):
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


@pytest.fixture
def media_on_small_disk(small_disk, monkeypatch, tmp_path):
    """The database stays on the roomy disk; media (and scratch) go to the small one."""
    monkeypatch.setenv("STUDIO_DATABASE_URL", f"sqlite:///{tmp_path / 'studio.db'}")
    monkeypatch.setenv("STUDIO_DATA_DIR", str(small_disk))
    reset_settings()
    return small_disk


def test_a_job_on_a_full_disk_fails_saying_so_and_the_next_one_runs(
    media_on_small_disk, session, people, campaign
):
    small_disk = media_on_small_disk
    filler = _fill(small_disk)
    image = submit(session, people["creative"], campaign, "image", "local/draft-image")
    (failed,) = drive(image.id)
    assert failed.status == "failed" and failed.error == DISK_FULL
    filler.unlink()  # space freed: the same worker goes on
    again = submit(session, people["creative"], campaign, "image", "local/draft-image")
    (done,) = drive(again.id)
    assert done.status == "succeeded" and row(image.id).status == "failed"


def test_the_cli_on_a_full_disk_prints_one_line(small_disk, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(small_disk))
    dispose_engines()
    reset_settings()
    env_python = [sys.executable, "-m", "core"]
    made = subprocess.run(
        [*env_python, "user", "add", "ada", "--role", "admin"], cwd=ROOT,
        input="sea-glass-lantern-42\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    _fill(small_disk)
    done = subprocess.run([*env_python, "client", "add", "Full Disk Co", "--palette", "#FF6B35"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == f"error: {DISK_FULL}"
    assert "Traceback" not in done.stderr
