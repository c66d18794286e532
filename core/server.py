"""What the app's server does around its life: prepare the database, run the embedded worker."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from core import jobs
from core.accounts import users
from core.config import get_settings
from core.db import get_engine, session_scope
from core.errors import Conflict, PermissionDenied, ValidationError

log = logging.getLogger(__name__)


_admin_refusal: str | None = None


def ensure_first_admin() -> str | None:
    """Create the admin named by STUDIO_ADMIN_USER / STUDIO_ADMIN_PASSWORD on an empty database.

    Values the users service refuses (a short password, a bad name) do not stop the server: the
    refusal is logged and kept for the sign-in page to show (`first_admin_refusal`)."""
    global _admin_refusal
    settings = get_settings()
    if not (settings.studio_admin_user and settings.studio_admin_password):
        return None
    try:
        with session_scope() as session:
            if users.count_users(session=session):
                return None
            user = users.create_user(
                session=session, actor=None, username=settings.studio_admin_user, role="admin",
                password=settings.studio_admin_password.get_secret_value(),
            )  # fmt: skip
            _admin_refusal = None
            return user.username
    # A process starting at the same time made it first (seen as a clash, or as a database
    # that is no longer empty when the users service checks again).
    except (IntegrityError, Conflict, PermissionDenied):
        return None
    except ValidationError as refused:  # its messages name the field, never echo the password
        _admin_refusal = str(refused)
        log.error("STUDIO_ADMIN_USER / STUDIO_ADMIN_PASSWORD not accepted: %s", refused)
        return None


def first_admin_refusal() -> str | None:
    """Why the admin from the environment was not created at start-up, if it was refused."""
    return _admin_refusal


def reset_first_admin_refusal() -> None:
    """Forget that refusal (tests: one test's start-up is not the next one's)."""
    global _admin_refusal
    _admin_refusal = None


def start() -> jobs.EmbeddedConsumer | None:
    """Migrate, bootstrap the admin, re-drive unfinished work and start consuming the queue.

    With a Redis queue the app does not consume: separate `python -m core worker` processes do.
    """
    get_engine()
    ensure_first_admin()
    if get_settings().queue_url.startswith(("redis://", "rediss://")):
        return None
    consumer = jobs.start_consumer()
    redriven = jobs.reconcile()
    log.info("embedded worker started; %d unfinished generations re-driven", redriven)
    return consumer


def stop(consumer: jobs.EmbeddedConsumer | None) -> None:
    if consumer is not None:
        consumer.stop(graceful=True)
