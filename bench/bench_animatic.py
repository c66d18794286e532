"""The animatic: a 30 s, 6-scene storyboard played as a rough cut on the draft engine, inline
(target: a few seconds on two cores). Timed from the click to the stored row: frames painted
where a scene has none, music, voice lines, the one-pass draw and encode, the poster, the store.

Run: .venv/bin/python bench/bench_animatic.py [runs]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TMP = tempfile.mkdtemp(prefix="bench-animatic-")
# The in-memory queue runs each step at once: the frames of the "with frames" case are made
# before the clock starts.
os.environ.update(STUDIO_DATA_DIR=TMP, STUDIO_QUEUE_URL="memory://", STUDIO_BCRYPT_ROUNDS="4")


def _machine() -> str:
    info = Path("/proc/cpuinfo")
    names = [line.split(":", 1)[1].strip() for line in info.read_text().splitlines()
             if line.startswith("model name")] if info.exists() else []  # fmt: skip
    return f"{names[0] if names else platform.machine()}, {os.cpu_count()} CPUs"


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _board(session, people, campaign, **changes):
    from core.storyboards import editing as sb
    from tests.utils.factories import SPRING_FIELDS

    board = sb.create_from_brief(session=session, actor=people["creative"],
                                 campaign_id=campaign.id, fields=SPRING_FIELDS)  # fmt: skip
    if changes:
        sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                             **changes)  # fmt: skip
    session.commit()
    return board


def _make(creative, board_id: str, force: bool):
    from core.db import session_scope
    from core.storyboards import animatic

    with session_scope() as s:
        return animatic.make_animatic(session=s, actor=creative, storyboard_id=board_id,
                                      force=force)  # fmt: skip


def _timed(runs: int, make) -> tuple[float, float, Any]:
    walls, cpus, made = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), _cpu()
        made = make()
        walls.append(time.perf_counter() - t0)
        cpus.append(_cpu() - c0)
    return statistics.median(walls), statistics.median(cpus), made


def main(runs: int) -> None:
    from core.db import session_scope
    from core.storyboards import animatic, frames
    from core.storyboards import editing as sb
    from tests.utils.factories import make_campaign, make_people

    with session_scope() as s:
        people = make_people(s)
        campaign = make_campaign(s, people["admin"])
        cases = {
            "cut, frames painted": _board(s, people, campaign),
            "crossfade, frames painted": _board(s, people, campaign, transition="crossfade"),
            "cut, draft frames made": _board(s, people, campaign),
        }
        frames.generate_frames(session=s, actor=people["creative"],
                               storyboard_id=cases["cut, draft frames made"].id)  # fmt: skip
        s.commit()
    creative = people["creative"]
    board = next(iter(cases.values()))
    with session_scope() as s:
        scenes = sb.scenes_of(s, board.id)
    voiced = sum(bool(x.voice_line.strip()) for x in scenes)
    _make(creative, board.id, True)  # warm: imports, fonts, the encoder's first start
    print(f"machine: {_machine()}, load {os.getloadavg()[0]:.2f}; {len(scenes)} scenes, "
          f"{sum(x.duration_s for x in scenes)} s, {voiced} voice lines, "
          f"{animatic.RESOLUTION} {animatic.FPS} fps; median of {runs}")  # fmt: skip
    for name, case in cases.items():
        wall, cpu, made = _timed(runs, partial(_make, creative, case.id, True))
        row = made.animatic
        print(f"  {name:28} {wall:5.2f} s wall, {cpu:5.2f} s CPU  "
              f"({row.width}x{row.height}, {row.duration_s:.2f} s, "
              f"{row.media_bytes / 1e6:.1f} MB)")  # fmt: skip
    wall, _, made = _timed(runs, partial(_make, creative, board.id, False))
    print(f"  asked again, unchanged board   {wall * 1000:5.0f} ms (made: {made.made})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
