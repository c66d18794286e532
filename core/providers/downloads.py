"""Fetching a prediction's output right away (Replicate deletes it after an hour).

Only from Replicate's delivery hosts and the configured API host: an output URL is data from the
network, and following any URL would let a response make this server fetch anything (SSRF).
Redirects are followed by hand so that every hop passes the same check. The body is streamed to
disk with a size cap and a content-type check, and hashed on the way (the media store then moves
the file into place instead of reading and copying it again); network errors and 5xx are retried
(tenacity).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from core.config import get_settings
from core.errors import ProviderError
from core.media import store
from core.providers.replicate_http import call_timeout

DELIVERY_DOMAIN = "replicate.delivery"
MAX_BYTES = {"image": 50 * 10**6, "video": 1000 * 10**6, "audio": 200 * 10**6,
             "voice": 200 * 10**6}  # fmt: skip
MEDIA_TYPE = {"voice": "audio"}  # a kind of ours whose files have another MIME type
OCTET_STREAM = ("application/octet-stream", "binary/octet-stream")
MAX_REDIRECTS = 3
ATTEMPTS = 3
CHUNK = 1 << 16
_build_lock = threading.Lock()


@dataclass(frozen=True)
class Downloaded:
    path: Path
    sha256: str
    bytes: int


class RetryableStatus(Exception):
    def __init__(self, status: int):
        self.status = status
        super().__init__(f"HTTP {status}")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default_port


def allowed(url: str, base_url: str) -> bool:
    scheme, host, port = _origin(url)
    if scheme == "https" and (host == DELIVERY_DOMAIN or host.endswith("." + DELIVERY_DOMAIN)):
        return True
    return (scheme, host, port) == _origin(base_url) and scheme in ("http", "https")


def _check_allowed(url: str) -> None:
    if not allowed(url, get_settings().replicate_base_url):
        host = urlsplit(url).hostname or url[:80]
        raise ProviderError(f"Refused to download the output from {host}: not a Replicate host.")


@lru_cache(maxsize=2)
def _http(read_s: float) -> httpx.Client:
    # No Authorization header: delivery URLs are public, and the token never goes elsewhere.
    return httpx.Client(timeout=call_timeout(read_s), follow_redirects=False)


def http_client() -> httpx.Client:
    return _http(get_settings().studio_replicate_timeout_s)


def _ext_for(url: str, content_type: str, kind: str) -> str:
    kind = MEDIA_TYPE.get(kind, kind)
    mime = content_type.split(";")[0].strip().lower()
    if not (mime.startswith(f"{kind}/") or mime in OCTET_STREAM):
        raise ProviderError(f"The output is {mime or 'of no type'}, not {kind}.")
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower().lstrip(".")
    suffix = {"jpeg": "jpg", "wave": "wav"}.get(suffix, suffix)
    aliases = {"audio/x-wav": "wav", "audio/wave": "wav", "audio/vnd.wave": "wav"}
    for ext in (suffix, store.EXT_BY_MIME.get(mime), aliases.get(mime)):
        if ext in store.MIME_BY_EXT and store.MIME_BY_EXT[ext].startswith(f"{kind}/"):
            return ext
    raise ProviderError(f"The output's file type ({suffix or mime}) is not a supported {kind}.")


def _write(response: httpx.Response, dest: Path, limit: int) -> Downloaded:
    declared = int(response.headers.get("content-length") or 0)
    if declared > limit:
        raise ProviderError(f"The output is over the {limit / 1e6:g} MB limit.")
    size = 0
    digest = hashlib.sha256()
    with open(dest, "wb") as out:
        for chunk in response.iter_bytes(CHUNK):
            size += len(chunk)
            if size > limit:
                raise ProviderError(f"The output is over the {limit / 1e6:g} MB limit.")
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise ProviderError("The output file is empty.")
    return Downloaded(dest, digest.hexdigest(), size)


def _fetch_once(url: str, kind: str, dest_dir: Path) -> Downloaded:
    with _build_lock:
        client = http_client()
    for _ in range(MAX_REDIRECTS + 1):
        _check_allowed(url)
        with client.stream("GET", url) as response:
            if response.is_redirect:
                url = urljoin(url, response.headers.get("location", ""))
                continue
            if response.status_code == 429 or response.status_code >= 500:
                raise RetryableStatus(response.status_code)
            if response.status_code != 200:
                raise ProviderError(
                    f"The output could not be downloaded (HTTP {response.status_code}); "
                    "Replicate deletes outputs an hour after the prediction."
                )
            ext = _ext_for(url, response.headers.get("content-type", ""), kind)
            return _write(response, dest_dir / f"output.{ext}", MAX_BYTES[kind])
    raise ProviderError(f"The output URL redirected more than {MAX_REDIRECTS} times.")


def _transient(error: BaseException) -> bool:
    return isinstance(error, (httpx.TransportError, RetryableStatus))


def download(url: str, *, kind: str, dest_dir: Path) -> Downloaded:
    """The output saved (and hashed) in `dest_dir`; ProviderError (transient after retries)."""
    base_wait = get_settings().studio_poll_interval_s
    retrying = Retrying(
        stop=stop_after_attempt(ATTEMPTS),
        wait=wait_random_exponential(multiplier=base_wait, max=8 * base_wait),
        retry=retry_if_exception(_transient),
        reraise=True,
    )
    try:
        return retrying(_fetch_once, url, kind, dest_dir)
    except (httpx.TransportError, RetryableStatus) as error:
        raise ProviderError(
            f"Downloading the output failed {ATTEMPTS} times ({type(error).__name__}: {error}).",
            transient=True,
        ) from error
