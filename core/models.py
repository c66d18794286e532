"""SQLModel tables: the one data model. Generations are the source of truth for jobs."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import PrivateAttr
from sqlalchemy.types import TypeDecorator
from sqlmodel import JSON, Column, Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """Short ids with a kind prefix, so `--from ID` can tell a generation from an asset."""
    return f"{prefix}_{secrets.token_hex(6)}"


class UTCDateTime(TypeDecorator):
    """Stores UTC; always hands back timezone-aware datetimes (SQLite drops the zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def table_of(model: type[SQLModel]) -> sa.Table:
    """A table model's Core table, for statements that bypass the ORM."""
    # SQLAlchemy sets `__table__` on every table model; SQLModel's class does not declare it.
    return model.__table__  # type: ignore[attr-defined]


def _when(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=UTCDateTime, index=index, nullable=nullable)


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Role(StrEnum):
    admin = "admin"
    creative = "creative"
    reviewer = "reviewer"
    viewer = "viewer"


class Kind(StrEnum):
    image = "image"
    video = "video"
    audio = "audio"
    voice = "voice"  # a storyboard's voice-over line, spoken by a voice model
    composite = "composite"


class Status(StrEnum):
    queued = "queued"
    waiting = "waiting"  # on the generations it takes as inputs (StepInput)
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    canceled = "canceled"


FINAL_STATUSES = (Status.succeeded, Status.failed, Status.canceled)
OPEN_STATUSES = (Status.queued, Status.waiting, Status.running)


class User(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("usr"), primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    name: str = ""
    email: str = ""
    role: Role = Field(sa_type=sa.String(16))
    password_hash: str
    active: bool = True
    created_at: datetime = _created()
    # Sign-ins (sessions and login cookies) from before this time no longer count: set by
    # sign-out, a password reset, a role change and deactivation.
    sessions_valid_from: datetime | None = _when()
    # When this user last opened their inbox: guest decisions and replies from before it are no
    # longer counted as new in the navigation.
    inbox_seen_at: datetime | None = _when()

    def signed_in_before_end_of_sessions(self, signed_in_at: float) -> bool:
        """True when a sign-in at `signed_in_at` (unix time) was ended since."""
        valid_from = self.sessions_valid_from
        return valid_from is not None and signed_in_at < valid_from.timestamp()


class SignInFailure(SQLModel, table=True):
    """A wrong password, for slowing guessing down (kept for a quarter of an hour)."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (
        sa.Index("ix_sign_in_failure_username_at", "username", "at"),
        sa.Index("ix_sign_in_failure_client_at", "client", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    client: str = Field(max_length=64)
    at: datetime = _created()


class Submission(SQLModel, table=True):
    """A request a person submitted (a form's click, a CLI run), by the key it carried: a repeat
    of the key returns the rows the first made instead of making more."""

    user_id: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=80)
    created_at: datetime = _created()


class SharedSecret(SQLModel, table=True):
    """A secret every machine of an install must share (the login cookie's key, unless set)."""

    __tablename__ = "shared_secret"

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


class WebhookSeen(SQLModel, table=True):
    """A verified webhook id, kept a while: a replay to any machine is refused."""

    __tablename__ = "webhook_seen"

    id: str = Field(primary_key=True, max_length=256)
    at: float = Field(index=True)


class RateHit(SQLModel, table=True):
    """Paid requests a user made, by kind, for the per-user rate limits (kept for a window)."""

    __tablename__ = "rate_hit"
    __table_args__ = (sa.Index("ix_rate_hit_user_kind_at", "user_id", "kind", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    cost: int = 1
    at: datetime = _created()


class Client(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("cli"), primary_key=True)
    name: str = Field(unique=True, index=True, max_length=120)
    guidelines: str = ""
    palette: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    negative_prompt: str = ""
    # Music hears none of the visual rules above (a palette means nothing to a track): its own.
    sound_direction: str = Field(default="", sa_column_kwargs={"server_default": ""})
    budget_usd: float | None = None
    archived: bool = False
    # The asset drawn on its final ads' end cards. No foreign key: asset.client_id already points
    # here, and a cycle of keys would order neither table's creation; deleting the asset clears it.
    logo_asset_id: str | None = None
    created_at: datetime = _created()


class Campaign(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("client_id", "name", name="uq_campaign_client_name"),)

    id: str = Field(default_factory=lambda: new_id("cmp"), primary_key=True)
    client_id: str = Field(foreign_key="client.id", index=True)
    name: str = Field(max_length=120)
    objective: str = ""
    guidelines: str = ""
    budget_usd: float | None = None
    archived: bool = False
    created_at: datetime = _created()


class Asset(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("ast"), primary_key=True)
    client_id: str = Field(foreign_key="client.id", index=True)
    campaign_id: str | None = Field(default=None, foreign_key="campaign.id")
    label: str = ""
    filename: str
    sha256: str = Field(index=True)
    path: str
    mime: str
    bytes: int
    width: int | None = None
    height: int | None = None
    thumb_path: str | None = None
    created_by: str | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _created()


class Generation(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_generation_created", "created_at"),
        sa.Index("ix_generation_campaign_created", "campaign_id", "created_at"),
        sa.Index("ix_generation_client_created", "client_id", "created_at"),
        sa.Index("ix_generation_kind_created", "kind", "created_at"),
        sa.Index("ix_generation_status_created", "status", "created_at"),
        sa.Index("ix_generation_model_created", "model", "created_at"),
    )

    id: str = Field(default_factory=lambda: new_id("gen"), primary_key=True)
    kind: Kind = Field(sa_type=sa.String(16))
    model: str = Field(max_length=80)
    client_id: str = Field(foreign_key="client.id")
    campaign_id: str = Field(foreign_key="campaign.id")
    prompt: str = ""
    effective_prompt: str = ""
    negative_prompt: str = ""
    brand_applied: bool = True
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: Status = Field(default=Status.queued, sa_type=sa.String(16))
    error: str | None = None
    attempts: int = 0
    prediction_id: str | None = Field(default=None, index=True)
    # When the prediction was created: its timeout runs from then, even while Replicate cannot
    # be reached to say so.
    prediction_created_at: datetime | None = _when()
    # Consecutive failures to reach Replicate while following an existing prediction; they only
    # delay its next poll, and a good answer resets them.
    unreachable_count: int = 0
    claim_token: str | None = None
    claimed_by: str | None = None
    lease_until: datetime | None = _when()
    next_attempt_at: datetime | None = _when()
    # When the last queue message sent for this row is due: a reconcile sends another only once
    # that one is long overdue (lost), so every row has one message in the queue, not one per
    # worker start.
    message_due_at: datetime | None = _when()
    created_at: datetime = _created()
    started_at: datetime | None = _when()
    finished_at: datetime | None = _when()
    estimated_cost_usd: float = 0.0
    cost_usd: float | None = None
    media_sha256: str | None = Field(default=None, index=True)
    media_path: str | None = None
    media_mime: str | None = None
    media_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    thumb_path: str | None = None
    parent_id: str | None = Field(default=None, foreign_key="generation.id", index=True)
    source_asset_id: str | None = Field(default=None, foreign_key="asset.id")
    source_frame_s: float | None = None  # a frame of the parent video, when it starts from one
    # What it was made from (a generation or an asset) once that is deleted (parent_id or
    # source_asset_id is then cleared): the lineage still says so.
    deleted_parent_id: str | None = None
    chain_id: str | None = Field(default=None, index=True)
    scene_id: str | None = Field(default=None, index=True)
    submission_key: str | None = Field(default=None, index=True, max_length=80)
    created_by: str | None = Field(default=None, foreign_key="user.id")
    # The inputs of a step being planned, written as StepInput rows when it is saved.
    _planned_inputs: list[str] = PrivateAttr(default_factory=list)

    def wait_for(self, *inputs: Generation) -> None:
        """Plan: this step runs once every one of `inputs` has succeeded."""
        self._planned_inputs.extend(i.id for i in inputs)
        self.status = Status.waiting

    def planned_inputs(self) -> list[str]:
        """The inputs given to `wait_for` (none for a row read from the database)."""
        return list(getattr(self, "_planned_inputs", None) or [])


class StepInput(SQLModel, table=True):
    """A step waits on its inputs (a clip on its frame, the final ad on every clip and the
    music): it is queued once all of them have succeeded, and fails when one of them fails."""

    __tablename__ = "step_input"

    step_id: str = Field(foreign_key="generation.id", primary_key=True)
    input_id: str = Field(foreign_key="generation.id", primary_key=True, index=True)


class StoryboardStatus(StrEnum):
    draft = "draft"
    in_review = "in_review"
    changes_requested = "changes_requested"
    approved = "approved"


class Brief(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("brf"), primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", index=True)
    filename: str = ""
    raw_text: str = ""
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    parser: str = "offline"
    created_by: str | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _created()


class Storyboard(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("sb"), primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", index=True)
    brief_id: str | None = Field(default=None, foreign_key="brief.id")
    title: str = ""
    status: StoryboardStatus = Field(default=StoryboardStatus.draft, sa_type=sa.String(24))
    version: int = 0  # the last submitted version; 0 = never submitted
    aspect_ratio: str = "16:9"
    transition: str = "cut"
    continuity: bool = False
    call_to_action: str = ""
    music_prompt: str = ""
    # Who speaks the scenes' voice lines: None, the draft voice; "none", nobody (the ad has no
    # voice-over). The params are that model's (a voice id, a speed), so they go with it.
    voice_model: str | None = Field(default=None, max_length=80)
    voice_params: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    submitted_by: str | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime | None = _when()
    approved_at: datetime | None = _when()
    created_by: str | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _created()
    updated_at: datetime = _created()

    def mark_changed(self) -> None:
        """What it would render changed (a scene, a setting, a frame): an approved storyboard
        needs review again."""
        if self.status == StoryboardStatus.approved:
            self.status, self.approved_at = StoryboardStatus.draft, None
        self.updated_at = utcnow()


class Scene(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("scn"), primary_key=True)
    storyboard_id: str = Field(foreign_key="storyboard.id", index=True)
    position: int = 0
    title: str = ""
    description: str = ""
    image_prompt: str = ""
    motion_prompt: str = ""
    duration_s: int = 5
    shot_notes: str = ""
    review_status: str = "pending"  # pending | approved | changes_requested
    frame_id: str | None = Field(default=None, foreign_key="generation.id")
    clip_id: str | None = Field(default=None, foreign_key="generation.id")
    # What the voice-over says over this scene ("" for nothing); the captions show it as written.
    voice_line: str = Field(default="", sa_column_kwargs={"server_default": ""})
    # Bumped by each change to what a scene's form holds (text, prompts, length), so a form
    # drawn from an older version is refused instead of writing over someone's change; a move
    # or a chosen frame leaves it, as it cannot clash with what is being typed.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    updated_by: str | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime | None = _when()


class StoryboardVersion(SQLModel, table=True):
    """A snapshot taken at each submission, so earlier versions stay readable."""

    id: str = Field(default_factory=lambda: new_id("sbv"), primary_key=True)
    storyboard_id: str = Field(foreign_key="storyboard.id", index=True)
    version: int
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    submitted_by: str | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime = _created()


class Review(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("rev"), primary_key=True)
    storyboard_id: str = Field(foreign_key="storyboard.id", index=True)
    version: int
    scene_id: str | None = Field(default=None, foreign_key="scene.id")  # None once deleted
    scene_title: str = Field(default="", sa_column_kwargs={"server_default": ""})
    reviewer_id: str = Field(foreign_key="user.id")
    decision: str  # approve | request_changes | comment (on a board that went back anyway) | reply
    comment: str = ""
    # A reply's decision (decision "reply"): it belongs to that decision's thread, not the history.
    reply_to: str | None = Field(default=None, foreign_key="review.id", index=True)
    created_at: datetime = _created()
    # The replies under this decision, oldest first, as `reviews.history` hands them out.
    _replies: list[Review] = PrivateAttr(default_factory=list)

    @property
    def replies(self) -> list[Review]:
        # Rows loaded by the ORM skip __init__, so the private attribute may not exist yet.
        return list(getattr(self, "_replies", None) or [])


class ShareLink(SQLModel, table=True):
    """A link a guest opens without an account: to one final ad, or to a storyboard (its newest
    cut, animatic or final ad). Only the token's sha256 is kept, so the database alone
    never yields a working link: the URL is shown once, when it is made."""

    __tablename__ = "share_link"
    __table_args__ = (sa.Index("ix_share_link_target", "target_kind", "target_id"),)

    id: str = Field(default_factory=lambda: new_id("shr"), primary_key=True)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    target_kind: str = Field(max_length=16)  # final_ad | storyboard
    # No foreign key: deleting the ad or the board ends the link instead of being refused.
    target_id: str = Field(max_length=64)
    created_by: str | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    revoked_at: datetime | None = _when()
    revoked_by: str | None = Field(default=None, foreign_key="user.id")


class ShareEvent(SQLModel, table=True):
    """What a guest did on a share link: opened it, decided, or commented."""

    __tablename__ = "share_event"
    __table_args__ = (sa.Index("ix_share_event_link_at", "link_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    link_id: str = Field(foreign_key="share_link.id")
    kind: str = Field(max_length=16)  # view | decision | comment
    guest_name: str = Field(default="", max_length=80)
    decision: str | None = Field(default=None, max_length=16)  # approve | changes
    comment: str = ""
    # A keyed hash of the guest's address: enough to slow one guest down, never the address.
    client_hash: str = Field(default="", max_length=64)
    at: datetime = _created()
