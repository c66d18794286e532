"""Where a video's start image comes from: a generated image, a frame of a video, or an asset."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Row
from sqlmodel import Session

from core.db import session_scope
from core.errors import ValidationError
from core.media import store
from core.media.thumbs import extract_frame
from core.models import Asset, Generation, Status


def resolve_start_image(row: Generation | Row, workdir: Path) -> Path | None:
    """`row`: the ORM row, or the Core row a worker claims."""
    if row.kind != "video":
        return None
    with session_scope() as session:
        if row.source_asset_id:
            asset = session.get(Asset, row.source_asset_id)
            return store.abs_path(asset.path) if asset else None
        if row.parent_id is None and row.deleted_parent_id:  # not a text -> video: say so
            raise ValidationError(f"The start image {row.deleted_parent_id} was deleted.")
        if row.parent_id is None:
            return None
        parent = session.get(Generation, row.parent_id)
    if parent is None or parent.status != Status.succeeded or not parent.media_path:
        raise ValidationError("The start image's generation has no output.")
    source = store.abs_path(parent.media_path)
    if parent.kind == "image":
        return source
    frame = workdir / "start.png"
    extract_frame(source, frame, at_s=row.source_frame_s)
    return frame


def chosen_start(session: Session, row: Generation) -> str | None:
    """The start image picked for a video: an asset, an image or a video (for a frame), or the
    id of a parent since deleted. None when the video made its own image first (a step of the
    same request) or is not a video."""
    if row.kind != "video":
        return None
    if row.source_asset_id:
        return row.source_asset_id
    if row.parent_id:
        parent = session.get(Generation, row.parent_id)
        made_with_it = parent is not None and row.chain_id and parent.chain_id == row.chain_id
        return None if made_with_it else row.parent_id
    return row.deleted_parent_id


def check_source(session: Session, source_id: str) -> tuple[str | None, str | None, str]:
    """Validate a `--from` id; returns (parent_id, asset_id, kind of the source)."""
    if source_id.startswith("ast_"):
        asset = session.get(Asset, source_id)
        if asset is None:
            raise ValidationError({"from": f"from: no asset with id {source_id}"})
        return None, asset.id, "image"
    row = session.get(Generation, source_id)
    if row is None:
        raise ValidationError({"from": f"from: no generation or asset with id {source_id}"})
    if row.kind not in ("image", "video"):
        raise ValidationError({"from": f"from: {source_id} is {row.kind}; use an image or video"})
    if row.status != Status.succeeded:
        raise ValidationError({"from": f"from: {source_id} is {row.status}, not succeeded"})
    return row.id, None, row.kind
