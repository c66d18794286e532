"""A storyboard's voice-over: who speaks its scenes' lines (the voice it picked, else the draft
voice), that voice heard in one click before anything is rendered, and the lines too long to be
said in their scenes.

The lines themselves are scene fields (`Scene.voice_line`, edited like the others and reviewed
with them); the voice is the storyboard's (`update_storyboard(voice_model=..., voice_params=...)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from core import catalog
from core.accounts.auth import require
from core.errors import Conflict
from core.generation import service as gen
from core.models import Generation, Scene, Storyboard, User
from core.storyboards.checks import voice_lines_too_long
from core.storyboards.editing import NO_VOICE, get_storyboard, scenes_of

# Said by a preview when no scene has a line yet.
SAMPLE_LINE = "This is the voice of your ad: clear, warm and easy to follow."


def chosen_voice(board: Storyboard) -> str | None:
    """The voice the storyboard's lines are spoken in; None when it has no voice-over."""
    model = board.voice_model or catalog.default_model("voice")
    return None if model == NO_VOICE else model


def voice_for(
    board: Storyboard, scenes: Sequence[Scene], voice_model: str | None = None,
    voice_params: dict[str, Any] | None = None,
) -> tuple[str | None, dict[str, Any]]:  # fmt: skip
    """The voice a render speaks the lines in, and its settings: `voice_model` if given (NO_VOICE
    for none), else the storyboard's. The storyboard's settings go with its own voice only (a
    voice id of one model is not one of another's); another voice speaks with its defaults
    unless `voice_params` are given. (None, {}) when no scene has a line or nobody speaks."""
    if not any(s.voice_line.strip() for s in scenes):
        return None, {}
    model = chosen_voice(board) if voice_model is None else voice_model
    if model is None or model == NO_VOICE:
        return None, {}
    if voice_params is None:
        voice_params = board.voice_params if model == chosen_voice(board) else {}
    return model, dict(voice_params)


def preview_voice(
    *, session: Session, actor: User, storyboard_id: str, text: str | None = None,
    voice_model: str | None = None, voice_params: dict[str, Any] | None = None,
    submission_key: str | None = None,
) -> Generation:  # fmt: skip
    """Queue one line in a voice, to hear it before choosing it: `text`, else the first scene's
    line, else a sample; in `voice_model` (default the storyboard's) with its settings. A paid
    voice costs what that line costs."""
    require(actor, "generate")
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    model = chosen_voice(board) if voice_model is None else voice_model
    if model is None or model == NO_VOICE:
        raise Conflict("This storyboard has no voice-over: pick a voice to hear it.")
    if voice_params is None:
        voice_params = board.voice_params if model == chosen_voice(board) else {}
    lines = [s.voice_line.strip() for s in scenes_of(session, board.id) if s.voice_line.strip()]
    said = (text or "").strip() or (lines[0] if lines else SAMPLE_LINE)
    req = gen.Request("voice", said, model, dict(voice_params), apply_brand=False)
    return gen.submit(session=session, actor=actor, campaign_id=board.campaign_id, req=req,
                      submission_key=submission_key)  # fmt: skip


def voice_warnings(*, session: Session, actor: User, storyboard_id: str) -> list[str]:
    """One line per scene whose voice line takes longer to say than the scene lasts."""
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    return voice_lines_too_long(scenes_of(session, board.id))
