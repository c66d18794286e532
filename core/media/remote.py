"""Media in S3-compatible object storage (AWS S3, MinIO, Cloudflare R2), when
`STUDIO_MEDIA_URL` is `s3://bucket/prefix`: the bucket holds every stored file under its
content-addressed name, and each machine's data dir is a cache of it (filled on first use).

Only `core.media.store` calls this; nothing else knows where the bytes live.
"""

from __future__ import annotations

import os
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from core.config import get_settings

_lock = threading.Lock()


def configured() -> bool:
    return bool(get_settings().studio_media_url)


def _where() -> tuple[str, str]:
    """(bucket, key prefix) from `s3://bucket/prefix`."""
    url = urlparse(get_settings().studio_media_url or "")
    if url.scheme != "s3" or not url.netloc:
        raise ValueError("STUDIO_MEDIA_URL must look like s3://bucket/prefix")
    return url.netloc, url.path.strip("/")


def _key(rel: str) -> str:
    _, prefix = _where()
    return f"{prefix}/{rel}" if prefix else rel


@lru_cache(maxsize=4)
def _client_for(endpoint: str | None, key_id: str | None, secret: str | None, region: str) -> Any:
    import boto3  # type: ignore[import-untyped]  # imported only with object storage

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key_id,
                        aws_secret_access_key=secret, region_name=region)  # fmt: skip


def _client() -> Any:
    settings = get_settings()
    secret = settings.studio_s3_secret_access_key
    with _lock:
        return _client_for(settings.studio_s3_endpoint_url, settings.studio_s3_access_key_id,
                           secret.get_secret_value() if secret else None,
                           settings.studio_s3_region)  # fmt: skip


def put(rel: str, path: Path) -> None:
    bucket, _ = _where()
    _client().upload_file(str(path), bucket, _key(rel))


def fetch(rel: str, dest: Path) -> bool:
    """Download `rel` to `dest` (whole, then moved into place); False if the bucket lacks it."""
    from botocore.exceptions import ClientError  # type: ignore[import-untyped]

    bucket, _ = _where()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        _client().download_file(bucket, _key(rel), str(part))
    except ClientError as error:
        part.unlink(missing_ok=True)
        # 403: what S3 answers for a missing key when the policy does not allow listing.
        if error.response.get("Error", {}).get("Code") in ("403", "404", "NoSuchKey", "NotFound"):
            return False
        raise
    os.replace(part, dest)
    return True


def delete(rel: str) -> None:
    bucket, _ = _where()
    _client().delete_object(Bucket=bucket, Key=_key(rel))


# A link lives an hour and is handed out for half of it: a page rerun keeps the same link (the
# player does not reload), and a link is never handed out with less than half an hour left.
LINK_LIFE_S = 3600
_links: dict[tuple[str, int, str | None], str] = {}


def download_url(rel: str, filename: str | None = None) -> str:
    """A signed, expiring link to `rel` in the bucket: the browser fetches the bytes from the
    object store itself (ranges included), and no app server holds them. With `filename`, the
    store answers as a download under that name (else a browser plays the video in a tab)."""
    bucket, _ = _where()
    period = int(time.time() // (LINK_LIFE_S // 2))
    with _lock:
        if (link := _links.get((rel, period, filename))) is not None:
            return link
    params = {"Bucket": bucket, "Key": _key(rel)}
    if filename:
        params["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
    link = _client().generate_presigned_url("get_object", Params=params, ExpiresIn=LINK_LIFE_S)
    with _lock:
        if len(_links) > 10_000:
            _links.clear()
        return _links.setdefault((rel, period, filename), link)


def forget_clients() -> None:
    _client_for.cache_clear()
    with _lock:
        _links.clear()
