"""Guessing passwords is slowed down per account and per client: after a few wrong passwords
each next try must wait (2, 4, 8 ... s), the right password included, and a right one clears the
account's count. A client trying many names is slowed down across them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.accounts.sign_in import (
    ACCOUNT_FREE_TRIES,
    CLIENT_FREE_TRIES,
    TooManyTries,
    sign_in,
    wait_before_next_try,
)
from core.models import SignInFailure, table_of
from tests.utils.factories import PASSWORD

FAILURES = table_of(SignInFailure)


def _try(session, username, password, client="203.0.113.7"):
    return sign_in(session=session, username=username, password=password, client=client)


def _age_failures(session, seconds: float) -> None:
    """As if the failures so far happened `seconds` earlier."""
    for failure in session.exec(sa.select(SignInFailure)).scalars():
        failure.at -= timedelta(seconds=seconds)
        session.add(failure)
    session.commit()


def test_wrong_passwords_slow_the_account_down_then_the_right_one_clears_it(session, people):
    for _ in range(ACCOUNT_FREE_TRIES):
        assert _try(session, "cleo", "not-her-password") is None
    with pytest.raises(TooManyTries, match=r"wait 2 s") as slowed:
        _try(session, "cleo", PASSWORD)  # even the right password waits its turn
    assert slowed.value.wait_s == 2
    _age_failures(session, 3)
    assert _try(session, "cleo", "still-not-it") is None
    with pytest.raises(TooManyTries, match=r"wait 4 s"):
        _try(session, "cleo", PASSWORD)
    _age_failures(session, 5)
    assert _try(session, "cleo", PASSWORD).id == people["creative"].id
    assert wait_before_next_try(session=session, username="cleo", client="203.0.113.7") == 0


def test_another_account_and_another_client_are_not_slowed_by_one_accounts_failures(
    session, people
):
    for _ in range(ACCOUNT_FREE_TRIES):
        assert _try(session, "cleo", "not-her-password", client="198.51.100.1") is None
    assert _try(session, "ada", PASSWORD, client="198.51.100.1").id == people["admin"].id
    with pytest.raises(TooManyTries):
        _try(session, "cleo", PASSWORD, client="192.0.2.99")  # the account itself is slowed


def test_a_client_trying_many_names_is_slowed_down_across_them(session, people):
    for n in range(CLIENT_FREE_TRIES):
        assert _try(session, f"guess{n}", "password-guess") is None
    with pytest.raises(TooManyTries):
        _try(session, "ada", PASSWORD)
    assert _try(session, "ada", PASSWORD, client="192.0.2.1").id == people["admin"].id


def test_an_unknown_name_and_a_deactivated_account_are_plain_failures(session, people):
    people["viewer"].active = False
    session.add(people["viewer"])
    session.commit()
    assert _try(session, "nobody-here", PASSWORD) is None
    assert _try(session, people["viewer"].username, PASSWORD) is None
    assert session.exec(sa.select(sa.func.count()).select_from(FAILURES)).one()[0] == 2


def test_failures_older_than_the_window_are_forgotten(session, people):
    for n in range(ACCOUNT_FREE_TRIES):
        _try(session, "cleo", "not-her-password", client=f"192.0.2.{n}")
    with pytest.raises(TooManyTries):
        _try(session, "cleo", PASSWORD)
    _age_failures(session, 16 * 60)
    assert _try(session, "cleo", PASSWORD).id == people["creative"].id
