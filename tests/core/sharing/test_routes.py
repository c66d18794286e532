"""The guest's page, video, poster and form over real HTTP (the share routes served on their
own, in this process): what a guest gets, what a closed link gives away (nothing), and byte
ranges for seeking."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import httpx
import pytest
from PIL import Image
from sqlmodel import select
from starlette.applications import Starlette

from core.media import store
from core.models import ShareEvent, utcnow
from core.sharing import links
from core.sharing.routes import ROUTES
from tests.core.sharing.ads import make_ad_file, stored_ad
from tests.utils.factories import TINY_FIELDS
from tests.utils.processes import serving


@pytest.fixture
def site():
    with serving(Starlette(routes=ROUTES)) as url, httpx.Client(base_url=url) as client:
        yield client


def _path(session, people, target_id: str, **kwargs) -> str:
    made = links.create_link(session=session, actor=people["creative"], target_id=target_id,
                             **kwargs)  # fmt: skip
    session.commit()
    return "/share/" + made.url.rsplit("/share/", 1)[1]


def _events(session) -> list[tuple]:
    session.expire_all()
    rows = session.exec(select(ShareEvent).order_by(ShareEvent.id)).all()
    return [(e.kind, e.guest_name, e.decision, e.comment) for e in rows]


def test_the_page_shows_the_ad_and_never_an_id_or_a_path(session, people, ad, board, site):
    path = _path(session, people, ad.id)
    page = site.get(path)
    assert page.status_code == 200
    html = page.text
    for shown in ("Acme Drinks", "Spring Launch", "Taste the Light", TINY_FIELDS["objective"]):
        assert shown in html
    assert re.search(r"<video [^>]*playsinline", html) and "poster=" in html
    token = path.rsplit("/", 1)[1]
    assert f'src="{token}/video"' in html
    assert "Animatic" not in html  # the finished ad is not called a rough cut
    hidden = (ad.id, board.id, ad.campaign_id, ad.client_id, ad.media_sha256, ad.media_path,
              people["creative"].id, "gen_", "sb_", "cmp_", "usr_", "/media/")  # fmt: skip
    besides_the_token = html.replace(token, "")  # random letters may spell "sb_" by chance
    assert not [h for h in hidden if h in besides_the_token]
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert _events(session) == [("view", "", None, "")]


def test_the_video_answers_byte_ranges_for_seeking(session, people, ad, site):
    path = _path(session, people, ad.id)
    data = store.abs_path(ad.media_path).read_bytes()
    part = site.get(f"{path}/video", headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-1099/{len(data)}"
    assert part.headers["accept-ranges"] == "bytes"
    assert part.content == data[100:1100]
    tail = site.get(f"{path}/video", headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == data[-500:]
    whole = site.get(f"{path}/video")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "video/mp4"
    past = site.get(f"{path}/video", headers={"Range": f"bytes={len(data) + 10}-"})
    assert past.status_code == 416
    poster = site.get(f"{path}/poster")
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(poster.content)) as img:  # the ad's own frame, at its size
        assert img.size == (ad.width, ad.height)


def test_a_link_serves_its_own_ad_and_no_other(
    session, people, campaign, board, ad, site, tmp_path
):
    other = stored_ad(
        session, people["creative"], campaign, board, make_ad_file(tmp_path / "b.mp4", 1)
    )
    mine, theirs = _path(session, people, ad.id), _path(session, people, other.id)
    assert site.get(f"{mine}/video").content == store.abs_path(ad.media_path).read_bytes()
    assert site.get(f"{theirs}/video").content == store.abs_path(other.media_path).read_bytes()
    assert ad.media_sha256 != other.media_sha256
    # Nothing but the token names a file: no path after it reaches anything else.
    for tail in (f"/{ad.id}", f"/{other.id}", "/video.mp4", "/thumb", "/video/1"):
        assert site.get(mine + tail).status_code in (404, 405)


@pytest.mark.parametrize(
    ("close", "status", "says"),
    [
        ("expire", 410, "This link has expired."),
        ("revoke", 410, "This link was revoked."),
        ("forge", 404, "This link does not exist."),
    ],
)
def test_a_closed_link_says_so_and_shows_nothing_else(
    session, people, ad, site, close, status, says
):
    path = _path(session, people, ad.id)
    if close == "expire":
        link = links.list_links(session=session, actor=people["admin"], target_id=ad.id)[0].link
        link.expires_at = utcnow() - timedelta(minutes=1)
        session.commit()
    elif close == "revoke":
        link = links.list_links(session=session, actor=people["admin"], target_id=ad.id)[0].link
        links.revoke_link(session=session, actor=people["admin"], link_id=link.id)
        session.commit()
    else:
        path = path[:-1] + ("A" if path[-1] != "A" else "B")
    page = site.get(path)
    assert page.status_code == status and says in page.text
    assert not [word for word in ("<video", "Acme", "Spring Launch", "<form", "poster")
                if word in page.text]  # fmt: skip
    for media in ("video", "poster"):
        answer = site.get(f"{path}/{media}", headers={"Range": "bytes=0-99"})
        assert answer.status_code == status and answer.headers["content-type"].startswith("text/")
    assert _events(session) == []


def _form_token(html: str) -> str:
    found = re.search(r'name="form" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def test_a_guest_approves_with_their_name_and_is_thanked(session, people, ad, site):
    path = _path(session, people, ad.id)
    form = _form_token(site.get(path).text)
    answer = {"form": form, "name": "Dana from Acme", "comment": "Lovely!", "decision": "approve"}
    sent = site.post(f"{path}/decision", data=answer)
    assert sent.status_code == 303
    token = path.rsplit("/", 1)[1]
    assert sent.headers["location"] == f"../{token}?sent=approve"
    thanked = site.get(f"{path}?sent=approve")
    assert "your approval was sent to the team" in thanked.text
    assert _events(session) == [("view", "", None, ""), ("decision", "Dana from Acme", "approve",
                                                          "Lovely!")]  # fmt: skip


def test_a_post_without_the_pages_form_or_a_name_records_nothing(session, people, ad, site):
    path = _path(session, people, ad.id)
    form = _form_token(site.get(path).text)
    forged = site.post(f"{path}/decision", data={"form": "1.x", "name": "Eve",
                                                 "decision": "approve"})  # fmt: skip
    assert forged.status_code == 400 and "send it again" in forged.text
    as_json = site.post(f"{path}/decision", json={"form": form, "name": "Eve",
                                                  "decision": "approve"})  # fmt: skip
    assert as_json.status_code == 415
    sneaky = "</textarea><script>alert(1)</script>"
    nameless = site.post(f"{path}/decision", data={"form": form, "name": " ", "comment": sneaky,
                                                   "decision": "changes"})  # fmt: skip
    assert nameless.status_code == 400 and "Give your name" in nameless.text
    assert "<script>" not in nameless.text and "&lt;script&gt;" in nameless.text
    assert _events(session) == [("view", "", None, "")]


def test_a_revoked_link_takes_no_more_answers(session, people, ad, site):
    path = _path(session, people, ad.id)
    form = _form_token(site.get(path).text)
    link = links.list_links(session=session, actor=people["admin"], target_id=ad.id)[0].link
    links.revoke_link(session=session, actor=people["creative"], link_id=link.id)
    session.commit()
    late = site.post(f"{path}/decision", data={"form": form, "name": "Dana",
                                               "decision": "approve"})  # fmt: skip
    assert late.status_code == 410 and "revoked" in late.text
    assert _events(session) == [("view", "", None, "")]
