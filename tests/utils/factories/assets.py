"""Uploaded assets, and the image bytes they are made from."""

from __future__ import annotations

import functools
import io

from PIL import Image
from sqlmodel import Session

from core.campaigns import assets
from core.models import Asset, User


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 32)) -> bytes:
    """A small orange image, as a file of `fmt` (PNG, JPEG, WEBP) would hold it."""
    out = io.BytesIO()
    Image.new("RGB", size, "#FF6B35").save(out, fmt)
    return out.getvalue()


@functools.cache
def many_pixels_png(width: int, height: int) -> bytes:
    """A real PNG of many pixels in a few KB (1-bit, one colour): what a decompression bomb is."""
    out = io.BytesIO()
    Image.new("1", (width, height), 1).save(out, "PNG")
    return out.getvalue()


def make_asset(
    session: Session,
    actor: User,
    client_id: str,
    *,
    filename: str = "logo.png",
    data: bytes | None = None,
    campaign_id: str | None = None,
) -> Asset:
    """An image uploaded for a client (and one of its campaigns), through the assets service."""
    asset = assets.upload_asset(
        session=session, actor=actor, client_id=client_id, campaign_id=campaign_id,
        filename=filename, stream=io.BytesIO(image_bytes() if data is None else data),
    )  # fmt: skip
    session.commit()
    return asset
