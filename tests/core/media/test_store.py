"""The media store's scratch dirs on a volume several machines share."""

from __future__ import annotations

import socket

from core.media import store


def test_scratch_is_swept_only_by_its_own_machine(studio_env):
    """On a volume shared by several machines a pid says nothing about another machine's
    process: its work dirs are left for it to sweep."""
    with store.scratch_dir() as mine:
        assert mine.exists()
    root = store.media_dir() / "tmp"
    dead_here = root / f"{socket.gethostname().replace('-', '_')}-999999-abc"
    elsewhere = root / "render_box_2-999999-abc"  # same pid, another machine's: maybe alive
    for folder in (dead_here, elsewhere):
        folder.mkdir()
        (folder / "part.mp4").write_bytes(b"...")
    assert store.sweep_scratch() == 1
    assert not dead_here.exists() and elsewhere.exists()
