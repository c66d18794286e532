"""Passwords people can guess are refused with a message that says why, wherever one is set."""

from __future__ import annotations

import pytest

from core.accounts import users
from core.errors import ValidationError


@pytest.mark.parametrize("weak", ["password", "12345678", "qwertyuiop", "passw0rd!"])
def test_common_and_trivial_passwords_are_refused(session, people, weak):
    with pytest.raises(ValidationError, match="too easy to guess"):
        users.create_user(session=session, actor=people["admin"], username="dora",
                          role="creative", password=weak)  # fmt: skip
    assert users.get_by_username(session=session, username="dora") is None


def test_a_password_made_of_the_accounts_own_name_is_refused(session, people):
    with pytest.raises(ValidationError, match="too easy to guess"):
        users.create_user(session=session, actor=people["admin"], username="dorothea",
                          role="creative", password="dorothea2026")  # fmt: skip


def test_a_reset_to_a_weak_password_changes_nothing(session, people):
    creative = people["creative"]
    before = creative.password_hash
    with pytest.raises(ValidationError, match="too easy to guess"):
        users.reset_password(session=session, actor=people["admin"], user_id=creative.id,
                             password="12345678")  # fmt: skip
    session.refresh(creative)
    assert creative.password_hash == before


def test_a_few_unrelated_words_are_accepted(session, people):
    user = users.create_user(session=session, actor=people["admin"], username="dora",
                             role="creative", password="sea-glass-lantern-42")  # fmt: skip
    assert users.authenticate(session=session, username="dora", password="sea-glass-lantern-42")
    assert user.role == "creative"
