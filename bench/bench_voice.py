"""Voice and captions: seconds to make 30 s of draft voice (target <= 1 s), and a 30 s final ad
composed with burned-in captions against the same ad without them (6 scenes of 5 s at 720p,
draft clips, a line in every scene, music, the call to action).

Run: .venv/bin/python bench/bench_voice.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LINES = (
    "Spring is here, and the city is waking up.",
    "Light layers for long afternoons, made to move with you.",
    "Soft cotton in colours picked from the first warm days.",
    "Pockets for everything you carry, and nothing you don't.",
    "Wear it to work, wear it to the park, wear it all season.",
    "Shop the spring collection today at brewco.com.",
)
PASSAGE = " ".join(LINES) + " " + " ".join(LINES[:4])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, {cpu}; load average {load:.1f} at start"


def cpu_s() -> float:
    """CPU seconds used so far by this process and its finished children (ffmpeg, eSpeak):
    steadier than wall time on a machine others share."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_draft_voice(repeat: int) -> None:
    from core.media.draft.voice import synthesize

    for label, texts in (("one passage", [PASSAGE]), (f"{len(LINES)} lines", list(LINES))):
        walls, cpus, spoken = [], [], 0.0
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), cpu_s()
            spoken = sum(synthesize(text).duration_s for text in texts)
            walls.append(time.perf_counter() - t0)
            cpus.append(cpu_s() - c0)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"draft voice, {label}: {spoken:.1f} s of speech in {wall:.3f} s wall, "
              f"{cpu:.3f} s CPU (median of {repeat}) -> {wall * 30 / spoken:.3f} s wall "
              f"per 30 s of voice")  # fmt: skip


def _inputs(work: Path):
    from core.media.compose import Clip
    from core.media.draft.image import render_image
    from core.media.draft.music import render_music
    from core.media.draft.video import render_video
    from core.media.draft.voice import render_voice
    from core.media.mix import VoiceLine

    clips, voices = [], []
    for i, line in enumerate(LINES):
        still, clip = work / f"frame{i}.png", work / f"clip{i}.mp4"
        render_image(prompt=f"spring jackets, scene {i + 1}", width=1344, height=768,
                     palette=["#2E86AB", "#F6F5AE"], seed=i, fmt="png", out_path=still,
                     metadata={})  # fmt: skip
        render_video(start_image=still, width=1280, height=720, duration_s=5, fps=24, seed=i,
                     out_path=clip, metadata={})  # fmt: skip
        clips.append(Clip(clip, 5.0))
        voice = work / f"line{i}.wav"
        render_voice(text=line, out_path=voice, metadata={})
        voices.append(VoiceLine(i, voice, line))
    music = work / "music.wav"
    render_music(prompt="upbeat 120 BPM", duration_s=30, seed=1, fmt="wav", out_path=music,
                 metadata={})  # fmt: skip
    return clips, voices, music


def bench_compose(repeat: int) -> None:
    from core.media.compose import compose

    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        work = Path(tmp)
        clips, voices, music = _inputs(work)
        runs: dict[str, list[tuple[float, float]]] = {}
        for _ in range(repeat):
            for label, captions, lines in (("no voice, no captions", False, []),
                                           ("voice, no captions", False, voices),
                                           ("voice and captions", True, voices)):  # fmt: skip
                t0, c0 = time.perf_counter(), cpu_s()
                result = compose(clips=clips, out_path=work / "ad.mp4", width=1280, height=720,
                                 music=music, call_to_action="Shop spring at brewco.com",
                                 voices=lines, captions=captions,
                                 palette=["#2E86AB", "#FFCC00"])  # fmt: skip
                runs.setdefault(label, []).append((time.perf_counter() - t0, cpu_s() - c0))
                loud = result.loudness
                info = (f"route {result.route}, {len(result.cues)} captions, "
                        f"{loud.integrated_lufs:.1f} LUFS, {loud.true_peak_dbtp:.1f} dBTP"
                        if loud else result.route)  # fmt: skip
                wall, cpu = runs[label][-1]
                print(f"  {label}: {wall:.2f} s wall, {cpu:.2f} s CPU ({info})")
        print("30 s ad, 6 scenes at 720p (median of each):")
        for label, timings in runs.items():
            wall = statistics.median(t[0] for t in timings)
            cpu = statistics.median(t[1] for t in timings)
            print(f"  {label:24s} {wall:.2f} s wall, {cpu:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    bench_draft_voice(args.repeat)
    bench_compose(args.repeat)


if __name__ == "__main__":
    main()
