"""Roles and what each may do. Services call `require` before they touch anything."""

from __future__ import annotations

import bcrypt

from core.config import get_settings
from core.errors import PermissionDenied
from core.models import Role, User

# Permission -> roles allowed. Enforced in services, so the CLI and any page obey the same rules.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "read": frozenset(Role),
    # Work in progress (jobs, storyboards) is for the team, not for stakeholders with a viewer seat.
    "work.view": frozenset({Role.admin, Role.creative, Role.reviewer}),
    "showcase.view": frozenset(Role),
    "client.manage": frozenset({Role.admin, Role.creative}),
    "campaign.manage": frozenset({Role.admin, Role.creative}),
    "asset.manage": frozenset({Role.admin, Role.creative}),
    "upload": frozenset({Role.admin, Role.creative}),  # briefs, assets, start images
    "generate": frozenset({Role.admin, Role.creative}),
    "job.manage": frozenset({Role.admin, Role.creative}),
    "generation.delete": frozenset({Role.admin, Role.creative}),
    "storyboard.edit": frozenset({Role.admin, Role.creative}),
    "review": frozenset({Role.admin, Role.reviewer}),
    "share.manage": frozenset({Role.admin, Role.creative}),  # links guests open, no account
    "costs.view": frozenset({Role.admin, Role.creative, Role.reviewer}),
    "budget.raise": frozenset({Role.admin}),
    "user.manage": frozenset({Role.admin}),
}

ACTIONS = {
    "read": "see this",
    "work.view": "see work in progress",
    "showcase.view": "see the showcase",
    "client.manage": "manage clients",
    "campaign.manage": "manage campaigns",
    "asset.manage": "upload or delete assets",
    "upload": "upload files",
    "generate": "generate media",
    "job.manage": "cancel or retry jobs",
    "generation.delete": "delete generations",
    "storyboard.edit": "edit storyboards",
    "review": "review storyboards",
    "share.manage": "share links with people outside the team",
    "costs.view": "see costs",
    "budget.raise": "raise budgets",
    "user.manage": "manage users",
}


def can(actor: User | None, permission: str) -> bool:
    return bool(actor and actor.active and actor.role in PERMISSIONS[permission])


def require(actor: User | None, permission: str) -> None:
    if actor is None or not actor.active:
        raise PermissionDenied("Sign in with an active account first.")
    if actor.role not in PERMISSIONS[permission]:
        raise PermissionDenied(f"Your role ({actor.role}) cannot {ACTIONS[permission]}.")


def can_as_owner_or_admin(actor: User | None, owner_id: str | None, permission: str) -> bool:
    """Whether `require_owner_or_admin` lets `actor` through (to offer only allowed buttons)."""
    return (
        can(actor, permission)
        and actor is not None
        and (actor.role == "admin" or owner_id == actor.id)
    )


def require_owner_or_admin(actor: User | None, owner_id: str | None, permission: str) -> None:
    """Creatives act on their own work; admins on anyone's."""
    require(actor, permission)
    if actor is None:  # require() has refused it already
        raise PermissionDenied("Sign in with an active account first.")
    if actor.role != "admin" and owner_id != actor.id:
        raise PermissionDenied("You can only change your own work; ask an admin.")


def hash_password(password: str) -> str:
    rounds = get_settings().studio_bcrypt_rounds
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def check_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), password_hash.encode())
    except ValueError:
        return False
