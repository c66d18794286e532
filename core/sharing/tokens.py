"""A share link's token: random, signed with a key every machine of the install shares, kept
in the database only as its sha256.

The URL carries `<token>.<signature>`. The signature is checked before the database is asked,
so a guessed or altered URL costs the server no query; the hash means the database alone (a
backup, a leak) never yields a working link. The same key signs the guest page's form tokens
and hashes guests' addresses, which are never kept as they are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time

from core.db import forget_shared_secrets, shared_secret

KEY_NAME = "share_link_key"
SIGNATURE_BYTES = 16  # 128 bits: past guessing, and a URL short enough to paste in a chat
FORM_LIFE_S = 24 * 3600  # a guest may leave the page open for a day before deciding
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}$")


def signing_key() -> bytes:
    """Made once and kept in the shared database (as the login cookie's key is when it is not
    configured), so a link made on one machine opens on every other."""
    return shared_secret(KEY_NAME, lambda: secrets.token_urlsafe(48)).encode()


def forget_keys() -> None:
    """Read the key again next time (tests: another test's database)."""
    forget_shared_secrets()


def _mac(message: str, size: int = SIGNATURE_BYTES) -> str:
    digest = hmac.new(signing_key(), message.encode(), hashlib.sha256).digest()[:size]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_token() -> tuple[str, str]:
    """(what the URL carries, what the database keeps)."""
    raw = secrets.token_urlsafe(24)
    return f"{raw}.{_mac('link:' + raw)}", token_hash(raw)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def verified_hash(url_token: str) -> str | None:
    """The hash to look the link up by, if `url_token` is one we signed; else None."""
    if not _SHAPE.match(url_token):
        return None
    raw, _, signature = url_token.partition(".")
    if not hmac.compare_digest(signature, _mac("link:" + raw)):
        return None
    return token_hash(raw)


def form_token(link_id: str, now: float | None = None) -> str:
    """What the guest page's form carries back: proves the post comes from a page this server
    drew for this link, lately."""
    issued = int(time.time() if now is None else now)
    return f"{issued}.{_mac(f'form:{link_id}:{issued}')}"


def form_token_valid(link_id: str, token: str, now: float | None = None) -> bool:
    issued, _, signature = token.partition(".")
    if not issued.isdigit():
        return False
    age = (time.time() if now is None else now) - int(issued)
    return 0 <= age <= FORM_LIFE_S and hmac.compare_digest(
        signature, _mac(f"form:{link_id}:{issued}")
    )


def client_hash(address: str | None) -> str:
    """A guest's address as a keyed hash: one guest can be slowed down, nobody can be traced."""
    return _mac(f"client:{address or ''}", 12)
