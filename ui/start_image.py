"""Where a video starts: nothing (an image is made first), an asset, an earlier image or a frame.

The choice is returned as a `StartImage`; an uploaded file is stored only on submit, so
browsing the form never writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core.campaigns import assets
from core.campaigns.campaigns import CampaignSummary
from core.errors import NotFound, ValidationError
from core.generation import gallery
from core.generation import service as gen
from core.media import store
from core.models import Generation, Status, User
from ui import uploads, words
from ui.session import db, kept_choice

KEY = "studio_video_start"
NONE, ASSET, UPLOAD, IMAGE, FRAME = "none", "asset", "upload", "image", "frame"
# Uploading is its own choice, not a box beside the asset list: a file the browser refused would
# otherwise leave the list's first asset quietly in its place.
CHOICES = {
    NONE: "None: make an image from the prompt first",
    ASSET: "One of this client's assets",
    UPLOAD: "A new image from your computer",
    IMAGE: "An image made in this campaign",
    FRAME: "A frame of a video made in this campaign",
}


@dataclass
class StartImage:
    source_id: str | None = None
    frame_s: float | None = None
    upload: UploadedFile | None = None  # stored as an asset on submit
    missing: bool = False  # a source kind was chosen but nothing picked: do not submit
    size: tuple[int, int] | None = None  # (width, height), to say how it fits the video


def _length(row: Generation) -> float:
    return max(float(row.duration_s or 0.0), 0.1)


def use_generation(row: Generation, at_s: float | None = None) -> None:
    """Preselect an earlier image, or a video's frame (at `at_s` when given), e.g. from the
    Gallery's buttons."""
    choice = IMAGE if row.kind == "image" else FRAME
    st.session_state[KEY] = choice
    st.session_state[f"{KEY}_{choice}"] = row.id
    if choice == FRAME and at_s is not None:
        st.session_state[f"{KEY}_at_{row.id}"] = min(max(float(at_s), 0.0), _length(row))


def use_source(user: User, source_id: str, frame_s: float | None) -> str | None:
    """Preselect the start image another video had: an asset, an image or a video's frame
    (None: its last frame). Returns why it cannot, or None."""
    try:
        with db() as session:
            if source_id.startswith("ast_"):
                assets.get_asset(session=session, actor=user, asset_id=source_id)
                st.session_state[KEY] = ASSET
                st.session_state[f"{KEY}_{ASSET}"] = source_id
                return None
            row = gen.get_generation(session=session, actor=user, generation_id=source_id)
    except NotFound:
        row = None
    if row is None or row.kind not in ("image", "video") or row.status != Status.succeeded:
        return ("Its start image has since been deleted: pick another under Settings, or a "
                "new image is made from the prompt.")  # fmt: skip
    use_generation(row, _length(row) if frame_s is None else frame_s)
    return None


def _succeeded(user: User, campaign_id: str, kind: str, keep: str | None) -> list[Generation]:
    """This campaign's latest; `keep` (the one preselected) stays in the list even if older."""
    filters = gallery.GalleryFilter(campaign_id=campaign_id, kind=kind, status="succeeded")
    with db() as session:
        rows = gallery.search(session=session, actor=user, filters=filters, per_page=50).items
        if keep and keep not in {r.id for r in rows}:
            try:
                kept = gen.get_generation(session=session, actor=user, generation_id=keep)
            except NotFound:
                return rows
            if kept.kind == kind and kept.status == Status.succeeded:
                rows.insert(0, kept)
    return rows


def _label(row: Generation) -> str:
    return f"{describe(row)} · {row.created_at:%d %b, %H:%M}"


def describe(row: Generation) -> str:
    """A generation as people know it: its prompt, quoted and shortened (never its id)."""
    prompt = row.prompt if len(row.prompt) <= 50 else row.prompt[:49] + "…"
    return f"“{prompt}”" if prompt else f"an untitled {row.kind}"


def _pick_row(rows: list[Generation], key: str, label: str) -> Generation | None:
    if not rows:
        st.info("Nothing of this kind has finished in this campaign yet.")
        return None
    by_id = {r.id: r for r in rows}
    chosen = by_id[
        kept_choice(
            st.selectbox,
            label,
            list(by_id),
            key=key,
            fallback=rows[0].id,
            format_func=words.distinct({i: _label(r) for i, r in by_id.items()}).get,
        )  # fmt: skip
    ]
    if chosen.thumb_path or chosen.kind == "image":
        st.image(str(store.abs_path(chosen.thumb_path or chosen.media_path)), width=240)
    return chosen


def _asset(user: User, summary: CampaignSummary) -> StartImage:
    with db() as session:
        rows = assets.list_assets(session=session, actor=user, client_id=summary.campaign.client_id)
    if not rows:
        st.info("This client has no assets yet: choose *A new image from your computer*.")
        return StartImage(missing=True)
    by_id = {a.id: a for a in rows}
    # A kept asset of another client (chosen by the CLI, say) gives way to this client's first.
    labels = words.distinct({i: a.label for i, a in by_id.items()})
    chosen = kept_choice(st.selectbox, "Asset", list(by_id), key=f"{KEY}_{ASSET}",
                         fallback=rows[0].id, format_func=labels.get)  # fmt: skip
    asset = by_id[chosen]
    st.image(str(store.abs_path(asset.thumb_path or asset.path)), width=240)
    size = (asset.width, asset.height) if asset.width and asset.height else None
    return StartImage(source_id=chosen, size=size)


def _upload() -> StartImage:
    """A new file, checked at once (type, size, pixels), kept as an asset only on Generate."""
    limit = uploads.asset_limit_mb()
    upload = uploads.file_uploader("PNG, JPEG or WebP", limit, type=uploads.IMAGE_TYPES,
                                   key=f"{KEY}_upload")  # fmt: skip
    if upload is None:
        st.caption(uploads.what_to_choose(uploads.IMAGES, limit))
        return StartImage(missing=True)
    try:
        size = assets.inspect_upload(upload.name, upload)
    except ValidationError as error:
        st.error(str(error), icon="⚠️")
        return StartImage(missing=True)
    return StartImage(upload=upload, size=size)


def picker(user: User, summary: CampaignSummary) -> StartImage:
    # Kept with its current value as its default: a start image chosen elsewhere ("Use as start
    # image") survives a rerun before the Video tab opens.
    choice = kept_choice(st.radio, "Start image", list(CHOICES), key=KEY, fallback=NONE,
                         format_func=CHOICES.get)  # fmt: skip
    campaign_id = summary.campaign.id
    if choice == ASSET:
        return _asset(user, summary)
    if choice == UPLOAD:
        return _upload()
    if choice == IMAGE:
        key = f"{KEY}_{IMAGE}"
        row = _pick_row(_succeeded(user, campaign_id, "image", st.session_state.get(key)), key,
                        "Image")  # fmt: skip
        return StartImage(source_id=row.id, size=_size(row)) if row else StartImage(missing=True)
    if choice == FRAME:
        key = f"{KEY}_{FRAME}"
        row = _pick_row(_succeeded(user, campaign_id, "video", st.session_state.get(key)), key,
                        "Video")  # fmt: skip
        if row is None:
            return StartImage(missing=True)
        # Keyed per video: another video's second may lie past this one's end.
        at_key, length = f"{KEY}_at_{row.id}", _length(row)
        at = min(max(float(st.session_state.get(at_key, 0.0)), 0.0), length)
        at = st.slider("Frame at second", 0.0, length, value=at, step=0.1, key=at_key)
        return StartImage(source_id=row.id, frame_s=at, size=_size(row))
    return StartImage()


def _size(row: Generation) -> tuple[int, int] | None:
    return (row.width, row.height) if row.width and row.height else None


def store_upload(user: User, summary: CampaignSummary, start: StartImage) -> StartImage:
    """Save an uploaded start image as a client asset (inside the caller's error handling)."""
    if start.upload is None:
        return start
    with db() as session:
        asset = assets.upload_asset(
            session=session, actor=user, client_id=summary.campaign.client_id,
            filename=start.upload.name, stream=start.upload, campaign_id=summary.campaign.id,
        )  # fmt: skip
    return StartImage(source_id=asset.id)
