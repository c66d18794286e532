"""Final ads to share: rendered for real, or the row and files a render leaves, made in a
fraction of the time from one short H.264 file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from core.media import outputs
from core.media.ffmpeg import run_ffmpeg
from core.models import Campaign, Generation, Storyboard, User
from core.storyboards import final_ad
from tests.utils.factories import (
    TINY_FIELDS,
    add_generation_rows,
    approve_storyboard,
    generation_row,
    make_storyboard,
)


def render(session: Session, creative: User, board: Storyboard) -> Generation:
    """The board's final ad, rendered (the unit-test queue runs each step at once)."""
    plan = final_ad.render(session=session, actor=creative, storyboard_id=board.id,
                           resolution="480p")  # fmt: skip
    session.expire_all()
    ad = session.get(Generation, plan.composites[0].id)
    assert ad is not None and ad.status == "succeeded", ad and ad.error
    return ad


def make_ad_file(path: Path, seconds: int = 2) -> Path:
    """`seconds` of 480p H.264 with AAC sound, laid out to start playing at once (faststart)."""
    picture = f"testsrc2=size=854x480:rate=24:duration={seconds}"
    sound = f"sine=frequency=440:duration={seconds}"
    run_ffmpeg(["-y", "-loglevel", "error", "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i",
                sound, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-movflags", "+faststart", "-shortest", str(path)])  # fmt: skip
    return path


def stored_ad(
    session: Session, creative: User, campaign: Campaign, board: Storyboard, source: Path,
    **params: Any,
) -> Generation:  # fmt: skip
    """A finished final ad of `board` whose file is `source` (stored, with its poster), as a
    render leaves it."""
    out = outputs.describe_and_store(source, "mp4", "composite")
    row = generation_row(
        campaign, creative, "composite", "local/compose", prompt=board.title,
        params={"storyboard_id": board.id, "storyboard_version": board.version,
                "aspect_ratio": board.aspect_ratio, **params},
        media_path=out.file.path, media_sha256=out.file.sha256, media_mime=out.file.mime,
        media_bytes=out.file.bytes, width=out.width, height=out.height,
        duration_s=out.duration_s, thumb_path=out.thumb_path,
    )  # fmt: skip
    return add_generation_rows(session, [row])[0]


def approved_board_ad(session: Session, people: dict[str, User], campaign: Campaign,
                      workdir: Path) -> Generation:  # fmt: skip
    """A final ad of a short storyboard the creative made and the reviewer approved."""
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    return stored_ad(session, people["creative"], campaign, board, make_ad_file(workdir / "a.mp4"))
