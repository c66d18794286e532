"""CLI handlers for briefs, storyboards, reviews and the final render."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlmodel import Session

from core.campaigns import campaigns
from core.cli.records import generation_record
from core.cli.waiting import wait_for
from core.errors import NotFound, ValidationError
from core.media import store
from core.models import Generation, Storyboard, User
from core.storyboards import animatic as animatics
from core.storyboards import editing as sb
from core.storyboards import final_ad, reviews


def _read_brief(path: str, parser: str = "offline") -> tuple[str, dict]:
    from core.briefs.extract import extract_text
    from core.briefs.llm import parse_with

    file = Path(path)
    if not file.is_file():
        raise ValidationError({"file": f"{path} does not exist"})
    with open(file, "rb") as stream:
        text = extract_text(file.name, stream)
    outcome = parse_with(parser, text)
    if outcome.note:
        print(outcome.note, file=sys.stderr)
    return text, {**outcome.fields.model_dump(), "parser": outcome.parser}


def storyboard_record(session: Session, board: Storyboard) -> dict:
    return {
        "id": board.id,
        "campaign_id": board.campaign_id,
        "title": board.title,
        "status": str(board.status),
        "version": board.version,
        "aspect_ratio": board.aspect_ratio,
        "transition": board.transition,
        "call_to_action": board.call_to_action,
        "music_prompt": board.music_prompt,
        "voice_model": board.voice_model,
        "voice_params": board.voice_params,
        "scenes": [
            {
                k: getattr(s, k)
                for k in (
                    "id",
                    "position",
                    "title",
                    "description",
                    "image_prompt",
                    "motion_prompt",
                    "duration_s",
                    "shot_notes",
                    "voice_line",
                    "review_status",
                )
            }  # fmt: skip
            for s in sb.scenes_of(session, board.id)
        ],
    }


def brief_parse(session: Session, actor: User, args):
    return _read_brief(args.file, args.parser)[1]


def storyboard_from_brief(session: Session, actor: User, args):
    campaign = campaigns.find_campaign(session=session, name=args.campaign, client_name=args.client)
    text, fields = _read_brief(args.file)
    fields.pop("parser")
    board = sb.create_from_brief(
        session=session,
        actor=actor,
        campaign_id=campaign.id,
        fields=fields,
        raw_text=text,
        filename=Path(args.file).name,
    )
    return storyboard_record(session, board)


def storyboard_show(session: Session, actor: User, args):
    return storyboard_record(
        session, sb.get_storyboard(session=session, actor=actor, storyboard_id=args.id)
    )


def storyboard_submit(session: Session, actor: User, args):
    board = reviews.submit(session=session, actor=actor, storyboard_id=args.id)
    return storyboard_record(session, board)


def storyboard_approve(session: Session, actor: User, args):
    board = reviews.approve(
        session=session, actor=actor, storyboard_id=args.id, comment=args.comment
    )
    return storyboard_record(session, board)


def storyboard_request_changes(session: Session, actor: User, args):
    board = reviews.request_changes(
        session=session, actor=actor, storyboard_id=args.id, comment=args.comment
    )
    return storyboard_record(session, board)


def render(session: Session, actor: User, args):
    plan = final_ad.render(
        session=session, actor=actor, storyboard_id=args.id, video_model=args.model_video,
        audio_model=args.model_audio, image_model=args.model_image,
        extra_ratios=tuple(args.ratio), resolution=args.resolution,
        voice_model=args.voice, voice_params=dict(args.voice_param) if args.voice_param else None,
        captions=args.captions, submission_key=args.idempotency_key,
    )  # fmt: skip
    ids = [c.id for c in plan.composites]
    if args.wait:
        wait_for(ids, timeout_s=args.timeout)
        session.expire_all()
    records = []
    for i in ids:
        row = session.get(Generation, i)
        if row is None:  # deleted meanwhile
            raise AttributeError(f"generation {i} is gone")
        records.append(generation_record(row))
    return records[0] if len(records) == 1 else records


def captions(session: Session, actor: User, args):
    """Printed as the file's own text (not JSON), so `> ad.vtt` makes the sidecar."""
    text = final_ad.captions_of(session=session, actor=actor, composite_id=args.id,
                                fmt=args.format)  # fmt: skip
    if not text:
        raise NotFound("This final ad has no captions: it was rendered without voice lines.")
    sys.stdout.write(text)


def animatic(session: Session, actor: User, args):
    """Made inline (seconds, free): the record is of the finished file; `made` is false when
    the board as it is had one already (that one is printed)."""
    made = animatics.make_animatic(session=session, actor=actor, storyboard_id=args.id,
                                   force=args.force)  # fmt: skip
    row = made.animatic
    path = str(store.abs_path(row.media_path)) if row.media_path else None
    return {"id": row.id, "path": path, "made": made.made, **generation_record(row)}


COMMANDS = {
    "brief parse": brief_parse,
    "storyboard from-brief": storyboard_from_brief,
    "storyboard show": storyboard_show,
    "storyboard submit": storyboard_submit,
    "storyboard approve": storyboard_approve,
    "storyboard request-changes": storyboard_request_changes,
    "render": render,
    "captions": captions,
    "animatic": animatic,
}
