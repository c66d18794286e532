"""Which rows use a stored file: a file shared by several generations or assets (the same
bytes, the same sha256) is removed only when the last of them lets go of it."""

from __future__ import annotations

from sqlmodel import Session, func, select

from core.media import store
from core.models import Asset, Generation


def media_users(session: Session, sha: str) -> int:
    gens = session.exec(
        select(func.count()).select_from(Generation).where(Generation.media_sha256 == sha)
    ).one()
    assets = session.exec(select(func.count()).select_from(Asset).where(Asset.sha256 == sha)).one()
    return gens + assets


def remove_if_unused(session: Session, rel_path: str | None) -> bool:
    if not rel_path:
        return False
    sha = rel_path.rsplit("/", 1)[-1].split(".")[0]
    if media_users(session, sha):
        return False
    store.remove(rel_path)
    return True
