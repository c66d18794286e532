"""Storyboards made from brief fields, approved, and scenes on their own."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from core.models import Campaign, Scene, Storyboard, User
from core.storyboards import editing, reviews
from tests.utils.factories.briefs import SPRING_FIELDS


def make_storyboard(
    session: Session,
    creative: User,
    campaign: Campaign,
    fields: dict | None = None,
    **changes: Any,
) -> Storyboard:
    """A storyboard made from brief fields (the Spring Launch brief unless given, with `changes`
    such as a title) by `creative`."""
    made = editing.create_from_brief(
        session=session, actor=creative, campaign_id=campaign.id,
        fields={**(fields or SPRING_FIELDS), **changes},
    )  # fmt: skip
    session.commit()
    return made


def approve_storyboard(
    session: Session, board: Storyboard, creative: User, reviewer: User
) -> Storyboard:
    """`board` submitted for review by `creative` and approved as a whole by `reviewer`."""
    reviews.submit(session=session, actor=creative, storyboard_id=board.id)
    reviews.approve(session=session, actor=reviewer, storyboard_id=board.id)
    session.commit()
    return board


def make_scene(title: str, seconds: int, notes: str = "", description: str = "") -> Scene:
    """A scene on its own (not saved), as the checks against a brief read one."""
    return Scene(title=title, description=description, duration_s=seconds, shot_notes=notes)
