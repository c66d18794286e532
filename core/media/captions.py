"""Captions of the voice lines: timed to the words, drawn in the brand's colour on a legible box
inside the frame's safe zone, and written as WebVTT and SubRip.

Most social video is watched muted, so the words must be readable where each platform leaves
room: its own interface covers the bottom of a vertical video (caption, buttons, progress bar)
and its right edge (like and share buttons). A caption never covers the end card's call to
action: over the last scene it sits above the end card's band.

Each caption is a phrase of at most two lines, shown from its first word to a moment after its
last (never into the next phrase), broken where the speaker pauses when it can be.

Burning in: each caption is drawn once with Pillow (the studio's own font, no system font) on a
transparent strip as wide as the frame; the strips, with a blank one for the gaps between them,
go to ffmpeg as a sequence of timed stills (its concat demuxer, `CaptionLayer.listing`) laid
over the film, or over one clip, with one overlay filter. ffmpeg's drawtext and subtitles
filters would do too, but need a font file on the machine and libass styling; this way the
captions are set in the end card's font and look the same everywhere.
"""

from __future__ import annotations

import re
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.media.draft.fonts import drawable, load_font
from core.media.ffmpeg import RenderError, run_ffmpeg
from core.media.speech import Word

HOLD_S = 0.4  # a caption stays this long after its last word (never into the next one)
MIN_SHOW_S = 0.8  # a short phrase is shown at least this long where there is room
MAX_LINE_CHARS = 38  # beyond this a line is hard to read at a glance
BREAK_AFTER = re.compile(r"[.!?]['\")]*$")
SOFT_BREAK_AFTER = re.compile(r"[,;:\u2014-]['\")]*$")
BOX_ALPHA = 204  # 80 %: the picture shows through a little, the words stay legible
MIN_CONTRAST = 4.5  # WCAG AA for body text


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, other: Box) -> bool:
        return (self.left <= other.left and self.top <= other.top
                and other.right <= self.right and other.bottom <= self.bottom)  # fmt: skip


# Margins as fractions of (width, height): left, top, right, bottom.
SAFE_MARGINS = {
    # Landscape players keep their controls over the bottom tenth; title-safe sides.
    "landscape": (0.08, 0.08, 0.08, 0.10),
    # Feeds in square: the caption and buttons of the post sit low and to the right.
    "square": (0.08, 0.08, 0.10, 0.12),
    # Stories, Reels, Shorts, TikTok: their interface covers the bottom fifth and the right
    # edge (buttons), and the top (account name).
    "portrait": (0.06, 0.14, 0.16, 0.20),
}


def frame_shape(width: int, height: int) -> str:
    ratio = width / height
    if ratio >= 1.2:
        return "landscape"
    return "square" if ratio > 0.8 else "portrait"


def safe_zone(width: int, height: int) -> Box:
    """Where captions may go in a frame of this size (9:16 and 1:1 keep clear of more)."""
    left, top, right, bottom = SAFE_MARGINS[frame_shape(width, height)]
    return Box(round(width * left), round(height * top), round(width * (1 - right)),
               round(height * (1 - bottom)))  # fmt: skip


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class CaptionStyle:
    text: tuple[int, int, int]
    box: tuple[int, int, int, int]  # RGBA


DARK_BOX = (16, 16, 16, BOX_ALPHA)
LIGHT_BOX = (250, 250, 250, BOX_ALPHA)


def _rgb(hex_colour: str) -> tuple[int, int, int] | None:
    value = hex_colour.strip().lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        return None
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _luminance(rgb: Sequence[float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _over(box: tuple[int, int, int, int], background: int) -> tuple[float, float, float]:
    """The box's colour over the worst background for it."""
    a = box[3] / 255
    return (box[0] * a + background * (1 - a), box[1] * a + background * (1 - a),
            box[2] * a + background * (1 - a))  # fmt: skip


def caption_style(palette: Sequence[str] = (), text_colour: str | None = None) -> CaptionStyle:
    """The brand's colour (its font colour if it has one, else the first of its palette that
    can be read) on whichever box, dark or light, makes it legible over any picture; white on
    dark when no brand colour can be."""
    candidates = [c for c in (text_colour, *palette) if c]
    for colour in candidates:
        rgb = _rgb(colour)
        if rgb is None:
            continue
        for box, worst in ((DARK_BOX, 255), (LIGHT_BOX, 0)):
            if contrast(rgb, _over(box, worst)) >= MIN_CONTRAST:
                return CaptionStyle(rgb, box)
    return CaptionStyle((255, 255, 255), DARK_BOX)


def font_size(width: int, height: int) -> int:
    return max(16, round(min(width, height) * 0.048))


def _font(width: int, height: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return load_font(font_size(width, height), "Semibold")


def _max_text_px(width: int, height: int) -> int:
    zone = safe_zone(width, height)
    return int(zone.width - 2 * _padding(font_size(width, height))[0])


def _padding(size: int) -> tuple[int, int]:
    return round(size * 0.45), round(size * 0.22)


def wrap(text: str, font, max_px: int) -> list[str]:
    """`text` broken into lines no wider than max_px nor longer than MAX_LINE_CHARS (a longer
    word stands on its own)."""
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and len(joined) <= MAX_LINE_CHARS and font.getlength(joined) <= max_px:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fits(text: str, font, max_px: int) -> bool:
    return len(wrap(text, font, max_px)) <= 2


def phrases(words: Sequence[Word], width: int, height: int) -> list[list[Word]]:
    """The words grouped into captions of at most two lines, broken after a sentence, or after
    a comma once a caption has a few words, or where the next word would not fit."""
    font, max_px = _font(width, height), _max_text_px(width, height)
    groups: list[list[Word]] = []
    for word in words:
        current = groups[-1] if groups else None
        if current is not None:
            last = current[-1].text
            joined = " ".join(w.text for w in (*current, word))
            soft = SOFT_BREAK_AFTER.search(last) and len(current) >= 3
            if not (BREAK_AFTER.search(last) or soft) and _fits(joined, font, max_px):
                current.append(word)
                continue
        groups.append([word])
    return groups


def cues_for(lines: Sequence[Sequence[Word]], width: int, height: int, *,
             ad_end_s: float = float("inf")) -> list[Cue]:  # fmt: skip
    """Captions for spoken lines (each a list of words in ad time), in time order; none held
    past `ad_end_s` (a subtitle track longer than the film makes the whole file longer)."""
    groups = [g for words in lines for g in phrases(words, width, height)]
    groups.sort(key=lambda g: g[0].start_s)
    cues: list[Cue] = []
    for i, group in enumerate(groups):
        start, said = group[0].start_s, group[-1].end_s
        last = min(said + HOLD_S, max(ad_end_s, said))
        limit = groups[i + 1][0].start_s - 0.05 if i + 1 < len(groups) else last
        end = min(max(said + HOLD_S, start + MIN_SHOW_S), limit)
        cues.append(Cue(round(start, 3), round(max(end, said), 3),
                        " ".join(w.text for w in group)))  # fmt: skip
    return cues


def _stamp(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def vtt_text(cues: Sequence[Cue]) -> str:
    blocks = [f"{_stamp(c.start_s, '.')} --> {_stamp(c.end_s, '.')}\n{c.text}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


def srt_text(cues: Sequence[Cue]) -> str:
    blocks = [f"{i}\n{_stamp(c.start_s, ',')} --> {_stamp(c.end_s, ',')}\n{c.text}"
              for i, c in enumerate(cues, 1)]  # fmt: skip
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def sidecar(mp4: Path, fmt: str = "vtt") -> str:
    """The captions an ad carries (its subtitle track) as WebVTT or SubRip text; "" if none."""
    if fmt not in ("vtt", "srt"):
        raise ValueError(f"captions come as vtt or srt, not {fmt}")
    # Written in a dir of its own, not beside the stored ad: two people downloading the same
    # ad's captions at once must not share (or delete) one file.
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / f"captions.{fmt}"
        try:
            run_ffmpeg(["-y", "-loglevel", "error", "-i", str(mp4), "-map", "0:s:0?",
                        "-f", "webvtt" if fmt == "vtt" else "srt", str(out)])  # fmt: skip
        except RenderError as error:
            if "does not contain any stream" in str(error):  # an ad without a subtitle track
                return ""
            raise
        return out.read_text(encoding="utf-8") if out.exists() else ""


def _boxes(data: bytearray, start: int, end: int):
    """(type, payload start, box end) of each MP4 box in data[start:end]."""
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < head:
            return
        yield kind, at + head, at + size
        at += size


def hide_subtitle_track(mp4: Path) -> bool:
    """Clear the "enabled" flag of the MP4's text tracks, which ffmpeg's muxer always sets on
    the first track of each kind (players then show it by default). True if one was found."""
    with open(mp4, "r+b") as f:
        head = f.read(1 << 20)
        data = bytearray(head)
        found = False
        for kind, body, end in _boxes(data, 0, len(data)):
            if kind != b"moov":
                continue
            if end > len(data):  # a moov larger than what was read: read it whole
                f.seek(0)
                data = bytearray(f.read(end))
            for trak_kind, trak_body, trak_end in _boxes(data, body, end):
                if trak_kind == b"trak" and _is_text_track(data, trak_body, trak_end):
                    for tk, tk_body, _ in _boxes(data, trak_body, trak_end):
                        if tk == b"tkhd":
                            flags = int.from_bytes(data[tk_body + 1 : tk_body + 4], "big")
                            f.seek(tk_body + 1)
                            f.write((flags & ~1).to_bytes(3, "big"))
                            found = True
        return found


def _is_text_track(data: bytearray, body: int, end: int) -> bool:
    for kind, mdia, mdia_end in _boxes(data, body, end):
        if kind == b"mdia":
            for sub, sub_body, _ in _boxes(data, mdia, mdia_end):
                if sub == b"hdlr":
                    return bytes(data[sub_body + 8 : sub_body + 12]) in (b"sbtl", b"text")
    return False


def cue_box(text: str, width: int, height: int, bottom: int) -> tuple[Box, list[str]]:
    """Where a caption's box goes (centred in the safe zone, its bottom at `bottom`) and its
    lines."""
    size = font_size(width, height)
    font = _font(width, height)
    zone = safe_zone(width, height)
    lines = wrap(drawable(text, font), font, _max_text_px(width, height))
    pad_x, pad_y = _padding(size)
    text_w = max(font.getlength(line) for line in lines)
    box_w, box_h = int(text_w + 2 * pad_x), int(round(size * 1.25 * len(lines) + 2 * pad_y))
    left = zone.left + (zone.width - box_w) // 2
    top = max(zone.top, bottom - box_h)
    return Box(left, top, left + box_w, top + box_h), lines


def draw_cue(image: Image.Image, box: Box, lines: list[str], style: CaptionStyle, *,
             size: int, offset_y: int) -> None:  # fmt: skip
    """The caption drawn on `image` in type of `size` px (a strip `offset_y` px down the
    frame)."""
    draw = ImageDraw.Draw(image)
    font = load_font(size, "Semibold")
    radius = max(2, round(size * 0.22))
    top = box.top - offset_y
    draw.rounded_rectangle((box.left, top, box.right - 1, top + box.height - 1), radius,
                           fill=style.box)  # fmt: skip
    pad_y = _padding(size)[1]
    for i, line in enumerate(lines):
        x = box.left + (box.width - font.getlength(line)) / 2
        y = top + pad_y + i * size * 1.25 + size * 0.08
        draw.text((x, y), line, font=font, fill=(*style.text, 255))


@dataclass(frozen=True)
class CaptionLayer:
    """Every caption drawn once, on a transparent strip as wide as the frame that starts `top`
    px down it; `listing` times them for ffmpeg."""

    top: int
    shown: list[tuple[Cue, Box, Path]]  # each caption, where its box is, and its still
    blank: Path

    def listing(self, path: Path, start_s: float, end_s: float) -> Path | None:
        """An ffconcat file of the stills over [start_s, end_s), its clock starting at start_s;
        None when no caption shows then."""
        entries: list[tuple[Path, float]] = []
        at = start_s
        for cue, _, still in self.shown:
            a, b = max(cue.start_s, at), min(cue.end_s, end_s)
            if b <= a:
                continue
            if a > at:
                entries.append((self.blank, a - at))
            entries.append((still, b - a))
            at = b
        if not entries:
            return None
        entries.append((self.blank, max(0.04, end_s - at)))
        body = "ffconcat version 1.0\n" + "".join(
            f"file '{still.resolve()}'\nduration {seconds:.3f}\n" for still, seconds in entries
        )
        # The demuxer honours the last entry's duration only when a file follows it.
        path.write_text(body + f"file '{self.blank.resolve()}'\n")
        return path


def caption_layer(
    cues: Sequence[Cue],
    width: int,
    height: int,
    style: CaptionStyle,
    work: Path,
    *,
    keep_above: tuple[float, int] | None = None,
) -> CaptionLayer | None:
    """Each caption drawn once; `keep_above` = (from time, y): captions shown from that time on
    sit above y (the end card's band)."""
    if not cues:
        return None
    zone = safe_zone(width, height)
    gap = max(4, font_size(width, height) // 3)
    placed: list[tuple[Cue, Box, list[str]]] = []
    for cue in cues:
        bottom = zone.bottom
        if keep_above is not None and cue.end_s > keep_above[0]:
            bottom = min(bottom, keep_above[1] - gap)
        box, lines = cue_box(cue.text, width, height, bottom)
        placed.append((cue, box, lines))
    top = min(b.top for _, b, _ in placed)
    strip_h = max(b.bottom for _, b, _ in placed) - top
    strip_h += strip_h % 2
    blank = work / "caption-blank.png"
    Image.new("RGBA", (width, strip_h), (0, 0, 0, 0)).save(blank)
    shown = []
    for i, (cue, box, lines) in enumerate(placed):
        strip = Image.new("RGBA", (width, strip_h), (0, 0, 0, 0))
        draw_cue(strip, box, lines, style, size=font_size(width, height), offset_y=top)
        still = work / f"caption-{i:03d}.png"
        strip.save(still)
        shown.append((cue, box, still))
    return CaptionLayer(top, shown, blank)
