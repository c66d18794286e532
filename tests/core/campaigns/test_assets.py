"""Uploaded assets in core: a campaign must be the client's own, and a refused upload leaves no
row and no file."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import select

from core.campaigns import assets
from core.config import reset_settings
from core.errors import ValidationError
from core.media import store
from core.media.sources import chosen_start
from core.models import Asset, Generation
from tests.utils.factories import (
    image_bytes,
    make_asset,
    make_campaign,
    make_client,
    many_pixels_png,
    submit_generation,
)


def _stored_files() -> list[str]:
    return sorted(p.name for p in store.media_dir().rglob("*") if p.is_file())


def test_an_asset_is_stored_with_its_size_and_a_thumbnail(session, people, campaign):
    asset = assets.upload_asset(session=session, actor=people["creative"],
                                client_id=campaign.client_id, campaign_id=campaign.id,
                                filename="logo.png", stream=io.BytesIO(image_bytes()))  # fmt: skip
    session.commit()
    assert (asset.width, asset.height, asset.mime, asset.label) == (64, 32, "image/png", "logo.png")
    with Image.open(store.abs_path(asset.thumb_path)) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (64, 32)


@pytest.mark.parametrize("whose", ["another client's", "missing"])
def test_a_campaign_that_is_not_the_clients_is_refused_and_nothing_is_stored(
    session, people, campaign, whose
):
    admin = people["admin"]
    other = make_client(session, admin, "Other Brand")
    other_campaign = make_campaign(session, admin, "Elsewhere", client_id=other.id, budget_usd=None)
    campaign_id = other_campaign.id if whose == "another client's" else "cmp_missing"
    with pytest.raises(ValidationError, match="not a campaign of"):
        assets.upload_asset(session=session, actor=people["creative"],
                            client_id=campaign.client_id, campaign_id=campaign_id,
                            filename="logo.png", stream=io.BytesIO(image_bytes()))  # fmt: skip
    assert list(session.exec(select(Asset))) == [] and _stored_files() == []


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((8000, 7000), "56 megapixels (8000 × 7000)"),
        ((15000, 12000), "over 178 megapixels, far past what is allowed"),
    ],
    ids=["past the studio's 50 MP", "past Pillow's bomb limit"],
)
def test_an_image_of_too_many_pixels_is_refused_and_nothing_is_stored(
    session, people, campaign, size, shown
):
    with pytest.raises(ValidationError) as caught:
        assets.upload_asset(session=session, actor=people["creative"],
                            client_id=campaign.client_id, filename="poster.png",
                            stream=io.BytesIO(many_pixels_png(*size)))  # fmt: skip
    assert str(caught.value).startswith(f"'poster.png' is {shown}")
    assert str(caught.value).endswith("the limit is 50 megapixels. Resize it and upload it again.")
    assert list(session.exec(select(Asset))) == [] and _stored_files() == []


def test_an_upload_is_described_before_it_is_stored_with_the_same_refusals(monkeypatch):
    tall = io.BytesIO(image_bytes(size=(90, 160)))
    tall.seek(3)  # wherever the caller's stream stood, it is left there
    assert assets.inspect_upload("tall.png", tall) == (90, 160) and tall.tell() == 3
    program = io.BytesIO(b"MZ\x90\x00" + b"\0" * 300)
    with pytest.raises(ValidationError, match=r"'setup.png' is not a PNG, JPEG or WebP image \("):
        assets.inspect_upload("setup.png", program)
    monkeypatch.setenv("STUDIO_UPLOAD_MAX_MB", "1")
    reset_settings()
    big = io.BytesIO(image_bytes() + b"\0" * 1_100_000)
    with pytest.raises(ValidationError, match="'big.png' is larger than the 1 MB limit"):
        assets.inspect_upload("big.png", big)
    with pytest.raises(ValidationError, match="'poster.png' is 56 megapixels"):
        assets.inspect_upload("poster.png", io.BytesIO(many_pixels_png(8000, 7000)))
    with pytest.raises(ValidationError, match="'cut.png' is damaged or not an image"):
        assets.inspect_upload("cut.png", io.BytesIO(image_bytes()[:40]))


def test_videos_made_from_a_deleted_asset_still_say_where_they_came_from(session, people, campaign):
    creative = people["creative"]
    asset = make_asset(session, creative, campaign.client_id)
    video = submit_generation(session, creative, campaign, "video", "the logo spins",
                              params={"duration": 1, "resolution": "480p"},
                              source_id=asset.id)  # fmt: skip
    assets.delete_asset(session=session, actor=creative, asset_id=asset.id)
    session.expire_all()
    kept = session.get(Generation, video.id)
    assert (kept.source_asset_id, kept.deleted_parent_id) == (None, asset.id)
    assert chosen_start(session, kept) == asset.id  # "Generate again" says its start image is gone
