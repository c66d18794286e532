"""What a share link points at, and what it plays.

A link targets a final ad (one composite generation: that file, always) or a storyboard. A
storyboard's link plays its newest cut: an animatic (a composite made for the board whose params
say `"animatic": true`) or a final ad (in the board's own aspect ratio when the render made
several), whichever was made last. A link made for a board so keeps showing the latest cut
without a new link being sent: the animatic while the board is worked on, the ad once rendered.
An animatic is said to be one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, func, select

from core.media import store
from core.models import Brief, Campaign, Client, Generation, Kind, Status, Storyboard

FINAL_AD = "final_ad"
STORYBOARD = "storyboard"
SUMMARY_CHARS = 240


@dataclass(frozen=True)
class Shown:
    """What a guest sees: names and words, never an id or a path."""

    title: str
    campaign: str
    client: str
    summary: str
    video: Generation | None  # None once the ad is gone (deleted) or not made yet
    note: str = ""  # what the video is, when it is not the finished ad


def kind_of(session: Session, target_id: str) -> str | None:
    """FINAL_AD for a final ad's generation id, STORYBOARD for a storyboard's, else None."""
    row = session.get(Generation, target_id)
    if row is not None:
        return FINAL_AD if row.kind == Kind.composite else None
    return STORYBOARD if session.get(Storyboard, target_id) is not None else None


def plays(row: Generation | None) -> Path | None:
    """The finished file a guest would play, if it is there."""
    if row is None or row.status != Status.succeeded or not row.media_path:
        return None
    path = store.abs_path(row.media_path)
    return path if path.is_file() else None


def newest_cut(session: Session, board: Storyboard) -> Generation | None:
    """The board's newest animatic or final ad, whichever came last; only cuts whose file is
    there."""
    # When it was finished, not planned: a render's ad row is written when the render starts,
    # minutes or hours before its file, and an animatic made meanwhile must not outlast it.
    finished = func.coalesce(col(Generation.finished_at), col(Generation.created_at))
    query = select(Generation).where(
        Generation.kind == Kind.composite, Generation.status == Status.succeeded,
        Generation.params["storyboard_id"].as_string() == board.id,
    ).order_by(finished.desc(), col(Generation.id))  # fmt: skip
    pool = [row for row in session.exec(query) if plays(row) is not None]
    if not pool:
        return None
    newest = pool[0]
    # A render makes one file per aspect ratio, at the same moment: the board's own ratio first.
    siblings = [r for r in pool if newest.chain_id and r.chain_id == newest.chain_id]
    ratio = board.aspect_ratio
    return next((r for r in siblings if r.params.get("aspect_ratio") == ratio), newest)


def video_of(session: Session, kind: str, target_id: str) -> Generation | None:
    if kind == FINAL_AD:
        row = session.get(Generation, target_id)
        return row if plays(row) is not None else None
    board = session.get(Storyboard, target_id)
    return newest_cut(session, board) if board is not None else None


def shown(session: Session, kind: str, target_id: str) -> Shown | None:
    """What the link shows; None when its target is gone (deleted)."""
    video = video_of(session, kind, target_id)
    if kind == FINAL_AD:
        ad = session.get(Generation, target_id)
        if ad is None:
            return None
        board_id = ad.params.get("storyboard_id")
        board = session.get(Storyboard, board_id) if isinstance(board_id, str) else None
        campaign_id = ad.campaign_id
    else:
        board = session.get(Storyboard, target_id)
        if board is None:
            return None
        campaign_id = board.campaign_id
    campaign = session.get(Campaign, campaign_id)
    client = session.get(Client, campaign.client_id) if campaign else None
    title = (board.title if board else "") or (campaign.name if campaign else "") or "Your ad"
    return Shown(
        title=title,
        campaign=campaign.name if campaign else "",
        client=client.name if client else "",
        summary=summary_of(session, board, campaign),
        video=video,
        note=cut_note(video),
    )


def cut_note(video: Generation | None) -> str:
    """A guest must not judge a rough cut as the finished ad."""
    if video is None or not video.params.get("animatic"):
        return ""
    return ("Animatic: a rough cut of the storyboard's frames, timing and music, made before the "
            "video is produced.")  # fmt: skip


def summary_of(session: Session, board: Storyboard | None, campaign: Campaign | None) -> str:
    """The brief's one line: its objective, else its first key message, else the campaign's
    objective."""
    brief = session.get(Brief, board.brief_id) if board and board.brief_id else None
    fields = brief.fields if brief else {}
    messages = fields.get("key_messages") or []
    for candidate in (fields.get("objective"), messages[0] if messages else None,
                      campaign.objective if campaign else None):  # fmt: skip
        if isinstance(candidate, str) and (line := one_line(candidate)):
            return line
    return ""


def one_line(text: str) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= SUMMARY_CHARS else flat[: SUMMARY_CHARS - 1].rstrip() + "…"
