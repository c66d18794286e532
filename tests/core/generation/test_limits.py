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


def test_the_limit_holds_across_processes(replicate_on, monkeypatch, session, people, campaign):
    """Twelve `generate` commands at once, each its own process, against a 5-a-minute limit."""
    import subprocess

    from tests.utils.processes import child_env, python_m

    monkeypatch.setenv("STUDIO_RATE_LIMITS", "image=5/minute")
    session.commit()
    argv = python_m(
        "core", "generate", "image", "--campaign", campaign.name, "--model", PAID,
        "--prompt", "a can on a beach", "--as", people["creative"].username,
    )  # fmt: skip
    runs = [subprocess.Popen(argv, env=child_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(12)]  # fmt: skip
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    refused = [err for code, err in results if code != 0]
    assert len(refused) == 7 and all("Too many image requests" in err for err in refused), refused
    assert count_generations() == 5
