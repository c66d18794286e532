"""Users (admins only): add accounts, set roles, reset passwords, deactivate and reactivate."""

from __future__ import annotations

import streamlit as st

from core.accounts import users
from core.models import Role, User
from ui import flash
from ui.errors import friendly_errors
from ui.session import db, require

PAGE = "users"
ROLES = [r.value for r in Role]
ROLE_HELP = (
    "admin: everything, including users · creative: clients, campaigns, assets, generate · "
    "reviewer: read all, review and approve · viewer: read-only galleries and showcase"
)


def _add_form(admin: User) -> None:
    prefix = flash.form_key(PAGE, "new")
    username = st.text_input("Username", key=f"{prefix}_username", help="Used to sign in.")
    name = st.text_input("Name", key=f"{prefix}_name", placeholder="shown beside their work")
    role = st.selectbox("Role", ROLES, index=ROLES.index("creative"), key=f"{prefix}_role",
                        help=ROLE_HELP)  # fmt: skip
    password = st.text_input("Password", type="password", key=f"{prefix}_password",
                             help=f"{users.MIN_PASSWORD} to {users.MAX_PASSWORD_BYTES} characters "
                                  "(fewer with accents or emoji).")  # fmt: skip
    if st.button("Add user", type="primary", key=f"{prefix}_submit"):
        with friendly_errors():
            with db() as session:
                user = users.create_user(session=session, actor=admin, username=username,
                                         role=role, password=password, name=name)  # fmt: skip
            flash.next_round(PAGE, "new")
            flash.done(PAGE, f"User '{user.username}' added as {user.role}.")


def _table(rows: list[User]) -> None:
    st.dataframe(
        [
            {"Username": u.username, "Name": u.name, "Role": str(u.role),
             "Status": "active" if u.active else "deactivated",
             "Created": u.created_at.strftime("%Y-%m-%d")}
            for u in rows
        ],
        hide_index=True,
    )  # fmt: skip


def _apply(message: str, change, **kwargs) -> None:
    """Run one user change; core refuses e.g. removing the last admin, with its own message."""
    with friendly_errors():
        with db() as session:
            change(session=session, **kwargs)
        flash.done(PAGE, message)


def _manage(admin: User, rows: list[User]) -> None:
    by_id = {u.id: u for u in rows}
    chosen = st.selectbox(
        "User", list(by_id), key=f"{PAGE}_user",
        format_func=lambda i: f"{by_id[i].username} ({by_id[i].role})",
    )  # fmt: skip
    user = by_id[chosen]
    prefix = f"{PAGE}_{user.id}"
    common = {"actor": admin, "user_id": user.id}
    role_col, password_col = st.columns(2)
    role = role_col.selectbox("Role", ROLES, index=ROLES.index(user.role), key=f"{prefix}_role")
    if role_col.button("Set role", key=f"{prefix}_set_role", disabled=role == user.role):
        _apply(f"{user.username} is now {role}.", users.set_role, role=role, **common)
    password = password_col.text_input("New password", type="password", key=f"{prefix}_pw")
    if password_col.button("Reset password", key=f"{prefix}_reset"):
        _apply(f"Password of {user.username} reset.", users.reset_password,
               password=password, **common)  # fmt: skip
    if user.id == admin.id:
        st.caption("This is your own account: another admin can deactivate it.")
    elif user.active:
        if st.button("Deactivate", key=f"{prefix}_deactivate", help="They can no longer sign in."):
            _apply(f"{user.username} deactivated.", users.set_active, active=False, **common)
    elif st.button("Reactivate", key=f"{prefix}_reactivate"):
        _apply(f"{user.username} reactivated.", users.set_active, active=True, **common)


def render() -> None:
    admin = require("user.manage")
    st.title("Users")
    flash.show(PAGE)
    with st.expander("Add a user"):
        _add_form(admin)
    with db() as session:
        rows = users.list_users(session=session, actor=admin)
    _table(rows)
    st.subheader("Change a user")
    _manage(admin, rows)
