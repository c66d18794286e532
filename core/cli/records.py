"""Plain-dict views of rows, for the CLI's JSON and anything else that serialises them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.media import store
from core.models import Asset, Campaign, Client, Generation, User


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def generation_record(row: Generation) -> dict[str, Any]:
    media_info = None
    if row.media_path:
        media_info = {
            "path": str(store.abs_path(row.media_path)),
            "mime": row.media_mime,
            "bytes": row.media_bytes,
            "width": row.width,
            "height": row.height,
            "duration_s": row.duration_s,
            "sha256": row.media_sha256,
        }
    return {
        "id": row.id,
        "kind": str(row.kind),
        "model": row.model,
        "status": str(row.status),
        "error": row.error,
        "cost_usd": row.cost_usd,
        "estimated_cost_usd": row.estimated_cost_usd,
        "parent_id": row.parent_id,
        "chain_id": row.chain_id,
        "source_asset_id": row.source_asset_id,
        "deleted_parent_id": row.deleted_parent_id,
        "campaign_id": row.campaign_id,
        "client_id": row.client_id,
        "prompt": row.prompt,
        "effective_prompt": row.effective_prompt,
        "params": row.params,
        "attempts": row.attempts,
        "prediction_id": row.prediction_id,
        "created_by": row.created_by,
        "created_at": _iso(row.created_at),
        "started_at": _iso(row.started_at),
        "finished_at": _iso(row.finished_at),
        "media": media_info,
    }


def client_record(row: Client) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "guidelines": row.guidelines,
        "palette": row.palette,
        "negative_prompt": row.negative_prompt,
        "sound_direction": row.sound_direction,
        "budget_usd": row.budget_usd,
        "archived": row.archived,
    }


def campaign_record(row: Campaign, client_name: str | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "client_id": row.client_id,
        "client": client_name,
        "name": row.name,
        "objective": row.objective,
        "budget_usd": row.budget_usd,
        "archived": row.archived,
    }


def user_record(row: User) -> dict[str, Any]:
    return {"id": row.id, "username": row.username, "role": str(row.role), "active": row.active}


def asset_record(row: Asset) -> dict[str, Any]:
    return {
        "id": row.id,
        "client_id": row.client_id,
        "filename": row.filename,
        "mime": row.mime,
        "bytes": row.bytes,
        "width": row.width,
        "height": row.height,
        "path": str(store.abs_path(row.path)),
    }
