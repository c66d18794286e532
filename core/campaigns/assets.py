"""Uploaded logos and product shots, per client (and optionally campaign); the one a client
marks as its logo is drawn on its final ads' end cards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import BinaryIO

import sqlalchemy as sa
from PIL import Image
from sqlmodel import Session, col, select

from core.accounts.auth import require, require_owner_or_admin
from core.campaigns.clients import get_client
from core.config import get_settings
from core.db import get_or_not_found
from core.errors import ValidationError
from core.media import store, thumbs, usage
from core.models import Asset, Campaign, Client, Generation, User, table_of

# Magic numbers, checked before anything is written: the file name and browser MIME can lie.
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
ALLOWED = "PNG, JPEG or WebP"
# Decoded, an image takes width x height x 4 bytes and more for its thumbnail: 50 MP is ~200 MB.
# Pillow only warns from ~89 MP and refuses from ~179 MP (its decompression-bomb limits).
MAX_PIXELS = 50_000_000
RESIZE = "Resize it and upload it again."


def _not_an_image(filename: str) -> str:
    return (f"'{filename}' is not a {ALLOWED} image (its content is checked, not its name): "
            f"save or export it as {ALLOWED} and upload that.")  # fmt: skip


def _too_large(filename: str) -> str:
    limit = get_settings().studio_upload_max_mb
    return (f"'{filename}' is larger than the {limit} MB limit for an image: make it smaller "
            "(fewer pixels, or saved as JPEG) and upload it again.")  # fmt: skip


def _damaged(filename: str) -> str:
    return (f"'{filename}' is damaged or not an image: open it in an image editor, save it "
            f"again as {ALLOWED} and upload that.")  # fmt: skip


def sniff(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return next((ext for sig, ext in SIGNATURES.items() if head.startswith(sig)), None)


def _chunks(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    yield head
    while chunk := stream.read(store.CHUNK):
        yield chunk


def _too_many_pixels(filename: str, width: int | None = None, height: int | None = None) -> str:
    limit = f"the limit is {MAX_PIXELS // 10**6} megapixels."
    if width is None or height is None:  # Pillow refused it before telling its size
        if Image.MAX_IMAGE_PIXELS is None:  # never: Pillow refuses a bomb only under a limit
            raise TypeError("Pillow's MAX_IMAGE_PIXELS is None")
        bomb = 2 * Image.MAX_IMAGE_PIXELS // 10**6
        return f"'{filename}' is over {bomb} megapixels, far past what is allowed; {limit} {RESIZE}"
    megapixels = f"{round(width * height / 10**6, 1):g}"  # 56, or 50.4 just past the limit
    return f"'{filename}' is {megapixels} megapixels ({width} × {height}); {limit} {RESIZE}"


def _check_image(session: Session, path: str, filename: str) -> tuple[int, int]:
    """(width, height) of a stored upload that decodes within the pixel limit; else the file is
    removed (unless another row uses it) and a ValidationError says why."""
    try:
        with Image.open(store.abs_path(path)) as img:
            width, height = img.size  # from the header: checked before any pixel is decoded
            if width * height <= MAX_PIXELS:
                img.load()
    except Image.DecompressionBombError:
        message = _too_many_pixels(filename)
    except (OSError, ValueError):
        message = _damaged(filename)
    else:
        if width * height <= MAX_PIXELS:
            return width, height
        message = _too_many_pixels(filename, width, height)
    usage.remove_if_unused(session, path)
    raise ValidationError({"file": message})


def inspect_upload(filename: str, stream: BinaryIO) -> tuple[int, int]:
    """(width, height) of an upload not yet stored, read from its header, so a form can say what
    is wrong with it (or how it will be cropped) before anything is made; the stream is left
    where it was. The same refusals as `upload_asset`, which checks again as it stores."""
    where = stream.tell()
    try:
        stream.seek(0)
        if sniff(stream.read(16)) is None:
            raise ValidationError({"file": _not_an_image(filename)})
        if stream.seek(0, 2) > get_settings().studio_upload_max_mb * 2**20:
            raise ValidationError({"file": _too_large(filename)})
        stream.seek(0)
        try:
            with Image.open(stream) as img:
                width, height = img.size
        except Image.DecompressionBombError:
            raise ValidationError({"file": _too_many_pixels(filename)}) from None
        except (OSError, ValueError):
            raise ValidationError({"file": _damaged(filename)}) from None
        if width * height > MAX_PIXELS:
            raise ValidationError({"file": _too_many_pixels(filename, width, height)})
        return width, height
    finally:
        stream.seek(where)


def upload_asset(
    *,
    session: Session,
    actor: User,
    client_id: str,
    filename: str,
    stream: BinaryIO,
    campaign_id: str | None = None,
    label: str = "",
) -> Asset:
    require(actor, "asset.manage")
    client = get_client(session=session, client_id=client_id)
    if campaign_id:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.client_id != client.id:
            raise ValidationError({"campaign": f"campaign: not a campaign of {client.name}"})
    head = stream.read(16)
    ext = sniff(head)
    if ext is None:
        raise ValidationError({"file": _not_an_image(filename)})
    limit = get_settings().studio_upload_max_mb * 2**20
    try:
        stored = store.store_stream(_chunks(head, stream), ext, max_bytes=limit)
    except ValidationError:  # the store's only refusal: past max_bytes
        raise ValidationError({"file": _too_large(filename)}) from None
    width, height = _check_image(session, stored.path, filename)
    try:
        thumb = store.derived_path(stored.sha256, store.THUMB_SUFFIX)
        if not thumb.exists():
            tmp = thumb.with_name(f".{thumb.name}.{secrets.token_hex(4)}.tmp{thumb.suffix}")
            thumbs.thumbnail(store.abs_path(stored.path), tmp)
            store.publish(tmp, thumb)
        asset = Asset(
            client_id=client.id, campaign_id=campaign_id, label=label.strip() or filename,
            filename=filename, sha256=stored.sha256, path=stored.path, mime=stored.mime,
            bytes=stored.bytes, width=width, height=height,
            thumb_path=str(thumb.relative_to(store.media_dir())), created_by=actor.id,
        )  # fmt: skip
        session.add(asset)
        session.flush()
    except BaseException:
        # No row, no file: the same content stored for another row stays.
        session.rollback()
        usage.remove_if_unused(session, stored.path)
        raise
    return asset


def list_assets(*, session: Session, actor: User, client_id: str | None = None) -> list[Asset]:
    require(actor, "read")
    query = select(Asset).order_by(col(Asset.created_at).desc())
    if client_id:
        query = query.where(Asset.client_id == client_id)
    return list(session.exec(query))


def get_asset(*, session: Session, actor: User, asset_id: str) -> Asset:
    require(actor, "read")
    return get_or_not_found(session, Asset, asset_id, "asset")


def delete_asset(*, session: Session, actor: User, asset_id: str) -> None:
    asset = get_asset(session=session, actor=actor, asset_id=asset_id)
    require_owner_or_admin(actor, asset.created_by, "asset.manage")
    path = asset.path
    generations = table_of(Generation)
    session.execute(
        sa.update(generations)
        .where(generations.c.source_asset_id == asset.id)
        .values(source_asset_id=None, deleted_parent_id=asset.id)  # lineage still says so
    )
    clients = table_of(Client)  # its client's end cards go back to the call to action alone
    session.execute(
        sa.update(clients).where(clients.c.logo_asset_id == asset.id).values(logo_asset_id=None)
    )
    session.delete(asset)
    session.commit()
    usage.remove_if_unused(session, path)


def set_logo(*, session: Session, actor: User, client_id: str, asset_id: str | None) -> Client:
    """Mark one of the client's assets as the logo on its final ads' end cards (renders from
    now on; those made keep theirs), or none with `asset_id=None`. An asset of another client,
    or one whose file is gone or does not decode, is refused and nothing changes."""
    require(actor, "asset.manage")
    client = get_client(session=session, client_id=client_id)
    if asset_id is not None:
        asset = get_or_not_found(session, Asset, asset_id, "asset")
        if asset.client_id != client.id:
            raise ValidationError({"logo": f"'{asset.label}' is not an asset of {client.name}."})
        _check_logo_file(asset)
    client.logo_asset_id = asset_id
    session.add(client)
    session.flush()
    return client


def _check_logo_file(asset: Asset) -> None:
    try:
        with Image.open(store.abs_path(asset.path)) as img:
            img.load()
    except (OSError, ValueError):
        raise ValidationError({"logo": f"'{asset.label}' cannot be a logo: its file is missing "
                               "or is not an image. Upload it again."}) from None  # fmt: skip


def logo_of(session: Session, client_id: str) -> Asset | None:
    """The client's logo for end cards, if it set one (and it was not deleted since)."""
    client = session.get(Client, client_id)
    if client is None or client.logo_asset_id is None:
        return None
    return session.get(Asset, client.logo_asset_id)


def logo_for_campaign(session: Session, campaign_id: str) -> Asset | None:
    campaign = session.get(Campaign, campaign_id)
    return logo_of(session, campaign.client_id) if campaign is not None else None
