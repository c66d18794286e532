"""Per-user rate limits on paid work, per kind, saying when to retry; draft work is not limited."""

import pytest
from sqlmodel import Session, func, select

from core.config import reset_settings
from core.db import get_engine
from core.generation import limits
from core.generation import service as gen
from core.models import Generation


def _image(session, actor, campaign, model="google/nano-banana"):
    req = gen.Request("image", "a red kite over the sea", model)
    return gen.submit(session=session, actor=actor, campaign_id=campaign.id, req=req)


def _count() -> int:
    with Session(get_engine()) as s:
        return s.exec(select(func.count()).select_from(Generation)).one()


def test_rate_limits_are_per_user_and_kind_and_say_when_to_retry(
    replicate_on, monkeypatch, session, people, campaign
):
    monkeypatch.setenv("STUDIO_RATE_LIMITS", "image=2/minute;video=1/minute")
    reset_settings()
    limits.reset()
    admin, cleo = people["admin"], people["creative"]
    _image(session, admin, campaign)
    _image(session, admin, campaign)
    with pytest.raises(limits.RateLimited, match=r"Too many image requests .* try again in"):
        _image(session, admin, campaign)
    _image(session, cleo, campaign)  # another user has their own allowance
    _image(session, admin, campaign, model="local/draft-image")  # draft work is not limited
    assert _count() == 4
