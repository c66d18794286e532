import pytest

from core.accounts import users
from core.errors import Conflict, PermissionDenied, ValidationError
from tests.utils.factories import PASSWORD


def test_first_admin_can_be_created_without_an_actor_and_passwords_are_hashed(session):
    admin = users.create_user(
        session=session, actor=None, username="Ada", role="admin", password=PASSWORD
    )
    assert admin.username == "ada"
    assert PASSWORD not in admin.password_hash and admin.password_hash.startswith("$2")
    assert users.authenticate(session=session, username="ada", password=PASSWORD).id == admin.id
    assert users.authenticate(session=session, username="ada", password="wrong-pass") is None


def test_only_admins_add_users_after_the_first(session, people):
    with pytest.raises(PermissionDenied, match="creative"):
        users.create_user(
            session=session,
            actor=people["creative"],
            username="eve",
            role="admin",
            password=PASSWORD,
        )
    with pytest.raises(PermissionDenied):
        users.create_user(
            session=session, actor=None, username="eve", role="admin", password=PASSWORD
        )


def test_bad_input_is_refused_with_field_messages(session, people):
    admin = people["admin"]
    with pytest.raises(ValidationError, match="password"):
        users.create_user(
            session=session, actor=admin, username="bob", role="viewer", password="short"
        )
    with pytest.raises(ValidationError, match="allowed: admin, creative, reviewer, viewer"):
        users.create_user(
            session=session, actor=admin, username="bob", role="boss", password=PASSWORD
        )
    with pytest.raises(Conflict, match="already exists"):
        users.create_user(
            session=session, actor=admin, username="cleo", role="viewer", password=PASSWORD
        )


def test_deactivated_users_cannot_sign_in_and_the_last_admin_is_kept(session, people):
    admin, vic = people["admin"], people["viewer"]
    users.set_active(session=session, actor=admin, user_id=vic.id, active=False)
    assert users.authenticate(session=session, username="vic", password=PASSWORD) is None
    with pytest.raises(Conflict, match="your own account"):
        users.set_active(session=session, actor=admin, user_id=admin.id, active=False)
    with pytest.raises(Conflict, match="last active admin"):
        users.set_role(session=session, actor=admin, user_id=admin.id, role="viewer")


def test_reset_password_and_set_role(session, people):
    admin, cleo = people["admin"], people["creative"]
    users.reset_password(session=session, actor=admin, user_id=cleo.id, password="new-pass-123")
    assert users.authenticate(session=session, username="cleo", password="new-pass-123")
    users.set_role(session=session, actor=admin, user_id=cleo.id, role="reviewer")
    assert users.get_user(session=session, user_id=cleo.id).role == "reviewer"
    with pytest.raises(PermissionDenied):
        users.set_role(session=session, actor=cleo, user_id=cleo.id, role="admin")


# bcrypt reads at most 72 bytes: a longer password is refused as input, in characters or bytes.
@pytest.mark.parametrize("password", ["x" * 73, "é" * 37], ids=["73 ascii", "74 utf-8 bytes"])
def test_a_password_past_bcrypts_72_bytes_is_refused_on_add_and_reset(session, people, password):
    admin, cleo = people["admin"], people["creative"]
    with pytest.raises(ValidationError, match=r"^password: use at most 72 bytes") as caught:
        users.create_user(
            session=session, actor=admin, username="nina", role="viewer", password=password
        )
    assert caught.value.fields == {"password": str(caught.value)}
    assert users.get_by_username(session=session, username="nina") is None
    with pytest.raises(ValidationError, match=r"^password: use at most 72 bytes"):
        users.reset_password(session=session, actor=admin, user_id=cleo.id, password=password)
    assert users.authenticate(session=session, username="cleo", password=PASSWORD)


def test_exactly_72_bytes_is_still_a_password(session, people):
    password = "the-quick-brown-fox-jumps-over-lazy-dogs-while-sea-glass-lanterns-glow-7"
    assert len(password.encode()) == 72
    users.create_user(
        session=session, actor=people["admin"], username="nina", role="viewer", password=password
    )
    assert users.authenticate(session=session, username="nina", password=password)


def test_a_display_name_is_at_most_120_characters(session, people):
    with pytest.raises(ValidationError, match=r"^name: use at most 120 characters"):
        users.create_user(session=session, actor=people["admin"], username="nina",
                          role="viewer", password=PASSWORD, name="N" * 121)  # fmt: skip
    assert users.get_by_username(session=session, username="nina") is None
    nina = users.create_user(session=session, actor=people["admin"], username="nina",
                             role="viewer", password=PASSWORD, name="N" * 120)  # fmt: skip
    assert nina.name == "N" * 120
