"""Draft engine speed: image 1024x1024, 5 s 720p video, 30 s music (median of runs after a warm-up).

Targets on this 2-core machine: image <= 0.2 s, video <= 2 s, music <= 1 s.
Run: .venv/bin/python bench/bench_draft_engine.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.media.draft.image import render_image  # noqa: E402
from core.media.draft.music import render_music  # noqa: E402
from core.media.draft.video import render_video  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
PROMPT = "a can of sparkling water on a sunlit kitchen counter, morning light"
META = {"prompt": PROMPT, "model": "bench", "seed": "1"}


def median_s(fn) -> float:
    fn(0)
    samples = []
    for i in range(1, RUNS + 1):
        t0 = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="bench-draft-"))
    palette = ["#6EC6FF", "#FFE066", "#1F2A44"]
    still = out / "still.png"
    cases = {
        "image 1024x1024 PNG": (0.2, lambda i: render_image(
            prompt=PROMPT, width=1024, height=1024, palette=palette, seed=i, fmt="png",
            out_path=still, metadata=META)),
        "video 5 s 1280x720 24 fps": (2.0, lambda i: render_video(
            start_image=still, width=1280, height=720, duration_s=5, fps=24, seed=i,
            out_path=out / "v.mp4", metadata=META)),
        "music 30 s WAV": (1.0, lambda i: render_music(
            prompt="upbeat 118 BPM", duration_s=30, seed=i, fmt="wav", out_path=out / "m.wav",
            metadata=META)),
        "music 30 s MP3": (1.0, lambda i: render_music(
            prompt="upbeat 118 BPM", duration_s=30, seed=i, fmt="mp3", out_path=out / "m.mp3",
            metadata=META)),
    }  # fmt: skip
    print(f"{'draft render':28} {'median s':>9}  target   ({RUNS} runs after a warm-up)")
    for name, (target, fn) in cases.items():
        seconds = median_s(fn)
        verdict = "PASS" if seconds <= target else "FAIL"
        print(f"{name:28} {seconds:9.3f}  <= {target:<4}  {verdict}")


if __name__ == "__main__":
    main()
