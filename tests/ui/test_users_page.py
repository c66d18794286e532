"""Users: admins add accounts, set roles, reset passwords, deactivate; the last admin stays."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.accounts import users
from core.models import User
from tests.utils.factories import PASSWORD

NEW = "users_new_0"


def _users(session) -> dict[str, User]:
    session.expire_all()
    return {u.username: u for u in session.exec(select(User))}


@pytest.mark.parametrize("role", ["viewer", "reviewer", "creative"])
def test_only_admins_may_open_it(screen, people, role):
    at = screen("users", people[role]).run()
    assert [e.value for e in at.error] == [f"Your role ({role}) cannot manage users."]
    assert not at.button and not at.text_input and not at.dataframe


def test_add_a_user(screen, people, session):
    at = screen("users", people["admin"]).run()
    at.text_input(key=f"{NEW}_username").input("Nina")
    at.text_input(key=f"{NEW}_name").input("Nina Park")
    at.selectbox(key=f"{NEW}_role").set_value("reviewer")
    at.text_input(key=f"{NEW}_password").input("a-long-password")
    at.button(key=f"{NEW}_submit").click().run()
    assert not at.error
    assert at.success[0].value == "User 'nina' added as reviewer."
    nina = _users(session)["nina"]
    assert (nina.name, nina.role) == ("Nina Park", "reviewer")
    assert users.authenticate(session=session, username="nina", password="a-long-password")
    assert "nina" in at.dataframe[0].value["Username"].tolist()
    assert at.text_input(key="users_new_1_username").value == ""


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "a-long-password", "username: 2-64 letters, digits"),
        ("nina", "short", "password: use at least 8 characters"),
        ("nina", "x" * 73, "password: use at most 72 bytes (about 72 characters"),
        ("cleo", "a-long-password", "A user named 'cleo' already exists."),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    screen, people, session, username, password, message
):
    at = screen("users", people["admin"]).run()
    at.text_input(key=f"{NEW}_username").input(username)
    at.text_input(key=f"{NEW}_password").input(password)
    at.button(key=f"{NEW}_submit").click().run()
    assert len(at.error) == 1 and at.error[0].value.startswith(message)
    assert sorted(_users(session)) == ["ada", "cleo", "rita", "vic"]


def test_set_role_reset_password_deactivate_and_reactivate(screen, people, session):
    cleo = people["creative"]
    at = screen("users", people["admin"]).run()
    at.selectbox(key="users_user").set_value(cleo.id).run()
    at.selectbox(key=f"users_{cleo.id}_role").set_value("viewer").run()
    at.button(key=f"users_{cleo.id}_set_role").click().run()
    assert at.success[0].value == "cleo is now viewer."
    assert _users(session)["cleo"].role == "viewer"
    at.text_input(key=f"users_{cleo.id}_pw").input("brand-new-secret")
    at.button(key=f"users_{cleo.id}_reset").click().run()
    assert at.success[0].value == "Password of cleo reset."
    session.expire_all()
    assert users.authenticate(session=session, username="cleo", password="brand-new-secret")
    at.button(key=f"users_{cleo.id}_deactivate").click().run()
    assert at.success[0].value == "cleo deactivated."
    assert not _users(session)["cleo"].active
    assert "deactivated" in at.dataframe[0].value["Status"].tolist()
    at.button(key=f"users_{cleo.id}_reactivate").click().run()
    assert _users(session)["cleo"].active


def test_a_short_new_password_is_refused(screen, people, session):
    cleo = people["creative"]
    at = screen("users", people["admin"]).run()
    at.selectbox(key="users_user").set_value(cleo.id).run()
    at.text_input(key=f"users_{cleo.id}_pw").input("short")
    at.button(key=f"users_{cleo.id}_reset").click().run()
    assert [e.value for e in at.error] == ["password: use at least 8 characters"]
    assert users.authenticate(session=session, username="cleo", password=PASSWORD)


def test_the_last_admin_cannot_be_demoted_or_deactivated(screen, people, session):
    ada = people["admin"]
    at = screen("users", ada).run()
    at.selectbox(key="users_user").set_value(ada.id).run()
    at.selectbox(key=f"users_{ada.id}_role").set_value("creative").run()
    at.button(key=f"users_{ada.id}_set_role").click().run()
    assert [e.value for e in at.error] == [
        "This is the last active admin; make another admin first."
    ]
    # Nobody is offered to deactivate themselves (core refuses it too).
    assert not [b for b in at.button if b.key == f"users_{ada.id}_deactivate"]
    assert any("your own account" in c.value for c in at.caption)
    ada_now = _users(session)["ada"]
    assert (ada_now.role, ada_now.active) == ("admin", True)


def test_a_name_past_120_characters_is_named_and_nothing_is_written(screen, people, session):
    at = screen("users", people["admin"]).run()
    at.text_input(key=f"{NEW}_username").input("nina")
    at.text_input(key=f"{NEW}_name").input("N" * 121)
    at.text_input(key=f"{NEW}_password").input("a-long-password")
    at.button(key=f"{NEW}_submit").click().run()
    assert [e.value for e in at.error] == ["name: use at most 120 characters"]
    assert "nina" not in _users(session)


def test_a_new_password_past_72_bytes_is_refused_not_an_internal_error(screen, people, session):
    cleo = people["creative"]
    at = screen("users", people["admin"]).run()
    at.selectbox(key="users_user").set_value(cleo.id).run()
    at.text_input(key=f"users_{cleo.id}_pw").input("é" * 40)  # 40 characters, 80 bytes
    at.button(key=f"users_{cleo.id}_reset").click().run()
    assert [e.value for e in at.error] == [
        "password: use at most 72 bytes (about 72 characters; fewer with accents or emoji)"
    ]
    assert users.authenticate(session=session, username="cleo", password=PASSWORD)
