"""A prediction's `input`, built from the catalog: parameters, prompts and the start image.

The start image is always our stored copy, never an earlier output URL: Replicate deletes API
outputs after an hour. Small files go inline as data URIs; larger ones are uploaded through the
Files API (Replicate asks for uploads above 256 KB).
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.errors import ProviderError
from core.providers.base import JobSpec

DATA_URI_MAX_BYTES = 256 * 1024
# Parameters that take a list of images rather than one (nano-banana's reference images).
LIST_IMAGE_PARAMS = frozenset({"image_input"})


def data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def file_reference(path: Path, upload: Callable[[Path], str]) -> str:
    """A data URI for a small file, else the URL of its upload."""
    if path.stat().st_size <= DATA_URI_MAX_BYTES:
        return data_uri(path)
    return upload(path)


def text_input(job: JobSpec) -> dict[str, Any]:
    """The input without its start image: what identifies a request among sent ones."""
    spec = job.model
    payload: dict[str, Any] = {k: v for k, v in job.params.items() if v is not None}
    payload[spec.prompt_param] = job.prompt
    if spec.negative_param and job.negative_prompt:
        payload[spec.negative_param] = job.negative_prompt
    return payload


def build_input(job: JobSpec, upload: Callable[[Path], str]) -> dict[str, Any]:
    spec = job.model
    payload = text_input(job)
    image_param = spec.start_image_param
    if job.start_image is not None and image_param:
        ref = file_reference(job.start_image, upload)
        payload[image_param] = [ref] if image_param in LIST_IMAGE_PARAMS else ref
    elif spec.start_image_required:
        raise ProviderError(f"{spec.id} needs a start image; make or pick an image first.")
    return payload
