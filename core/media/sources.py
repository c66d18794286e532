"""Where a video's start image comes from: a generated image, a frame of a video, or an asset."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Row
from sqlmodel import Session

from core import catalog
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


# Shapes this close count as the same: the models' own sizes are only near their named ratio
# (nano-banana's 4:3 is 1152 x 896, 3.6 % off), and a crop of a few percent goes unnoticed.
SAME_SHAPE = 0.05


def _ratio(name: str) -> float:
    across, down = (int(x) for x in name.split(":"))
    return across / down


def _off(a: float, b: float) -> float:
    return abs(math.log(a / b))


def shape_name(width: int, height: int) -> str:
    """'768 × 1344 (9:16)': the pixel size, and the named ratio it is near, if any."""
    ratio = width / height
    names = dict.fromkeys((*catalog.ASPECT_RATIOS_VIDEO, *catalog.ASPECT_RATIOS_IMAGE))
    nearest = min(names, key=lambda n: _off(_ratio(n), ratio))
    near = f" ({nearest})" if _off(_ratio(nearest), ratio) <= SAME_SHAPE else ""
    return f"{width} × {height}{near}"


def start_image_fit(
    spec: catalog.ModelSpec, params: Mapping[str, Any], size: tuple[int, int]
) -> str | None:
    """What happens to a start image of `size` whose shape is not the video's, said before the
    video is made; None when it fits or the model simply follows the image."""
    param = spec.param("aspect_ratio")
    chosen = params.get("aspect_ratio")
    if param is None or not chosen or ":" not in str(chosen):
        return None
    width, height = size
    source, target = width / height, _ratio(str(chosen))
    if _off(source, target) <= SAME_SHAPE:
        return None
    shape = shape_name(width, height)
    if not spec.crops_start_image:
        return (f"{spec.title} makes the video in the start image's own shape, {shape}: "
                f"its Aspect ratio setting ({chosen}) is ignored.")  # fmt: skip
    side = "width" if source > target else "height"
    kept = round(100 * min(source, target) / max(source, target))
    note = (f"The start image is {shape} and the video {chosen}: it will be cropped to "
            f"{chosen}, keeping the middle {kept} % of its {side}.")  # fmt: skip
    ratios = [c for c in param.choices or () if ":" in str(c)]
    best = min(ratios, key=lambda c: _off(_ratio(c), source), default=chosen)
    if best == chosen:
        return note + " No other frame shape of this model fits it better."
    if _off(_ratio(best), source) <= SAME_SHAPE:
        return note + f" To keep all of it, set Aspect ratio to {best}."
    return note + f" Aspect ratio {best} crops the least."
