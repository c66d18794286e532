"""The client's logo on the end card: above the call to action, inside the frame's safe area,
its shape and transparency kept; in the rendered ad's last scene and nowhere else; none when no
logo is set; a logo that is not an image is refused before anything is written."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.media.compose import Clip, compose, end_card, end_card_band
from tests.core.media.measure import frame, solid_clip

W, H = 640, 360
CTA = "Find it in store"


def logo_png(path, size=(200, 100)):
    """A magenta rounded mark on a transparent canvas: no colour of a clip or band is near it."""
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((10, 10, size[0] - 10, size[1] - 10), fill=(255, 0, 255, 255))
    img.save(path)
    return path


def magenta(picture: np.ndarray) -> np.ndarray:
    rgb = picture[..., :3].astype(int)
    return (rgb[..., 0] > 180) & (rgb[..., 1] < 90) & (rgb[..., 2] > 180)


def box(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (720, 1280)])
def test_the_logo_sits_above_the_band_inside_the_frame_keeping_its_shape(tmp_path, width, height):
    card = end_card(CTA, width, height, tmp_path / "card.png", logo=logo_png(tmp_path / "l.png"))
    pixels = np.asarray(Image.open(card).convert("RGBA"))
    left, top, right, bottom = box(magenta(pixels) & (pixels[..., 3] == 255))
    band_top, _ = end_card_band(CTA, width, height)
    assert bottom < band_top  # above the call to action, not over it
    assert top > height * 0.05 and left > width * 0.05 and right < width * 0.95  # safe area
    assert abs((left + right) / 2 - width / 2) <= 2  # centred
    assert (right - left) / (bottom - top) == pytest.approx(180 / 80, rel=0.05)  # its shape
    # Its transparent corners stay see-through: the picture shows there, not a box.
    assert pixels[top, left, 3] == 0 and pixels[bottom - 1, right - 1, 3] == 0


def test_a_logo_alone_takes_the_bands_place(tmp_path):
    card = end_card("", W, H, tmp_path / "card.png", logo=logo_png(tmp_path / "l.png"))
    pixels = np.asarray(Image.open(card).convert("RGBA"))
    _, _, _, bottom = box(magenta(pixels))
    assert H * 0.85 < bottom <= H * 0.92
    assert (pixels[..., 3] > 0).sum() == magenta(pixels).sum()  # no band drawn: only the logo


@pytest.mark.parametrize("transition", ["cut", "crossfade"])
def test_the_rendered_ads_last_scene_carries_the_logo_and_only_it(tmp_path, transition):
    clips = [Clip(solid_clip(tmp_path / f"c{i}.mp4", W, H, 2, "0xE0E0D0"), 2) for i in range(2)]
    out = tmp_path / "ad.mp4"
    compose(clips=clips, out_path=out, width=W, height=H, transition=transition,
            call_to_action=CTA, logo=logo_png(tmp_path / "l.png"))  # fmt: skip
    last, first = frame(out, 3.8, W, H), frame(out, 0.5, W, H)
    assert magenta(last).sum() > 2000  # the logo, drawn at about 130 x 58 px
    left, top, right, bottom = box(magenta(last))
    assert bottom < end_card_band(CTA, W, H)[0] and abs((left + right) / 2 - W / 2) <= 3
    assert not magenta(first).any()  # the first scene has no end card


def test_without_a_logo_the_end_card_has_none(tmp_path):
    clips = [Clip(solid_clip(tmp_path / "c.mp4", W, H, 2, "0xE0E0D0"), 2)]
    out = tmp_path / "ad.mp4"
    compose(clips=clips, out_path=out, width=W, height=H, call_to_action=CTA)
    assert not magenta(frame(out, 1.8, W, H)).any()


def test_a_logo_that_is_not_an_image_is_refused_before_anything_is_written(tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    clips = [Clip(solid_clip(tmp_path / "c.mp4", W, H, 2, "0xE0E0D0"), 2)]
    out = tmp_path / "ad.mp4"
    with pytest.raises(ValueError, match=r"The end card's logo \(logo.png\) is not a readable"):
        compose(clips=clips, out_path=out, width=W, height=H, call_to_action=CTA, logo=fake)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".compose-")] == []
