"""Showcase: approved storyboards with their finished ads, each behind a real frame until
played, with one download per aspect ratio and the logo its end card carries, for every role."""

from __future__ import annotations

import numpy as np
import pytest
import streamlit as st
from PIL import Image
from sqlmodel import select

from core.campaigns import assets
from core.models import Generation
from core.storyboards import editing as sb
from core.storyboards import final_ad, reviews
from tests.utils.factories import (
    TINY_FIELDS,
    approve_storyboard,
    image_bytes,
    make_asset,
    make_storyboard,
)
from tests.utils.screens import holders, video_widths
from ui.media import PORTRAIT_WIDTH, file_name


def _board(session, people, campaign, title, *, approve=True):
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS, title=title)
    if approve:
        approve_storyboard(session, board, people["creative"], people["reviewer"])
    return board


def _text(at) -> str:
    return "\n".join(p.value for p in [*at.subheader, *at.caption, *at.markdown, *at.info])


def _play_all(at):
    for key in [b.key for b in at.button if b.label == "Play"]:
        at = at.button(key=key).click().run()
    return at


def _poster_widths(at) -> list[int | str]:
    boxes = holders(at, lambda e: getattr(e, "type", None) == "image")
    return [b.proto.width_config.pixel_width or "stretch" for b in boxes]


def _finals(session) -> list[Generation]:
    session.expire_all()
    query = select(Generation).where(Generation.kind == "composite")
    return list(session.exec(query.order_by(Generation.created_at)))


def test_a_storyboard_rendered_on_its_screen_plays_on_the_showcase(
    screen, people, campaign, session
):
    board = _board(session, people, campaign, "Rendered ad")
    at = screen("storyboards", people["creative"], query={"storyboard": board.id}).run()
    # A free render: nothing to confirm; in each ratio the brief asks for (16:9 and 9:16).
    at.button(key="storyboards_render").click().run()
    assert not at.exception
    show = screen("showcase", people["viewer"]).run()
    assert not show.exception and not show.error
    assert [s.value for s in show.subheader] == ["Rendered ad"]
    assert len(show.get("image")) == 2 and not show.get("video")  # posters, until played
    show = _play_all(show)
    assert len(show.get("video")) == 2 and all(v.proto.autoplay for v in show.get("video"))
    for ratio in ("16:9", "9:16"):
        assert f"**Draft** · {ratio} · 4 s" in _text(show)  # every render says which it is
    assert "Acme Drinks · Spring Launch · v1" in _text(show)
    assert "Draft render (offline engine)" in _text(show)  # not passed off as the final look
    assert "Render cost $0.00 (frames, clips, music)" in _text(show)


def test_a_portrait_ad_plays_in_a_narrow_box_beside_a_full_width_landscape_one(
    screen, people, campaign, session
):
    board = _board(session, people, campaign, "Tall ad")
    board.aspect_ratio = "9:16"
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                  extra_ratios=("16:9",))  # fmt: skip
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert [c.value for c in at.caption if c.value.endswith(" s")] == [
        "**Draft** · 9:16 · 4 s",
        "**Draft** · 16:9 · 4 s",
    ]
    assert _poster_widths(at) == [PORTRAIT_WIDTH, "stretch"]
    assert video_widths(_play_all(at)) == [PORTRAIT_WIDTH, "stretch"]


def test_only_approved_storyboards_show_and_unrendered_ones_say_so(
    screen, people, campaign, session
):
    _board(session, people, campaign, "Draft only", approve=False)
    _board(session, people, campaign, "Approved, not rendered")
    at = screen("showcase", people["viewer"]).run()
    assert [s.value for s in at.subheader] == ["Approved, not rendered"]
    assert "the finished ad has not been rendered yet" in _text(at)
    assert not at.get("video")


def test_an_edit_after_approval_takes_it_off_the_showcase(screen, people, campaign, session):
    board = _board(session, people, campaign, "Edited later")
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    assert len(screen("showcase", people["viewer"]).run().get("image")) == 1
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         title="Edited later, v2")  # fmt: skip
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert "Nothing to show yet" in _text(at) and not at.get("image")


def test_a_render_from_before_a_later_approval_is_not_shown_as_the_current_version(
    screen, people, campaign, session
):
    board = _board(session, people, campaign, "Reframed")  # v1, 16:9
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         aspect_ratio="9:16")  # fmt: skip
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert "Acme Drinks · Spring Launch · v2" in _text(at)
    assert not at.get("image")  # the 16:9 ad of v1 is not the approved v2
    assert "Not rendered since v2 was approved" in _text(at)
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    assert len(at.get("image")) == 1
    assert [c.value for c in at.caption if c.value.endswith(" s")] == ["**Draft** · 9:16 · 4 s"]
    assert "Not rendered since" not in _text(at)


@pytest.mark.parametrize("role", ["admin", "creative", "reviewer", "viewer"])
def test_every_role_may_watch(screen, people, campaign, role):
    at = screen("showcase", people[role]).run()
    assert not at.error and "Nothing to show yet" in _text(at)


def test_the_poster_is_a_real_frame_of_the_ad_at_its_size(screen, people, campaign, session):
    board = _board(session, people, campaign, "Bright ad")
    final_ad.render(
        session=session, actor=people["creative"], storyboard_id=board.id, resolution="480p"
    )
    session.commit()
    at = screen("showcase", people["viewer"]).run()
    [ad] = _finals(session)
    poster = final_ad.poster(ad)
    assert poster is not None and at.get("image")[0].proto.imgs[0].url.endswith(".jpg")
    with Image.open(poster) as img:
        assert (img.format, img.size) == ("JPEG", (ad.width, ad.height))
        grey = np.asarray(img.convert("L"), np.float32)
    assert grey.mean() > 40 and grey.std() > 10  # not the black of the fade-in


def test_one_download_per_ratio_named_after_the_campaign_board_and_ratio(
    screen, people, campaign, session, monkeypatch
):
    board = _board(session, people, campaign, "Tall ad")
    board.aspect_ratio = "9:16"
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                    extra_ratios=("16:9",), resolution="480p")  # fmt: skip
    session.commit()
    offered, real = [], st.download_button

    def spy(label, **kwargs):
        offered.append((label, kwargs["file_name"], kwargs["data"]()[:8]))
        return real(label, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = screen("showcase", people["viewer"]).run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == [
        "Download 9:16 MP4", "Download 16:9 MP4"]  # fmt: skip
    assert [(label, name) for label, name, _ in offered] == [
        ("Download 9:16 MP4", "spring-launch-tall-ad-9x16-draft.mp4"),
        ("Download 16:9 MP4", "spring-launch-tall-ad-16x9-draft.mp4"),
    ]
    assert all(head[4:8] == b"ftyp" for _, _, head in offered)  # the MP4 itself


def test_the_end_card_logo_the_render_used_is_named(screen, people, campaign, session):
    logo = make_asset(session, people["creative"], campaign.client_id, filename="acme.png",
                      data=image_bytes(size=(120, 60)))  # fmt: skip
    assets.set_logo(session=session, actor=people["creative"], client_id=campaign.client_id,
                    asset_id=logo.id)  # fmt: skip
    session.commit()
    board = _board(session, people, campaign, "Logo ad")
    final_ad.render(
        session=session, actor=people["creative"], storyboard_id=board.id, resolution="480p"
    )
    session.commit()
    [ad] = _finals(session)
    assert ad.params["logo_asset_id"] == logo.id
    at = screen("showcase", people["viewer"]).run()
    assert "End card logo: acme.png" in _text(at)
    assets.delete_asset(session=session, actor=people["creative"], asset_id=logo.id)
    at = screen("showcase", people["viewer"]).run()
    assert "End card logo: a logo since deleted from Assets" in _text(at)


def test_a_file_name_keeps_letters_and_digits_only():
    assert file_name("Été / Spring!", "Ad: v2", "16:9", ext="mp4") == "ete-spring-ad-v2-16x9.mp4"
    assert file_name("", "  ", ext="mp4") == "download.mp4"
