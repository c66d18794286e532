"""Draft images: a layered composition in the brand palette, with the prompt set as type.

The palette is the client's and any colours the prompt names (a brief's palette, carried into a
scene's prompt). Layers: one palette colour shading into a tint of itself, shapes in the other
palette colours placed by a seeded layout, the prompt's subject words set large, and the full
prompt as a caption on a translucent band inside a safe margin. Most of the frame is within a
small distance of a palette colour: a gradient between two brand colours is mostly the mud
between them, which reads as no palette at all. Soft layers are drawn at a quarter of the size
and scaled up: blur hides the scaling and it is 16x less work.
"""

from __future__ import annotations

import os
import random
import re
import textwrap
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from PIL.PngImagePlugin import PngInfo

from core.media.draft.fonts import drawable, load_font

DEFAULT_PALETTE = ["#1F2A44", "#E4572E", "#F3A712", "#F6F1E9"]
STOPWORDS = set(
    "a an the and or of on in at to for with by from into over under above near is are be this "
    "that these those it its as very some any our your their my his her of close up shot view "
    "image photo picture scene style background".split()
)
SOFT_SCALE = 4
HEX_RE = re.compile(r"#?(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
# Six digits only in running text: "#ace" or "#bad" is more likely a hashtag than a colour.
HEX_IN_TEXT_RE = re.compile(r"#[0-9A-Fa-f]{6}\b")


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _shade(c: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    """The colour moved `share` of the way to black if it is light, else to white."""
    toward = 0 if _luma(c) >= 128 else 255
    r, g, b = (round(x + (toward - x) * share) for x in c)
    return r, g, b


def colours_of(palette: list[str], prompt: str = "") -> list[tuple[int, int, int]]:
    """The client's palette, then the colours the prompt names; one colour is paired with a
    shade of itself, and with none at all the studio's default palette stands in."""
    named = [*palette, *(m.group(0) for m in HEX_IN_TEXT_RE.finditer(prompt))]
    colours = list(dict.fromkeys(rgb(c) for c in named if HEX_RE.fullmatch(c or "")))
    if len(colours) == 1:
        colours.append(_shade(colours[0], 0.45))
    return colours or [rgb(c) for c in DEFAULT_PALETTE]


def _luma(c: tuple[int, int, int]) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def _gradient(w: int, h: int, a, b, rnd: random.Random) -> Image.Image:
    angle = rnd.uniform(0, np.pi)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs / max(w - 1, 1)) * np.cos(angle) + (ys / max(h - 1, 1)) * np.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    t = t * t * (3 - 2 * t)  # smoothstep: softer than a linear ramp
    img = np.array(a, np.float32) * (1 - t[..., None]) + np.array(b, np.float32) * t[..., None]
    return Image.fromarray(img.clip(0, 255).astype(np.uint8))


def _shapes(w: int, h: int, colours, rnd: random.Random) -> Image.Image:
    """Nearly opaque: a translucent shape is a blend of two colours, in neither palette colour."""
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rnd.randint(3, 5)):
        r = rnd.uniform(0.12, 0.38) * min(w, h)
        cx, cy = rnd.uniform(0, w), rnd.uniform(0, h)
        colour = (*rnd.choice(colours), rnd.randint(215, 245))
        if rnd.random() < 0.6:
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
        else:
            draw.rounded_rectangle((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), r * 0.25, colour)
    return layer.filter(ImageFilter.GaussianBlur(max(w, h) / 120))


def subject_words(prompt: str, limit: int = 3) -> list[str]:
    words = re.findall(r"[^\W\d_](?:[^\W\d_]|['’-])+", prompt)
    words = [w for w in words if w.lower().replace("’", "'") not in STOPWORDS]
    return words[:limit] or ["Draft"]


def _fit_font(draw: ImageDraw.ImageDraw, text: str, max_w: float, start: int):
    size = start
    while size > 12:
        font = load_font(size, "Semibold")
        if draw.textlength(text, font=font) <= max_w:
            return font
        size = int(size * 0.88)
    return load_font(12, "Semibold")


def _type(img: Image.Image, prompt: str, colours, ground) -> None:
    w, h = img.size
    margin = int(min(w, h) * 0.07)
    draw = ImageDraw.Draw(img, "RGBA")
    title = drawable(" ".join(subject_words(prompt)).upper(), load_font(48, "Semibold"))
    ink = max(colours, key=_luma) if _luma(ground) < 128 else min(colours, key=_luma)
    font = _fit_font(draw, title, w - 2 * margin, int(min(w, h) * 0.13))
    draw.text((margin, margin), title, font=font, fill=(*ink, 235))
    size = max(14, int(min(w, h) * 0.032))
    caption = load_font(size)
    lines = textwrap.wrap(
        drawable(prompt, caption), width=max(16, int((w - 2 * margin) / (size * 0.52)))
    )[:4]
    band_h = int(len(lines) * size * 1.35 + size)
    top = h - margin - band_h
    draw.rectangle((0, top, w, top + band_h), fill=(0, 0, 0, 110))
    for i, line in enumerate(lines):
        draw.text((margin, top + size * 0.5 + i * size * 1.35), line, font=caption,
                  fill=(255, 255, 255, 240))  # fmt: skip


def _save(img: Image.Image, fmt: str, out_path: Path, metadata: dict[str, str]) -> None:
    tmp = out_path.with_name(f".{out_path.name}.part")
    try:
        if fmt == "png":
            info = PngInfo()
            for key, value in metadata.items():
                info.add_itxt(key, str(value))
            img.save(tmp, "PNG", pnginfo=info, compress_level=1)
        else:
            exif = Image.Exif()
            exif[0x010E] = "; ".join(f"{k}={v}" for k, v in metadata.items())  # description
            exif[0x0131] = "Campaign Studio draft engine"  # software
            img.save(tmp, "JPEG", quality=90, exif=exif.tobytes())
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def render_image(
    *,
    prompt: str,
    width: int,
    height: int,
    palette: list[str],
    seed: int,
    fmt: str,
    out_path: Path,
    metadata: dict[str, str],
) -> None:
    rnd = random.Random(seed * 1_000_003 + zlib.crc32(prompt.encode()))
    colours = colours_of(palette, prompt)
    ground = rnd.choice(colours)
    others = [c for c in colours if c != ground]
    sw, sh = max(1, width // SOFT_SCALE), max(1, height // SOFT_SCALE)
    soft = _gradient(sw, sh, ground, _shade(ground, 0.12), rnd).convert("RGBA")
    soft.alpha_composite(_shapes(sw, sh, others, rnd))
    img = soft.convert("RGB").resize((width, height), Image.Resampling.BILINEAR)
    _type(img, prompt.strip() or "Untitled", colours, ground)
    _save(img, "png" if fmt == "png" else "jpg", out_path, metadata)
