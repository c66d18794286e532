"""Accounts: create, sign in, roles, passwords, deactivation."""

from __future__ import annotations

import re

from sqlmodel import Session, col, func, select
from zxcvbn import zxcvbn

from core.accounts.auth import check_password, hash_password, require
from core.db import get_or_not_found
from core.errors import Conflict, ValidationError
from core.models import Role, User, utcnow

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8
MIN_STRENGTH = 3  # zxcvbn's 0-4: 3 resists an online attacker and most offline guessing
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further (and the bcrypt package refuses longer)
MAX_NAME = 120


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError(
            {"role": f"role: '{role}' is not a role (allowed: {allowed})"}
        ) from None


def _check_password(password: str, *, about: tuple[str, ...] = ()) -> None:
    """Long enough, within bcrypt's 72 bytes, and not easy to guess (zxcvbn, which knows common
    passwords, keyboard walks, dates and the account's own name in `about`)."""
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError({"password": f"password: use at least {MIN_PASSWORD} characters"})
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise ValidationError(
            {"password": f"password: use at most {MAX_PASSWORD_BYTES} bytes (about "
                         f"{MAX_PASSWORD_BYTES} characters; fewer with accents or emoji)"}
        )  # fmt: skip
    strength = zxcvbn(password, user_inputs=[a for a in about if a])
    if strength["score"] < MIN_STRENGTH:
        why = strength["feedback"]["warning"] or "it follows a common pattern"
        raise ValidationError(
            {"password": f"password: too easy to guess ({why.rstrip('.')}); try a few "
                         "unrelated words, or a longer phrase"}
        )  # fmt: skip


def _check_name(name: str | None, username: str) -> str:
    name = (name or "").strip()
    if len(name) > MAX_NAME:
        raise ValidationError({"name": f"name: use at most {MAX_NAME} characters"})
    return name or username


def count_users(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def create_user(
    *,
    session: Session,
    actor: User | None,
    username: str,
    role: str,
    password: str,
    name: str = "",
    email: str = "",
) -> User:
    """Admins add users; the very first user (an admin) may be created with no actor."""
    if not (actor is None and count_users(session=session) == 0 and role == Role.admin):
        require(actor, "user.manage")
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            {"username": "username: 2-64 letters, digits, '.', '_' or '-', starting alphanumeric"}
        )
    role_value = _check_role(role)
    name = _check_name(name, username)
    _check_password(password, about=(username, name, email))
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"A user named '{username}' already exists.")
    user = User(
        username=username, role=role_value, password_hash=hash_password(password),
        name=name, email=(email or "").strip(),
    )  # fmt: skip
    session.add(user)
    session.flush()
    return user


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    user = get_by_username(session=session, username=username)
    if user and user.active and check_password(password, user.password_hash):
        return user
    return None


def get_by_username(*, session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == (username or "").lower())).first()


def get_user(*, session: Session, user_id: str) -> User:
    return get_or_not_found(session, User, user_id, "user")


def first_admin(*, session: Session) -> User | None:
    query = select(User).where(User.role == Role.admin, User.active).order_by(col(User.created_at))
    return session.exec(query).first()


def list_users(*, session: Session, actor: User) -> list[User]:
    require(actor, "user.manage")
    return list(session.exec(select(User).order_by(User.username)))


def _other_active_admins(session: Session, user: User) -> int:
    query = select(func.count()).select_from(User)
    query = query.where(User.role == Role.admin, User.active, User.id != user.id)
    return session.exec(query).one()


def set_role(*, session: Session, actor: User, user_id: str, role: str) -> User:
    require(actor, "user.manage")
    user = get_user(session=session, user_id=user_id)
    new_role = _check_role(role)
    if (
        user.role == Role.admin
        and new_role != Role.admin
        and not _other_active_admins(session, user)
    ):
        raise Conflict("This is the last active admin; make another admin first.")
    if user.role != new_role:
        end_sessions(user)
    user.role = new_role
    session.add(user)
    session.flush()
    return user


def reset_password(*, session: Session, actor: User, user_id: str, password: str) -> User:
    user = get_user(session=session, user_id=user_id)
    if actor is None or actor.id != user.id:
        require(actor, "user.manage")
    _check_password(password, about=(user.username, user.name, user.email))
    user.password_hash = hash_password(password)
    end_sessions(user)
    session.add(user)
    session.flush()
    return user


def set_active(*, session: Session, actor: User, user_id: str, active: bool) -> User:
    require(actor, "user.manage")
    user = get_user(session=session, user_id=user_id)
    if not active and user.id == actor.id:
        raise Conflict("You cannot deactivate your own account; ask another admin.")
    if not active and user.role == Role.admin and not _other_active_admins(session, user):
        raise Conflict("This is the last active admin; it cannot be deactivated.")
    if not active:
        end_sessions(user)
    user.active = active
    session.add(user)
    session.flush()
    return user


def end_sessions(user: User) -> None:
    """Every sign-in of this account made until now stops counting, login cookies included (a
    stolen one too)."""
    user.sessions_valid_from = utcnow()


def sign_out_everywhere(*, session: Session, actor: User) -> None:
    """The account's own sign-out: its sessions and cookies in every browser end."""
    user = get_user(session=session, user_id=actor.id)
    end_sessions(user)
    session.add(user)
    session.flush()


def all_users(*, session: Session) -> list[User]:
    """Every account, for showing names beside work; managing them needs `list_users`."""
    return list(session.exec(select(User).order_by(User.username)))
