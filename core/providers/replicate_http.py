"""The official `replicate` client, with a timeout on every call, and its failures as ours.

Two quirks of replicate-python 1.0.7 are handled at its transport, below its retry layer:
- `predictions.create` and `files.create` send `timeout=None` (no timeout at all), so a stalled
  connection would hold a worker forever: every request without a timeout gets ours;
- GETs answered 429/503/504 are retried inside the calling thread, sleeping for `Retry-After`
  (uncapped) up to 10 times: a 429 or 5xx is raised at once instead, and the runner reschedules
  the step through the queue, so no worker sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import httpx
import replicate
from replicate.exceptions import ReplicateError

from core.config import get_settings
from core.errors import ProviderError

CONNECT_TIMEOUT_S = 5.0
TOKEN_HELP = "fix REPLICATE_API_TOKEN (https://replicate.com/account/api-tokens)"
BILLING_HELP = "add a payment method or credit at https://replicate.com/account/billing"
_build_lock = threading.Lock()  # workers asking at once would each build a client (and pool)


class Unavailable(Exception):
    """Replicate answered 429 or 5xx. Raised from the transport so the client does not retry."""

    def __init__(self, status: int, retry_after_s: float | None, detail: str):
        self.status = status
        self.retry_after_s = retry_after_s
        self.detail = detail
        super().__init__(f"HTTP {status}: {detail}")


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP-date: the runner's own backoff applies


def _problem_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or body)[:300]
    return str(body)[:300]


class GuardTransport(httpx.BaseTransport):
    """Sits inside the client's RetryTransport; see the module docstring for why."""

    def __init__(self, timeout: httpx.Timeout, inner: httpx.BaseTransport | None = None):
        self._timeouts = timeout.as_dict()
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        given = request.extensions.get("timeout") or {}
        request.extensions["timeout"] = {
            key: given.get(key) if given.get(key) is not None else default
            for key, default in self._timeouts.items()
        }
        response = self._inner.handle_request(request)
        if response.status_code == 429 or response.status_code >= 500:
            response.read()
            response.close()
            raise Unavailable(
                response.status_code, _retry_after(response.headers), _problem_detail(response)
            )
        return response

    def close(self) -> None:
        self._inner.close()


def call_timeout(read_s: float | None = None) -> httpx.Timeout:
    read_s = read_s or get_settings().studio_replicate_timeout_s
    return httpx.Timeout(read_s, connect=min(CONNECT_TIMEOUT_S, read_s))


def get_client() -> replicate.Client:
    """One client (and connection pool) per token, base URL and timeout; shared by threads."""
    settings = get_settings()
    token = settings.replicate_api_token
    if not settings.replicate_enabled or token is None:
        raise ProviderError(f"Replicate needs an API token: {TOKEN_HELP}.")
    with _build_lock:
        return _client(
            token.get_secret_value(), settings.replicate_base_url,
            settings.studio_replicate_timeout_s,
        )  # fmt: skip


def reset_clients() -> None:
    """Forget the clients built so far: the next `get_client` builds one (tests pointing at
    another fake server)."""
    _client.cache_clear()


@lru_cache(maxsize=4)
def _client(token: str, base_url: str, read_s: float) -> replicate.Client:
    timeout = call_timeout(read_s)
    client = replicate.Client(
        api_token=token, base_url=base_url, timeout=timeout, transport=GuardTransport(timeout)
    )
    # The client builds its httpx client on first use, unguarded: build it here, under the
    # lock, rather than in whichever worker threads race to the first request.
    _ = client._client
    return client


# Errors raised before any byte of the request left: the request certainly had no effect.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# Errors after (part of) the request may have reached Replicate: its effect is unknown.
MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def maybe_sent(error: BaseException) -> bool:
    """True when the request may have reached Replicate although no answer came back."""
    return isinstance(error, MAYBE_SENT) and not isinstance(error, NOT_SENT)


def as_provider_error(error: BaseException) -> ProviderError:
    """A message a person can act on; transient only where waiting and retrying can help."""
    if isinstance(error, Unavailable):
        what = "is rate limiting us" if error.status == 429 else "is unavailable"
        return ProviderError(
            f"Replicate {what} (HTTP {error.status}): {error.detail}",
            transient=True,
            retry_after_s=error.retry_after_s,
        )
    if isinstance(error, ReplicateError):
        return _from_status(error.status or 0, error.detail or error.title or str(error))
    if isinstance(error, httpx.TimeoutException):
        return ProviderError(f"Replicate did not answer in time ({type(error).__name__}).",
                             transient=True)  # fmt: skip
    if isinstance(error, httpx.TransportError):
        return ProviderError(f"Could not reach Replicate ({type(error).__name__}).", transient=True)
    return ProviderError(f"Replicate client error ({type(error).__name__}): {error}")


def _from_status(status: int, detail: str) -> ProviderError:
    if status == 401:
        return ProviderError(f"Replicate refused the API token (401): {TOKEN_HELP}.")
    if status == 402:
        return ProviderError(f"Replicate needs billing set up (402): {BILLING_HELP}.")
    if status == 422:
        return ProviderError(f"Replicate refused the input (422): {detail}")
    if status == 404:
        return ProviderError(f"Replicate could not find it (404): {detail}")
    return ProviderError(f"Replicate error (HTTP {status}): {detail}")


@contextmanager
def replicate_errors() -> Iterator[None]:
    """Turn whatever the client or httpx raises into a ProviderError."""
    try:
        yield
    except ProviderError:
        raise
    except (ReplicateError, Unavailable, httpx.HTTPError) as error:
        raise as_provider_error(error) from error
