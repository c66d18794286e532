"""Demo data for a stakeholder demo: a branded client, a campaign and a few draft renders."""

from __future__ import annotations

from sqlmodel import Session, func, select

from core.accounts.auth import require
from core.campaigns import campaigns, clients
from core.errors import Conflict
from core.generation import service as gen
from core.models import Client, Generation, User

DEMO_CLIENT = "Northwind Coffee"
DEMO_CAMPAIGN = "Autumn Blend Launch"
SHOTS = (
    ("image", "steaming cup of coffee on a wooden table, morning light", {"aspect_ratio": "16:9"}),
    ("image", "coffee beans pouring into a grinder, close-up", {"aspect_ratio": "1:1"}),
    ("image", "barista handing a cup to a smiling customer", {"aspect_ratio": "9:16"}),
    ("video", "slow push-in on a latte with leaf art", {"duration": 4, "resolution": "480p"}),
    ("audio", "calm acoustic morning 80 BPM", {"duration": 12}),
)


def is_empty(*, session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Client)).one() == 0


def load_demo(*, session: Session, actor: User) -> list[Generation]:
    """Only on an empty database, so a demo never mixes into real work.

    Returns every row it queued, start images of text -> video shots included, so a count of
    them is what the campaign table and the Gallery show."""
    require(actor, "generate")
    require(actor, "client.manage")
    if not is_empty(session=session):
        raise Conflict("Demo data loads only into an empty database; it already has clients.")
    client = clients.create_client(
        session=session, actor=actor, name=DEMO_CLIENT,
        guidelines="Warm, crafted, unhurried. Natural light, real people.",
        palette="#6F4E37,#C8A27A,#F3E9DC,#2E4A3F", negative_prompt="no plastic cups",
    )  # fmt: skip
    campaign = campaigns.create_campaign(
        session=session, actor=actor, client_id=client.id, name=DEMO_CAMPAIGN,
        objective="Launch the autumn blend to returning customers.", budget_usd=25.0,
    )  # fmt: skip
    session.commit()
    rows: list[Generation] = []
    for kind, prompt, params in SHOTS:
        req = gen.Request(kind, prompt, params=dict(params))
        # Not gen.submit: it returns only the last row, and a video also makes its start image.
        planned = gen.plan(session=session, actor=actor, campaign_id=campaign.id, req=req)
        gen.save_and_enqueue(session, planned)
        rows += planned
    rows += gen.submit_chain(
        session=session, actor=actor, campaign_id=campaign.id,
        prompt="upbeat 118 BPM autumn leaves falling around a coffee shop",
        params={"duration": 4, "video.resolution": "480p", "image.aspect_ratio": "16:9"},
    )  # fmt: skip
    return rows
