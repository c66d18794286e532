"""A stolen login cookie dies with sign-out, a password reset, a role change and deactivation:
every sign-in made before them stops counting; one made after counts."""

from __future__ import annotations

import time

import jwt
import pytest

from core.accounts import users
from core.accounts.login_cookie import COOKIE_DAYS, cookie_signing_key, user_from_cookie


def _cookie(username: str) -> str:
    """A login cookie as the sign-in form writes it, issued now."""
    claims = {"username": username, "exp_date": time.time() + COOKIE_DAYS * 86400}
    return jwt.encode(claims, cookie_signing_key(), algorithm="HS256")


ENDINGS = {
    "sign-out": lambda s, admin, user: users.sign_out_everywhere(session=s, actor=user),
    "password reset": lambda s, admin, user: users.reset_password(
        session=s, actor=admin, user_id=user.id, password="sea-glass-lantern-42"
    ),
    "role change": lambda s, admin, user: users.set_role(
        session=s, actor=admin, user_id=user.id, role="reviewer"
    ),
    "deactivation": lambda s, admin, user: users.set_active(
        session=s, actor=admin, user_id=user.id, active=False
    ),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_cookie_issued_before_the_sign_ins_ended_no_longer_signs_in(session, people, ending):
    creative = people["creative"]
    stolen = _cookie(creative.username)
    assert user_from_cookie(stolen).id == creative.id
    ENDINGS[ending](session, people["admin"], creative)
    session.commit()
    assert user_from_cookie(stolen) is None
    if ending == "deactivation":
        users.set_active(session=session, actor=people["admin"], user_id=creative.id, active=True)
        session.commit()
    assert user_from_cookie(stolen) is None  # reactivated or not, that cookie stays dead
    assert user_from_cookie(_cookie(creative.username)).id == creative.id  # a new sign-in counts


def test_a_role_set_to_what_it_already_is_ends_nothing(session, people):
    creative = people["creative"]
    cookie = _cookie(creative.username)
    users.set_role(session=session, actor=people["admin"], user_id=creative.id, role="creative")
    session.commit()
    assert user_from_cookie(cookie).id == creative.id
