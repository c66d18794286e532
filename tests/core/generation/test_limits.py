"""Per-user rate limits on paid work, per kind, saying when to retry; draft work is not limited."""

import pytest

from core.config import reset_settings
from core.generation import limits
from tests.utils.factories import count_generations, submit_generation

PAID, DRAFT = "google/nano-banana", "local/draft-image"


def test_rate_limits_are_per_user_and_kind_and_say_when_to_retry(
    replicate_on, monkeypatch, session, people, campaign
):
    monkeypatch.setenv("STUDIO_RATE_LIMITS", "image=2/minute;video=1/minute")
    reset_settings()
    limits.reset()
    admin, cleo = people["admin"], people["creative"]
    submit_generation(session, admin, campaign, model=PAID)
    submit_generation(session, admin, campaign, model=PAID)
    with pytest.raises(limits.RateLimited, match=r"Too many image requests .* try again in"):
        submit_generation(session, admin, campaign, model=PAID)
    submit_generation(session, cleo, campaign, model=PAID)  # another user has their own allowance
    submit_generation(session, admin, campaign, model=DRAFT)  # draft work is not limited
    assert count_generations() == 4
