"""Draft images decode as what they claim, at every offered ratio, in the brand's colours."""

import numpy as np
import pytest
from PIL import Image

from core.catalog import IMAGE_SIZES
from core.media.draft.image import render_image, subject_words
from tests.core.media.ink import is_dash, marks

BRAND = ["#FF6B35", "#004E89", "#F7F7F2"]
META = {"prompt": "a can on a beach", "model": "local/draft-image", "seed": "3"}


def _render(tmp_path, name="x.png", fmt="png", size=(256, 256), palette=BRAND, seed=3, **kw):
    out = tmp_path / name
    render_image(
        prompt=kw.get("prompt", "a can on a beach"),
        width=size[0],
        height=size[1],
        palette=palette,
        seed=seed,
        fmt=fmt,
        out_path=out,
        metadata=META,
    )
    return out


@pytest.mark.parametrize("ratio", sorted(IMAGE_SIZES))
@pytest.mark.parametrize("fmt", ["png", "jpg"])
def test_every_ratio_has_its_exact_size_and_format(tmp_path, ratio, fmt):
    out = _render(tmp_path, f"i.{fmt}", fmt, IMAGE_SIZES[ratio])
    with Image.open(out) as img:
        assert img.size == IMAGE_SIZES[ratio]
        assert img.format == ("PNG" if fmt == "png" else "JPEG")


def _distance_to(img_path, palette) -> float:
    pixels = np.asarray(Image.open(img_path).convert("RGB"), dtype=np.float32).reshape(-1, 3)
    colours = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette], np.float32)
    nearest = np.min(np.linalg.norm(pixels[:, None, :] - colours[None], axis=2), axis=1)
    return float(np.median(nearest))


def test_the_brand_palette_colours_the_image(tmp_path):
    other = ["#2ECC71", "#8E44AD", "#F1C40F"]
    brand_img = _render(tmp_path, "brand.png")
    other_img = _render(tmp_path, "other.png", palette=other)
    assert _distance_to(brand_img, BRAND) < _distance_to(brand_img, other)
    assert _distance_to(other_img, other) < _distance_to(other_img, BRAND)


def test_same_seed_same_bytes_other_seed_other_pixels(tmp_path):
    a, b = _render(tmp_path, "a.png"), _render(tmp_path, "b.png")
    c = _render(tmp_path, "c.png", seed=4)
    assert a.read_bytes() == b.read_bytes()
    assert not np.array_equal(np.asarray(Image.open(a)), np.asarray(Image.open(c)))


def test_provenance_is_in_the_png_text_chunks_and_jpeg_exif(tmp_path):
    with Image.open(_render(tmp_path)) as img:
        assert img.text["prompt"] == "a can on a beach"
        assert img.text["model"] == "local/draft-image" and img.text["seed"] == "3"
    with Image.open(_render(tmp_path, "x.jpg", "jpg")) as img:
        assert "prompt=a can on a beach" in img.getexif()[0x010E]


def test_the_image_is_not_flat(tmp_path):
    pixels = np.asarray(Image.open(_render(tmp_path)).convert("L"), dtype=np.float32)
    assert pixels.std() > 10  # layers, shapes and type, not a test card


def _caption_marks(tmp_path, prompt: str):
    """The caption's marks on a near-black image (the title is drawn in near-black too)."""
    out = _render(tmp_path, size=(1024, 1024), palette=["#000000", "#101010"], prompt=prompt)
    size, margin = int(1024 * 0.032), int(1024 * 0.07)  # caption type size and safe margin
    top = 1024 - margin - int(size * 2.35)  # a one-line band
    with Image.open(out) as img:
        return marks(img, (0, top, 1024, 1024 - margin), gap=round(size * 0.2)), size


def test_the_caption_draws_an_em_dash_as_a_dash_not_a_box(tmp_path):
    shapes, size = _caption_marks(tmp_path, "aisle — this spring")
    assert len(shapes) == 4, shapes  # aisle, the dash, this, spring
    assert is_dash(shapes[1], size), shapes[1]


def test_the_caption_leaves_out_what_no_font_can_draw(tmp_path):
    shapes, _ = _caption_marks(tmp_path, "aisle \U0001f34b spring")
    assert len(shapes) == 2, shapes


def test_the_title_keeps_accented_words_whole():
    assert subject_words("Crème brûlée on a café table") == ["Crème", "brûlée", "café"]
    assert subject_words("Grandma’s lemon zest") == ["Grandma’s", "lemon", "zest"]


def _near_share(img_path, palette, within=40.0) -> float:
    """The share of pixels within `within` (RGB distance) of some palette colour."""
    pixels = np.asarray(Image.open(img_path).convert("RGB"), dtype=np.float32).reshape(-1, 3)
    colours = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette], np.float32)
    nearest = np.min(np.linalg.norm(pixels[:, None, :] - colours[None], axis=2), axis=1)
    return float(np.mean(nearest <= within))


@pytest.mark.parametrize("palette", [BRAND, ["#6EC6FF", "#FFE066"], ["#E10600", "#111111"]])
def test_most_of_the_frame_is_in_the_palettes_own_colours_not_blends_of_them(tmp_path, palette):
    for seed in range(5):
        out = _render(tmp_path, f"{seed}.png", palette=palette, seed=seed)
        assert _near_share(out, palette) > 0.5, seed


def test_colours_the_prompt_names_paint_the_frame_when_the_client_has_no_palette(tmp_path):
    brief = ["#6EC6FF", "#FFE066"]
    prompt = "Zero sugar, real fruit flavour. Bright. Palette #6EC6FF, #ffe066."
    out = _render(tmp_path, palette=[], prompt=prompt)
    assert _near_share(out, brief) > 0.5
    assert _distance_to(out, brief) < _distance_to(out, ["#1F2A44", "#E4572E", "#F3A712"])


def test_a_one_colour_palette_is_kept_not_swapped_for_the_default(tmp_path):
    out = _render(tmp_path, palette=["#E10600"])
    shade = ["#E10600", "#EE7676"]  # the colour and a lighter tint of it (it is dark)
    assert _near_share(out, shade) > 0.5
