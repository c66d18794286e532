"""A storyboard's share link plays its animatic, over real HTTP: before any video money is spent
there is something to send a client, and the same link keeps up when the animatic is remade."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from core.errors import Conflict
from core.media import store
from core.models import utcnow
from core.sharing import links
from core.sharing.routes import ROUTES
from core.storyboards import animatic
from core.storyboards import editing as sb
from tests.core.sharing.ads import stored_ad
from tests.utils.processes import serving


@pytest.fixture
def site():
    with serving(Starlette(routes=ROUTES)) as url, httpx.Client(base_url=url) as client:
        yield client


def _link(session, people, board) -> str:
    made = links.create_link(session=session, actor=people["creative"], target_id=board.id)
    session.commit()
    return "/share/" + made.url.rsplit("/share/", 1)[1]


def _animatic(session, people, board):
    made = animatic.make_animatic(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    return made.animatic


def test_a_storyboards_link_plays_its_animatic(session, people, board, site):
    with pytest.raises(Conflict, match="no animatic or finished ad"):
        _link(session, people, board)  # nothing to play yet
    cut = _animatic(session, people, board)
    path = _link(session, people, board)
    page = site.get(path)
    assert page.status_code == 200 and "<video" in page.text and board.title in page.text
    assert cut.id not in page.text and board.id not in page.text
    assert "Animatic: a rough cut" in page.text  # not taken for the finished ad
    video = site.get(f"{path}/video")
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert video.content == store.abs_path(cut.media_path).read_bytes()
    poster = site.get(f"{path}/poster")
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"


def test_the_link_plays_the_newest_animatic_and_its_newest_once_remade(
    session, people, board, ad, site
):
    first = _animatic(session, people, board)  # the board also has a final ad: `ad`
    path = _link(session, people, board)
    assert site.get(f"{path}/video").content == store.abs_path(first.media_path).read_bytes()
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         call_to_action="Now in every chiller.")  # fmt: skip
    session.commit()
    second = _animatic(session, people, board)
    assert second.id != first.id and second.media_sha256 != first.media_sha256
    again = site.get(f"{path}/video")  # the same link, not a new one
    assert again.content == store.abs_path(second.media_path).read_bytes()


def test_the_link_plays_an_ad_finished_after_its_animatic_though_planned_before(
    session, people, campaign, board, ad_file, site
):
    later = stored_ad(session, people["creative"], campaign, board, ad_file)
    later.finished_at = None  # a render in flight: its row is written when it starts
    session.commit()
    cut = _animatic(session, people, board)  # made while the ad renders
    path = _link(session, people, board)
    assert "Animatic: a rough cut" in site.get(path).text
    assert site.get(f"{path}/video").content == store.abs_path(cut.media_path).read_bytes()
    later.finished_at = utcnow()  # the ad's file lands after the animatic
    session.add(later)
    session.commit()
    page = site.get(path).text
    assert "Animatic" not in page  # the finished ad, not called a rough cut
    assert site.get(f"{path}/video").content == store.abs_path(later.media_path).read_bytes()
