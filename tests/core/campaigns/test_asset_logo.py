"""A client's logo for end cards: one of its own assets that decodes as an image, or none;
anything else is refused and nothing changes; deleting the asset takes it off the end cards."""

from __future__ import annotations

import pytest

from core.campaigns import assets
from core.errors import PermissionDenied, ValidationError
from core.media import store
from core.models import Client
from tests.utils.factories import image_bytes, make_asset, make_client


def _logo_id(session, client_id: str) -> str | None:
    session.expire_all()
    return session.get(Client, client_id).logo_asset_id


def _set(session, actor, client_id: str, asset_id: str | None) -> None:
    assets.set_logo(session=session, actor=actor, client_id=client_id, asset_id=asset_id)
    session.commit()


def test_a_clients_asset_becomes_its_logo_and_is_found_from_its_campaigns(
    session, people, campaign
):
    logo = make_asset(session, people["creative"], campaign.client_id)
    _set(session, people["creative"], campaign.client_id, logo.id)
    assert _logo_id(session, campaign.client_id) == logo.id
    assert assets.logo_for_campaign(session, campaign.id).id == logo.id
    _set(session, people["creative"], campaign.client_id, None)
    assert assets.logo_for_campaign(session, campaign.id) is None


def test_another_clients_asset_a_broken_file_or_a_viewer_change_nothing(session, people, campaign):
    mine = make_asset(session, people["creative"], campaign.client_id, filename="mine.png")
    _set(session, people["creative"], campaign.client_id, mine.id)
    other = make_client(session, people["admin"], "Bolt Bikes")
    theirs = make_asset(session, people["creative"], other.id, filename="bolt.png")
    with pytest.raises(ValidationError, match="'bolt.png' is not an asset of Acme Drinks"):
        _set(session, people["creative"], campaign.client_id, theirs.id)
    # Another picture than mine's: stored files are shared by content.
    broken = make_asset(session, people["creative"], campaign.client_id, filename="b.png",
                        data=image_bytes(size=(48, 48)))  # fmt: skip
    store.abs_path(broken.path).write_bytes(b"not an image at all")
    with pytest.raises(ValidationError, match="'b.png' cannot be a logo: its file is missing"):
        _set(session, people["creative"], campaign.client_id, broken.id)
    with pytest.raises(PermissionDenied):
        _set(session, people["viewer"], campaign.client_id, None)
    session.rollback()
    assert _logo_id(session, campaign.client_id) == mine.id


def test_deleting_the_logo_asset_takes_it_off_the_end_cards(session, people, campaign):
    logo = make_asset(session, people["creative"], campaign.client_id)
    _set(session, people["creative"], campaign.client_id, logo.id)
    assets.delete_asset(session=session, actor=people["creative"], asset_id=logo.id)
    assert _logo_id(session, campaign.client_id) is None
    assert assets.logo_for_campaign(session, campaign.id) is None
