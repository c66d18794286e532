"""Clients and their brand rules: guidelines, palette, negative prompt, sound direction."""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from core.accounts.auth import require
from core.db import get_or_not_found
from core.errors import Conflict, NotFound, ValidationError
from core.models import Client, User

HEX_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_PALETTE = 8
MAX_BUDGET_USD = 10_000_000


def parse_palette(palette: str | list[str] | None) -> list[str]:
    """'#112233, #AABBCC' or a list -> ['#112233', '#AABBCC']; a clear message on a bad colour."""
    if palette is None:
        return []
    items = palette.split(",") if isinstance(palette, str) else palette
    colours = [c.strip() for c in items if c and c.strip()]
    bad = [c for c in colours if not HEX_RE.match(c)]
    if bad:
        raise ValidationError(
            {"palette": f"palette: '{bad[0]}' is not a colour; use #RRGGBB, e.g. #1A2B3C"}
        )
    if len(colours) > MAX_PALETTE:
        raise ValidationError({"palette": f"palette: at most {MAX_PALETTE} colours"})
    return [c.upper() for c in colours]


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": "name: give a name of 1-120 characters"})
    return name


def _check_budget(budget: float | None) -> float | None:
    """None (no limit) or 0..MAX_BUDGET_USD; NaN and infinity fail the range check too."""
    if budget is not None and not 0 <= budget <= MAX_BUDGET_USD:
        raise ValidationError(
            {"budget_usd": f"Budget: must be between 0 and {MAX_BUDGET_USD:,} USD"}
        )
    return budget


def raises_budget(old: float | None, new: float | None) -> bool:
    """True if `new` allows more spend than `old`; no budget (None) is unlimited."""
    if old is None:
        return False
    return new is None or new > old


def create_client(
    *,
    session: Session,
    actor: User,
    name: str,
    guidelines: str = "",
    palette: str | list[str] | None = None,
    negative_prompt: str = "",
    sound_direction: str = "",
    budget_usd: float | None = None,
) -> Client:
    require(actor, "client.manage")
    client = Client(
        name=_check_name(name), guidelines=(guidelines or "").strip(),
        palette=parse_palette(palette), negative_prompt=(negative_prompt or "").strip(),
        sound_direction=(sound_direction or "").strip(), budget_usd=_check_budget(budget_usd),
    )  # fmt: skip
    if clash := _same_name(session, client.name):
        raise Conflict(f"A client named '{clash.name}' already exists.")
    session.add(client)
    session.flush()
    return client


def _same_name(session: Session, name: str) -> Client | None:
    """A client whose name differs at most in case: "Acme" and "acme" are one client to people."""
    return session.exec(select(Client).where(func.lower(Client.name) == name.lower())).first()


def update_client(*, session: Session, actor: User, client_id: str, **changes) -> Client:
    require(actor, "client.manage")
    client = get_client(session=session, client_id=client_id)
    if "name" in changes:
        name = _check_name(changes.pop("name"))
        if (clash := _same_name(session, name)) and clash.id != client.id:
            raise Conflict(f"A client named '{clash.name}' already exists.")
        client.name = name
    if "palette" in changes:
        client.palette = parse_palette(changes.pop("palette"))
    if "budget_usd" in changes:
        budget = _check_budget(changes.pop("budget_usd"))
        if raises_budget(client.budget_usd, budget):
            require(actor, "budget.raise")
        client.budget_usd = budget
    for field in ("guidelines", "negative_prompt", "sound_direction", "archived"):
        if field in changes:
            setattr(client, field, changes.pop(field))
    if changes:
        raise ValidationError({k: f"{k}: not a client field" for k in changes})
    session.add(client)
    session.flush()
    return client


def get_client(*, session: Session, client_id: str) -> Client:
    return get_or_not_found(session, Client, client_id, "client")


def find_client(*, session: Session, name: str) -> Client:
    client = session.exec(select(Client).where(Client.name == (name or "").strip())).first()
    if client is None:
        raise NotFound(f"No client named '{name}'.")
    return client


def list_clients(*, session: Session, actor: User, include_archived: bool = False) -> list[Client]:
    require(actor, "read")
    query = select(Client).order_by(Client.name)
    if not include_archived:
        query = query.where(Client.archived == False)  # noqa: E712
    return list(session.exec(query))
