"""File uploaders whose label states the very limit the browser enforces."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core.config import get_settings


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
