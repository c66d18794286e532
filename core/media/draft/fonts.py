"""The typeface the draft engine and the end card set text in, and text it can draw without boxes.

Source Sans 3 (the variable font Streamlit ships in its package) covers Latin with accents, dashes,
curly quotes and the ellipsis; nothing is downloaded and no system font is used. Without it, the
font Pillow bundles (Aileron, which lacks dashes and accented letters) is the fallback. Either way,
a character the font has no glyph for (told by comparing its rendering with the font's .notdef box)
is replaced by a close ASCII equivalent, stripped of its accent, or left out: never drawn as a box.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

NOT_A_CHARACTER = "\U0010ffff"  # never mapped by a font: renders as .notdef
ASCII = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": "*",
    "\u00d7": "x",
    "\u2192": "->",
    "\u2190": "<-",
}


def _source_sans() -> Path | None:
    """Streamlit's Source Sans file, found without importing Streamlit (core never does)."""
    spec = importlib.util.find_spec("streamlit")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder, "static", "static", "media").glob("SourceSansVF-Upright*"))
        if found:
            return found[0]
    return None


@lru_cache(maxsize=64)
def load_font(size: int, weight: str = "Regular") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The studio's font at size px; weight is a named instance (Regular, Semibold, Bold...)."""
    path = _source_sans()
    if path is not None:
        try:
            font = ImageFont.truetype(str(path), size)
            font.set_variation_by_name(weight)
            return font
        except (OSError, ValueError):
            pass  # unreadable or not the variable font expected: use Pillow's own
    return ImageFont.load_default(size=size)


def _signature(font, text: str):
    mask = font.getmask(text)
    return mask.size, bytes(mask), font.getlength(text)


@lru_cache(maxsize=8192)
def has_glyph(font, char: str) -> bool:
    """Whether font draws char as itself rather than as its .notdef box."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return False
    return _signature(font, char) != _signature(font, NOT_A_CHARACTER)


def _substitute(font, char: str) -> str:
    if char.isspace():
        return " "
    plain = ASCII.get(char)
    if plain is None:  # an accented letter without its accent: é -> e
        bare = unicodedata.normalize("NFKD", char)
        plain = "".join(c for c in bare if not unicodedata.combining(c))
    return plain if plain and all(has_glyph(font, c) for c in plain) else ""


def drawable(text: str, font) -> str:
    """text as font can draw it: what it lacks is replaced by ASCII or left out."""
    out = [
        c if has_glyph(font, c) else _substitute(font, c)
        for c in unicodedata.normalize("NFC", text)
    ]
    return re.sub(r"(?<= ) +", "", "".join(out)) if "" in out else "".join(out)
