"""The final ad: scene clips joined in order (cut or crossfade), the voice lines spoken over one
music bed ducked under them (see `mix`), captions of the lines burned in when asked (see
`captions`), the call to action over the last scene, at any aspect ratio.

Two paths. Cuts between clips that are already encoded alike at the target size (every draft
clip is) are joined without re-encoding: only the clips that carry something drawn over them
(the call to action on the last, burned-in captions on those with a line) are re-encoded, with
the same settings, then the clips are concatenated as they are. Anything else (crossfades,
other sizes, Replicate clips) goes through one filter graph and one encode, captions laid over
the joined film in it.

Crossfades overlap neighbouring clips; each clip but the last is held on its final frame for the
fade's length first, so the film still lasts exactly the sum of its scenes.

The sound is mixed apart (voice, ducked music, loudness: `mix`) and muxed at the end, with the
captions as a subtitle track (burned in or not), from which `captions.sidecar` gives the .vtt
or .srt file to download with the ad.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from core.media import captions as cc
from core.media import thumbs
from core.media.draft.fonts import drawable, load_font
from core.media.draft.video import DRAFT_X264
from core.media.ffmpeg import probe, run_ffmpeg
from core.media.loudness import Loudness
from core.media.mix import Placement, VoiceLine, mix, place_lines

CROSSFADE_S = 0.5
BAND_ALPHA = 235  # the call to action's band, of 255
# The logo's box, as shares of the frame: a mark beside the call to action, not a second picture.
LOGO_MAX_W, LOGO_MAX_H = 0.36, 0.16
LOGO_GAP = 0.03  # between the logo and the band
SAFE_BOTTOM = 0.08  # the band's own margin above the frame's edge, kept by a logo alone
FINAL_X264 = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p")
QUIET = ("-y", "-hide_banner", "-loglevel", "error")


@dataclass(frozen=True)
class Clip:
    """A clip to show for `duration_s`: cut, or its last frame held, when it `made` another
    length."""

    path: Path
    duration_s: float
    made: float | None = None

    @property
    def off_length(self) -> bool:
        return self.made is not None and abs(self.made - self.duration_s) > 0.02


def _card_layout(text: str, width: int, height: int):
    size = max(18, int(min(width, height) * 0.055))
    font = load_font(size, "Semibold")
    lines = textwrap.wrap(drawable(text.strip(), font), width=max(12, int(width / (size * 0.55))))[
        :3
    ]
    band_h = int(size * 1.5 * len(lines) + size * 1.5)
    top = height - band_h - int(height * 0.08)
    return size, font, lines, top, band_h


def end_card_band(text: str, width: int, height: int) -> tuple[int, int]:
    """The rows (top, bottom) the end card's band covers in a frame of this size."""
    _, _, _, top, band_h = _card_layout(text, width, height)
    return top, top + band_h


def _logo_box(logo_size: tuple[int, int], text: str, width: int, height: int) -> tuple[int, ...]:
    """(left, top, width, height) of the logo: centred above the band (at the band's place when
    there is no call to action), as large as its box allows, its shape kept."""
    scale = min(width * LOGO_MAX_W / logo_size[0], height * LOGO_MAX_H / logo_size[1])
    w, h = max(1, round(logo_size[0] * scale)), max(1, round(logo_size[1] * scale))
    if text.strip():
        bottom = end_card_band(text, width, height)[0] - round(height * LOGO_GAP)
    else:
        bottom = height - round(height * SAFE_BOTTOM)
    return (width - w) // 2, bottom - h, w, h


class LogoUnreadable(ValueError):
    """The end card's logo is not an image: the ad is not made without it, unnoticed."""


def _logo_image(path: Path) -> Image.Image:
    """The logo with its transparency (a JPEG is opaque)."""
    try:
        with Image.open(path) as img:
            img.load()
            return img.convert("RGBA")
    except (OSError, ValueError) as error:
        message = f"The end card's logo ({path.name}) is not a readable image."
        raise LogoUnreadable(message) from error


def end_card(
    text: str,
    width: int,
    height: int,
    out_path: Path,
    accent: str = "#111111",
    *,
    logo: Path | None = None,
) -> Path:
    """A transparent overlay: the call to action on a band across the lower third, and the
    client's `logo` above it when given."""
    card = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if text.strip():
        _draw_band(card, text, accent)
    if logo is not None:
        mark = _logo_image(logo)
        left, top, w, h = _logo_box(mark.size, text, width, height)
        card.alpha_composite(mark.resize((w, h), Image.Resampling.LANCZOS), (left, top))
    card.save(out_path)
    return out_path


def _draw_band(card: Image.Image, text: str, accent: str) -> None:
    draw = ImageDraw.Draw(card)
    width, height = card.size
    size, font, lines, top, band_h = _card_layout(text, width, height)
    rgb = tuple(int(accent.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    # Nearly opaque: text in the frame under it (a draft frame's own prompt, a shot's signage)
    # showed through a lighter band and crossed the call to action.
    draw.rectangle((0, top, width, top + band_h), fill=(*rgb, BAND_ALPHA))
    y = top + int(size * 0.75)
    for line in lines:
        w = draw.textlength(line, font=font)
        draw.text(((width - w) / 2, y), line, font=font, fill=(255, 255, 255, 255))
        y += int(size * 1.5)


def card_top(card: Path) -> int:
    """The first row the end card draws on (its logo's, or its band's): captions over the last
    scene stay above it."""
    with Image.open(card) as img:
        box = img.getchannel("A").getbbox()
    return box[1] if box else img.height


def poster_of(rel: str, params: Mapping[str, Any]) -> Path:
    """A stored final ad's full-size poster: its most telling frame before the end card (from
    the render's `durations` and `transition`), made on first use. Raises RenderError when no
    frame can be read."""
    durations = [float(d) for d in params.get("durations") or []]
    before = end_card_from(durations, str(params.get("transition", "cut")))
    return thumbs.stored_poster(rel, before_s=before or None)


def end_card_from(durations: Sequence[float], transition: str = "cut") -> float:
    """When the end card first shows in an ad of scenes this long: as its last scene starts (or
    fades in). 0 for an ad of one scene, which carries it throughout."""
    if len(durations) < 2:
        return 0.0
    start = float(sum(durations[:-1]))
    return start - CROSSFADE_S if transition == "crossfade" else start


def _fit(label_in: str, label_out: str, clip: Clip, width: int, height: int, fps: int,
         pad: float) -> str:  # fmt: skip
    """Scaled and cropped to the frame; cut or held to its length; `pad` more held for a
    crossfade into the next."""
    length = ""
    if clip.off_length and clip.made is not None:
        short = max(0.0, clip.duration_s - clip.made)
        hold_for = f",tpad=stop_mode=clone:stop_duration={short:.3f}" if short else ""
        length = f"{hold_for},trim=duration={clip.duration_s:.3f},setpts=PTS-STARTPTS"
    hold = f",tpad=stop_mode=clone:stop_duration={pad}" if pad else ""
    return (
        f"[{label_in}]scale={width}:{height}:force_original_aspect_ratio=increase,"
        f"crop={width}:{height},setsar=1,fps={fps},format=yuv420p{length}{hold},"
        f"settb=AVTB[{label_out}]"
    )


def _join(labels: list[str], clips: list[Clip], transition: str) -> list[str]:
    if transition != "crossfade" or len(clips) == 1:
        return ["".join(f"[{x}]" for x in labels) + f"concat=n={len(labels)}:v=1:a=0[vcat]"]
    parts, offset, current = [], 0.0, labels[0]
    for i in range(1, len(clips)):
        offset += clips[i - 1].duration_s
        out = "vcat" if i == len(clips) - 1 else f"x{i}"
        fade = f"xfade=transition=fade:duration={CROSSFADE_S}:offset={offset:.3f}"
        parts.append(f"[{current}][{labels[i]}]{fade}[{out}]")
        current = out
    return parts


def _reencode(clips, card: Path | None, out: Path, w: int, h: int, fps: int, transition,
              captions: cc.CaptionLayer | None = None) -> None:  # fmt: skip
    """Every clip through one filter graph and one encode (crossfades, mixed sources), the
    captions laid over the joined film."""
    hold = CROSSFADE_S if transition == "crossfade" else 0.0
    args, graph = [], []
    for i, clip in enumerate(clips):
        args += ["-i", str(clip.path)]
        graph.append(_fit(f"{i}:v", f"v{i}", clip, w, h, fps, hold if i < len(clips) - 1 else 0))
    labels = [f"v{i}" for i in range(len(clips))]
    if card is not None:
        args += ["-loop", "1", "-framerate", str(fps), "-i", str(card)]
        graph.append(f"[{labels[-1]}][{len(clips)}:v]overlay=0:0:shortest=1[last]")
        labels[-1] = "last"
    graph += _join(labels, clips, transition)
    final = "vcat"
    total = sum(c.duration_s for c in clips)
    listing = captions.listing(out.with_suffix(".txt"), 0.0, total) if captions else None
    if captions is not None and listing is not None:
        args += ["-f", "concat", "-safe", "0", "-i", str(listing)]
        # The stills run a frame or two past the film (the last one is held): the film's end
        # ends the ad, else the ad outlasts its scenes.
        graph.append(f"[vcat][{args.count('-i') - 1}:v]overlay=0:{captions.top}:shortest=1[vcap]")
        final = "vcap"
    run_ffmpeg([*QUIET, *args, "-filter_complex", ";".join(graph), "-map", f"[{final}]",
                *FINAL_X264, "-r", str(fps), str(out)])  # fmt: skip


def _joinable(clips: list[Clip], width: int, height: int, fps: int) -> bool:
    infos = [probe(c.path) for c in clips]
    return all(
        (i.video_codec, i.pix_fmt, i.width, i.height, i.fps) == ("h264", "yuv420p", width,
                                                                height, float(fps))
        and i.profile == infos[0].profile
        for i in infos
    )  # fmt: skip


def _dressed(source: Path, card: Path | None, listing: Path | None, top: int, out: Path,
             fps: int) -> None:  # fmt: skip
    """One clip re-encoded like a draft clip, with the end card and/or its captions over it."""
    args, graph, current = ["-i", str(source)], [], "0:v"
    if card is not None:
        args += ["-loop", "1", "-framerate", str(fps), "-i", str(card)]
        graph.append(f"[{current}][1:v]overlay=0:0:shortest=1[carded]")
        current = "carded"
    if listing is not None:
        args += ["-f", "concat", "-safe", "0", "-i", str(listing)]
        graph.append(f"[{current}][{args.count('-i') - 1}:v]overlay=0:{top}:shortest=1[captioned]")
        current = "captioned"
    run_ffmpeg([*QUIET, *args, "-filter_complex", ";".join(graph), "-map", f"[{current}]",
                *DRAFT_X264, "-r", str(fps), str(out)])  # fmt: skip


def _copy_join(clips: list[Clip], card: Path | None, work: Path, fps: int,
               captions: cc.CaptionLayer | None = None) -> Path | None:  # fmt: skip
    """Concatenate encoded clips as they are, re-encoding only those that carry the end card or
    a caption; None if a re-encoded clip does not match the others."""
    paths = [c.path for c in clips]
    profile = probe(paths[0]).profile
    start = 0.0
    for i, clip in enumerate(clips):
        own_card = card if i == len(clips) - 1 else None
        listing = None
        if captions is not None:
            at = work / f"captions-{i}.txt"
            listing = captions.listing(at, start, start + clip.duration_s)
        start += clip.duration_s
        if own_card is None and listing is None:
            continue
        dressed = work / f"clip-{i}.mp4"
        _dressed(clip.path, own_card, listing, captions.top if captions else 0, dressed, fps)
        if probe(dressed).profile != profile:
            return None
        paths[i] = dressed
    listing_path = work / "clips.txt"
    listing_path.write_text("".join(f"file '{p.resolve()}'\n" for p in paths))
    joined = work / "joined.mp4"
    run_ffmpeg([*QUIET, "-f", "concat", "-safe", "0", "-i", str(listing_path), "-c", "copy",
                str(joined)])  # fmt: skip
    return joined


def _mux(video: Path, audio: Path | None, subtitles: Path | None, total: float, out: Path,
         metadata: dict) -> None:  # fmt: skip
    """The film with its sound (already the ad's length) and its captions as a subtitle track."""
    args, maps = ["-i", str(video)], ["-map", "0:v"]
    if audio is not None:
        args += ["-i", str(audio)]
        maps += ["-map", f"{args.count('-i') - 1}:a", "-c:a", "aac", "-b:a", "160k"]
    if subtitles is not None:
        args += ["-i", str(subtitles)]
        maps += ["-map", f"{args.count('-i') - 1}:s", "-c:s", "mov_text",
                 "-metadata:s:s:0", "language=eng"]  # fmt: skip
    tags = [x for k, v in metadata.items() for x in ("-metadata", f"{k}={v}")]
    run_ffmpeg([*QUIET, *args, *maps, "-c:v", "copy", "-t", f"{total:.3f}",
                "-movflags", "+faststart", *tags, str(out)])  # fmt: skip


@dataclass(frozen=True)
class Composed:
    route: str  # "copy": clips joined as they were; "encode": one filter graph
    placements: list[Placement] = field(default_factory=list)
    cues: list[cc.Cue] = field(default_factory=list)
    loudness: Loudness | None = None  # of the ad's sound, as mixed


def _caption_layer(cues, clips, top: int | None, transition: str, w: int, h: int, style,
                   work: Path) -> cc.CaptionLayer | None:  # fmt: skip
    """The captions' stills; over the last scene (where the end card is) they sit above the
    card's `top` row."""
    keep_above = None
    if top is not None:
        starts = end_card_from([c.duration_s for c in clips], transition)
        keep_above = (starts, top)
    return cc.caption_layer(cues, w, h, style, work, keep_above=keep_above)


def compose(
    *,
    clips: list[Clip],
    out_path: Path,
    width: int,
    height: int,
    fps: int = 24,
    transition: str = "cut",
    music: Path | None = None,
    call_to_action: str = "",
    accent: str = "#111111",
    metadata: dict[str, str] | None = None,
    voices: Sequence[VoiceLine] = (),
    captions: bool = False,
    palette: Sequence[str] = (),
    caption_colour: str | None = None,
    logo: Path | None = None,
) -> Composed:
    """Writes the ad to out_path. `voices`: the scenes' lines (`VoiceLine.scene` indexes
    `clips`); `captions`: burn them in (they go into the subtitle track either way), in
    `caption_colour` or the first legible colour of `palette`; `logo`: the client's, on the end
    card. Raises `VoiceDoesNotFit` before any encoding when a line would outlast the ad, and
    `LogoUnreadable` when the logo is not an image."""
    if not clips:
        raise ValueError("nothing to compose")
    durations = [c.duration_s for c in clips]
    total = sum(durations)
    if any(not 0 <= v.scene < len(clips) for v in voices):
        raise ValueError("a voice line names a scene the ad does not have")
    with tempfile.TemporaryDirectory(dir=out_path.parent, prefix=".compose-") as tmp:
        work = Path(tmp)
        placements = place_lines(list(voices), durations) if voices else []
        cues = cc.cues_for([list(p.words) for p in placements], width, height, ad_end_s=total)
        card = None
        if call_to_action.strip() or logo is not None:
            card = end_card(call_to_action, width, height, work / "card.png", accent, logo=logo)
        layer = None
        if captions and cues:
            style = cc.caption_style(palette, caption_colour)
            top = card_top(card) if card is not None else None
            layer = _caption_layer(cues, clips, top, transition, width, height, style,
                                   work)  # fmt: skip
        video, route = None, "copy"
        if (
            transition == "cut"
            and not any(c.off_length for c in clips)
            and _joinable(clips, width, height, fps)
        ):
            video = _copy_join(clips, card, work, fps, layer)
        if video is None:
            video, route = work / "video.mp4", "encode"
            _reencode(clips, card, video, width, height, fps, transition, layer)
        audio, measured = None, None
        if music is not None or placements:
            audio = work / "mix.wav"
            measured = mix(total_s=total, placements=placements, music=music, out_path=audio,
                           work=work).loudness  # fmt: skip
        subtitles = None
        if cues:
            subtitles = work / "captions.srt"
            subtitles.write_text(cc.srt_text(cues), encoding="utf-8")
        part = work / "final.mp4"
        _mux(video, audio, subtitles, total, part, metadata or {})
        if layer is not None:
            cc.hide_subtitle_track(part)  # shown already: a player must not show them twice
        os.replace(part, out_path)
    return Composed(route, placements, cues, measured)
