"""The end card sets the call to action as the client wrote it: no empty boxes for dashes, quotes,
accents or emoji the font lacks."""

from PIL import Image

from core.media.compose import end_card
from tests.core.media.ink import is_dash, marks

W, H = 1280, 720
SIZE = int(min(W, H) * 0.055)  # the end card's type size


def _card(tmp_path, text: str) -> Image.Image:
    with Image.open(end_card(text, W, H, tmp_path / "card.png")) as img:
        return img.convert("RGBA")


def _band_marks(img: Image.Image) -> list[tuple[int, int]]:
    top = H - int(H * 0.08) - int(SIZE * 3)  # one line: the band is 3 type sizes tall
    return marks(
        img, (0, top, W, H - int(H * 0.08)), gap=round(SIZE * 0.2)
    )  # wider than between letters


def test_an_em_dash_is_drawn_as_a_dash_not_a_box(tmp_path):
    shapes = _band_marks(_card(tmp_path, "aisle — this spring"))
    assert len(shapes) == 4, shapes  # aisle, the dash, this, spring
    assert is_dash(shapes[1], SIZE), shapes[1]


def test_a_character_no_font_has_is_left_out_rather_than_boxed(tmp_path):
    shapes = _band_marks(_card(tmp_path, "aisle \U0001f34b spring"))
    assert len(shapes) == 2, shapes  # aisle, spring: nothing between them


def test_text_in_the_frame_under_the_band_does_not_show_through_it(tmp_path):
    """A draft frame's own words (or a shot's signage) under the call to action must not cross
    it: over white, the band's empty edge stays close to the brand colour."""
    with Image.open(end_card("Shop now", W, H, tmp_path / "c.png", accent="#204080")) as card:
        over_white = Image.alpha_composite(Image.new("RGBA", (W, H), "white"), card.convert("RGBA"))
    top = H - int(H * 0.08) - int(SIZE * 3)
    r, g, b, _ = over_white.getpixel((4, top + 4))  # the band's left edge: no letters there
    assert max(abs(r - 0x20), abs(g - 0x40), abs(b - 0x80)) < 25, (r, g, b)
