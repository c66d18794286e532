"""The client's logo on the final ad's end card: recorded by the render (which asset, and its
file, so the Showcase can say which logo an ad carries after the client picks another) and
drawn in its last scene; none when unset."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.campaigns import assets
from core.media import store
from core.media.compose import end_card_band
from core.models import Generation
from core.storyboards import final_ad
from tests.core.media.measure import frame
from tests.utils.factories import TINY_FIELDS, approve_storyboard, make_asset, make_storyboard


def logo_png() -> bytes:
    """A magenta mark on a transparent canvas: no draft frame or band has that colour."""
    img = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((10, 10, 190, 90), fill=(255, 0, 255, 255))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def board(session, people, campaign):
    made = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    return approve_storyboard(session, made, people["creative"], people["reviewer"])


def _plan(session, people, board):
    return final_ad.plan_render(session=session, actor=people["creative"], storyboard_id=board.id,
                                resolution="480p")  # fmt: skip


def test_a_render_records_the_clients_logo(session, people, campaign, board):
    logo = make_asset(session, people["creative"], campaign.client_id, data=logo_png())
    assets.set_logo(session=session, actor=people["creative"], client_id=campaign.client_id,
                    asset_id=logo.id)  # fmt: skip
    [final] = _plan(session, people, board).composites
    assert (final.params["logo_asset_id"], final.params["logo_path"]) == (logo.id, logo.path)
    assert final_ad.logo_on(session, final) == "logo.png"


def test_without_a_logo_a_render_records_none(session, people, board):
    [final] = _plan(session, people, board).composites
    assert final.params["logo_asset_id"] is None and final.params["logo_path"] is None
    assert final_ad.logo_on(session, final) is None


def _magenta(picture: np.ndarray) -> np.ndarray:
    rgb = picture.astype(int)
    return (rgb[..., 0] > 180) & (rgb[..., 1] < 90) & (rgb[..., 2] > 180)


def _rendered(session, people, board) -> tuple[Generation, np.ndarray, np.ndarray]:
    """The finished ad, its first and its last frame."""
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                           resolution="480p")  # fmt: skip
    session.expire_all()
    ad = session.get(Generation, plan.composites[0].id)
    assert ad.status == "succeeded", ad.error
    path = store.abs_path(ad.media_path)
    end = (ad.duration_s or 0) - 0.2
    return ad, frame(path, 0.5, ad.width, ad.height), frame(path, end, ad.width, ad.height)


def test_the_rendered_end_card_shows_the_logo_above_the_call_to_action(
    session, people, campaign, board
):
    logo = make_asset(session, people["creative"], campaign.client_id, data=logo_png())
    assets.set_logo(session=session, actor=people["creative"], client_id=campaign.client_id,
                    asset_id=logo.id)  # fmt: skip
    session.commit()
    ad, first, last = _rendered(session, people, board)
    assert ad.params["logo_asset_id"] == logo.id
    rows = np.flatnonzero(_magenta(last).any(axis=1))
    assert _magenta(last).sum() > 1000  # the mark, about 150 x 67 px at 480p
    assert rows[-1] < end_card_band(board.call_to_action, ad.width, ad.height)[0]
    assert not _magenta(first).any()


def test_without_a_logo_the_rendered_end_card_has_none(session, people, board):
    _, _, last = _rendered(session, people, board)
    assert not _magenta(last).any()
