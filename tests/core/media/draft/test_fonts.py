"""Text is set in a font that has its glyphs; what a font lacks becomes ASCII or is left out."""

from PIL import ImageFont

from core.media.draft.fonts import drawable, has_glyph, load_font

CLIENT_TEXT = "Crème brûlée — “zesty” & ‘bright’… 20\u00a0% off"


def test_the_studio_font_draws_dashes_quotes_and_accents_as_written():
    font = load_font(40)
    assert font.getname()[0] != "Aileron"  # a font with these glyphs ships in the venv
    assert drawable(CLIENT_TEXT, font) == CLIENT_TEXT


def test_a_font_without_dashes_or_accents_gets_close_ascii():
    aileron = ImageFont.load_default(size=40)  # Pillow's own: no dashes, no accented letters
    assert not has_glyph(aileron, "—") and has_glyph(aileron, "-")
    assert drawable("aisle — this spring", aileron) == "aisle - this spring"
    assert drawable("Crème – brûlée\u00a0now", aileron) == "Creme - brulee now"


def test_what_no_font_has_is_left_out_not_drawn_as_a_box():
    font = load_font(40)
    assert not has_glyph(font, "\U0001f34b")
    assert drawable("Lemon \U0001f34b zest", font) == "Lemon zest"
    assert drawable("tab\there", font) == "tab here"
