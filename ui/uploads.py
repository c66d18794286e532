"""File uploaders whose label states the very limit the browser enforces."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core.config import get_settings

# MIME types, not extensions: the browser filters the picker, and a file that gets past it (a
# renamed one) reaches core's content check, a clear message, instead of Streamlit's exception.
IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"]
IMAGES = "a PNG, JPEG or WebP image"


def limit_mb(core_mb: int) -> int:
    """The limit a file meets first: core's, or Streamlit's server upload cap if it is lower."""
    return min(core_mb, st.get_option("server.maxUploadSize"))


def asset_limit_mb() -> int:
    """What core's asset store takes (logos, product shots, a video's uploaded start image)."""
    return get_settings().studio_upload_max_mb


def file_uploader(what: str, core_mb: int, **kwargs: Any) -> UploadedFile | None:
    """`st.file_uploader` labelled "<what>, up to N MB", refusing bigger files in the browser."""
    limit = limit_mb(core_mb)
    return st.file_uploader(f"{what}, up to {limit} MB", max_upload_size=limit, **kwargs)


def what_to_choose(what: str, core_mb: int) -> str:
    """The limits a file must meet, and what to do about a file the box refused."""
    return (f"Choose {what} of up to {limit_mb(core_mb)} MB: the box refuses a larger file or "
            "another type (it says which under the file's name). Make it smaller or save it in "
            "one of those types, then choose it again.")  # fmt: skip


def nothing_received(what: str, core_mb: int) -> str:
    """Why no file reached the server. The browser refuses a file past the size limit or of
    another type before sending it; the server never sees it, so it cannot tell that apart from
    no file chosen, and says both."""
    return "No file came through. " + what_to_choose(what, core_mb)
