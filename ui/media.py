"""Media widgets: thumbnail cards and grid, the player, an item's facts and its lineage.

Files are read from the media store and handed to Streamlit's media manager, which serves them
to this session only; nothing goes through the static folder (public, login or not). The grid
shows thumbnails, posters and waveforms only: full media is loaded when one item is opened.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from core.media import remote, store
from core.models import Generation, Status
from ui import words
from ui.live_jobs import BADGES
from ui.units import file_size, usd

PLAYABLE = ("image", "video", "audio")
CARD_HEIGHT = 340  # px, every gallery card: previews and prompts differ, the grid stays even
THUMB_HEIGHT = 180  # px, the preview's box in a card
CARD_PROMPT_CHARS = 20  # one line, with its hover icon, in a card of a four-column grid
PORTRAIT_WIDTH = 320  # px: a 9:16 video is then 569 px tall, whole on a laptop screen


def stored_file(rel: str | None) -> Path | None:
    """The file in the media store, or None when there is none (yet) or it has gone."""
    if not rel:
        return None
    path = store.abs_path(rel)
    return path if path.is_file() else None


def media_kind(row: Generation) -> str:
    """image, video or audio, from the stored MIME type (a composite is a video)."""
    top = (row.media_mime or "").split("/")[0]
    if top in PLAYABLE:
        return top
    return "video" if row.kind == "composite" else str(row.kind)


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def portrait(row: Generation) -> bool:
    """Taller than wide: by the stored size, or by the aspect ratio asked while that is unknown."""
    if row.width and row.height:
        return row.height > row.width
    across, _, down = str(row.params.get("aspect_ratio", "")).partition(":")
    return across.isdigit() and down.isdigit() and int(down) > int(across)


def video(row: Generation, path: Path, *, autoplay: bool = False) -> None:
    """A portrait video in a narrow box: at full width a 9:16 one is taller than the screen.

    With object storage the browser plays it from a signed, expiring link to the bucket, so no
    app server reads the video into memory (Streamlit would hold a local file's bytes)."""
    source = str(path)
    if remote.configured() and row.media_path:
        source = remote.download_url(row.media_path)
    with st.container(width=PORTRAIT_WIDTH if portrait(row) else "stretch"):
        st.video(source, autoplay=autoplay)


def video_behind_poster(row: Generation, path: Path, poster: Path | None, *, key: str) -> None:
    """The poster, with a Play button that swaps in the player, playing: Streamlit's player
    (1.67) takes no poster and shows the first frame, black in an ad that fades in. Without a
    poster, the player at once."""
    playing = f"{key}_playing"
    if poster is None or st.session_state.get(playing):
        # The press of Play is the user's gesture a browser asks before playing with sound.
        video(row, path, autoplay=poster is not None)
        return
    with st.container(width=PORTRAIT_WIDTH if portrait(row) else "stretch"):
        st.image(str(poster), width="stretch")
        st.button("Play", key=key, icon=":material/play_arrow:", on_click=_play, args=(playing,))


def _play(flag: str) -> None:
    st.session_state[flag] = True


def file_name(*words: str, ext: str) -> str:
    """'Spring Launch', 'Rendered ad', '16:9' -> 'spring-launch-rendered-ad-16x9.mp4': a name
    any system and mail client keeps as it is."""
    text = re.sub(r"(\d):(\d)", r"\1x\2", " ".join(words))
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return f"{slug or 'download'}.{ext}"


def download_as(row: Generation, *, label: str, name: str, key: str) -> None:
    """A download of the row's file under `name`. With object storage, a signed link to the
    bucket: the app server never reads the bytes (the browser gets them from the store)."""
    if remote.configured() and row.media_path:
        st.link_button(label, remote.download_url(row.media_path, name), icon=":material/download:")
        return
    path = stored_file(row.media_path)
    if path is None:
        return
    # Deferred: the file is read when the button is pressed, not on every run of the page.
    st.download_button(label, data=path.read_bytes, file_name=name, mime=row.media_mime, key=key,
                       on_click="ignore", icon=":material/download:")  # fmt: skip


def _thumb_width(row: Generation) -> int | str:
    """Narrow enough for the preview to fit its box: a tall or square one would run past it."""
    if row.width and row.height:
        return max(1, round(THUMB_HEIGHT * row.width / row.height))
    return "stretch"  # a waveform: wide and low


def card(row: Generation, *, key: str, on_open: Callable[[str], None]) -> None:
    """Every card alike in height: the preview in a fixed box, the prompt cut short (whole on
    hover), the Open button at the bottom."""
    with st.container(border=True, height=CARD_HEIGHT, vertical_alignment="distribute"):
        with st.container(height=THUMB_HEIGHT, border=False, horizontal_alignment="center",
                          vertical_alignment="center"):  # fmt: skip
            thumb = stored_file(row.thumb_path)
            if thumb is not None:
                st.image(str(thumb), width=_thumb_width(row))
            else:  # queued, running or failed: nothing to show yet
                st.markdown(f"#### {BADGES.get(row.status, row.status)}")
        prompt = short(row.prompt or "—", CARD_PROMPT_CHARS)
        st.caption(f"**{words.row_kind(row)}** · {row.status}  \n{prompt}",
                   help=row.prompt or None)  # fmt: skip
        st.button("Open", key=key, on_click=on_open, args=(row.id,), width="stretch")


def grid(rows: list[Generation], *, key: str, on_open: Callable[[str], None], columns: int = 4):
    for start in range(0, len(rows), columns):
        for column, row in zip(st.columns(columns), rows[start : start + columns], strict=False):
            with column:
                card(row, key=f"{key}_open_{row.id}", on_open=on_open)


def player(row: Generation) -> None:
    path = stored_file(row.media_path)
    if row.status != Status.succeeded or path is None:
        st.info(f"Nothing to play: this item is {row.status}.")
        return
    kind = media_kind(row)
    if kind == "image":
        st.image(str(path))
    elif kind == "audio":
        st.audio(str(path))
    else:
        video(row, path)


def download(row: Generation, *, key: str) -> None:
    path = stored_file(row.media_path)
    if path is None:
        return
    # Deferred: the file is read when the button is pressed, not on every run of the page.
    st.download_button(
        "Download", data=path.read_bytes, file_name=f"{row.id}{path.suffix}",
        mime=row.media_mime, key=key, on_click="ignore", icon=":material/download:",
    )  # fmt: skip


def _took(row: Generation) -> str:
    if not (row.started_at and row.finished_at):
        return "—"
    return words.seconds((row.finished_at - row.started_at).total_seconds())


def _size(row: Generation) -> str:
    parts = [
        f"{row.width}×{row.height}" if row.width else "",
        f"{row.duration_s:g} s" if row.duration_s else "",
        file_size(row.media_bytes) if row.media_bytes else "",
    ]
    return " · ".join(p for p in parts if p) or "—"


def _cost(row: Generation, render_cost: float | None) -> str:
    if render_cost is not None:
        return f"{usd(render_cost)} (the whole render: frames, clips and music)"
    if row.cost_usd is not None:
        return usd(row.cost_usd) if row.cost_usd else "free"
    return "free (draft)" if row.estimated_cost_usd == 0 else f"about {usd(row.estimated_cost_usd)}"


def facts(row: Generation, creator: str, render_cost: float | None = None) -> None:
    cost = _cost(row, render_cost)
    st.markdown(
        f"**Model** {words.model_name(row.model)}  \n"
        f"**Status** {BADGES.get(row.status, row.status)}  \n"
        f"**Cost** {cost}  \n**Created** {row.created_at:%Y-%m-%d %H:%M:%S} UTC by {creator}  \n"
        f"**Render time** {_took(row)} · **attempts** {row.attempts}  \n**Media** {_size(row)}"
    )
    if row.error:
        st.error(row.error)
    st.markdown("**Prompt**")
    st.text(row.prompt or "—")
    brand = " (brand guidelines applied)" if row.brand_applied else ""
    st.markdown(f"**Effective prompt**{brand}")
    st.code(row.effective_prompt or row.prompt, language=None, wrap_lines=True)
    if row.negative_prompt:
        st.caption(f"Negative prompt: {row.negative_prompt}")
    st.markdown(f"**Settings** {words.settings(row.model, row.params)}")


def lineage(
    parent: Generation | None,
    children: list[Generation],
    *,
    key: str,
    on_open: Callable[[str], None],
    source_asset: str | None = None,
    deleted_parent: str | None = None,
    inputs: list[Generation] | None = None,
) -> None:
    """Where this item came from (for a final ad: its clips and music) and what was made from
    it, each one a click away."""
    st.markdown("**Lineage**")
    for number, part in enumerate(inputs or [], 1):
        what = "Music" if part.kind == "audio" else f"Clip {number}"
        st.button(f"⬆ {what} · {part.status} · {short(part.prompt, 50)}",
                  key=f"{key}_input_{part.id}", on_click=on_open, args=(part.id,))  # fmt: skip
    if source_asset:
        st.caption(f"Started from the uploaded asset {source_asset}.")
    if deleted_parent:
        st.caption("Made from an item that has since been deleted.")
    if parent is not None:
        st.button(f"⬆ Made from: {words.kind_name(parent.kind)} · {short(parent.prompt, 50)}",
                  key=f"{key}_parent",
                  on_click=on_open, args=(parent.id,))  # fmt: skip
    for child in children:
        st.button(f"⬇ {words.kind_name(child.kind)} · {child.status} · {short(child.prompt, 50)}",
                  key=f"{key}_child_{child.id}", on_click=on_open, args=(child.id,))  # fmt: skip
    if parent is None and not children and not source_asset and not deleted_parent and not inputs:
        st.caption("Made from a prompt alone; nothing was made from it yet.")
