"""Share links from the team's side: who may make one, what it points at, how long it lasts,
that only its hash is kept, and what guests did on it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from core.config import reset_settings
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.generation import service as gen
from core.models import Generation, ShareLink, utcnow
from core.sharing import guest, links, targets
from tests.core.sharing.ads import render, stored_ad
from tests.utils.factories import TINY_FIELDS


def _token(url: str) -> str:
    return url.rsplit("/share/", 1)[1]


def test_a_link_starts_with_the_public_url_and_lasts_seven_days(session, people, ad, monkeypatch):
    monkeypatch.setenv("STUDIO_PUBLIC_URL", "https://studio.example.com/")
    reset_settings()
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    assert made.url.startswith("https://studio.example.com/share/")
    assert abs(made.link.expires_at - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)
    assert (made.link.target_kind, made.link.created_by) == ("final_ad", people["creative"].id)
    shorter = links.create_link(session=session, actor=people["admin"], target_id=ad.id, days=1)
    assert abs(shorter.link.expires_at - (utcnow() + timedelta(days=1))) < timedelta(minutes=1)


def test_the_database_keeps_the_tokens_hash_not_the_link(session, people, ad):
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    session.commit()
    raw, _, signature = _token(made.url).partition(".")
    stored = session.exec(select(ShareLink)).one()
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert not any(raw in str(v) or signature in str(v) for v in stored.model_dump().values())
    # Every link is its own: two links to one ad share nothing guessable.
    other = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    assert _token(other.url) != _token(made.url)


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_only_creatives_and_admins_share(session, people, ad, role):
    with pytest.raises(PermissionDenied, match=f"Your role \\({role}\\) cannot share links"):
        links.create_link(session=session, actor=people[role], target_id=ad.id)


def test_a_link_lasts_one_to_ninety_days(session, people, ad):
    for days in (0, 91):
        with pytest.raises(ValidationError, match="a link lasts 1 to 90 days"):
            links.create_link(session=session, actor=people["creative"], target_id=ad.id, days=days)


def test_only_a_finished_ad_or_a_storyboard_with_one_can_be_shared(
    session, people, campaign, board
):
    with pytest.raises(NotFound, match="No final ad or storyboard with id gen_nope"):
        links.create_link(session=session, actor=people["creative"], target_id="gen_nope")
    with pytest.raises(Conflict, match="no animatic or finished ad to show yet"):
        links.create_link(session=session, actor=people["creative"], target_id=board.id)
    ad = render(session, people["creative"], board)
    clip = session.get(Generation, ad.params["clips"][0])
    with pytest.raises(NotFound):  # a clip is a step of the ad, not something to show a client
        links.create_link(session=session, actor=people["creative"], target_id=clip.id)
    made = links.create_link(session=session, actor=people["creative"], target_id=board.id)
    assert made.link.target_kind == "storyboard"


def test_a_guest_sees_the_ads_names_and_the_briefs_line(session, people, ad):
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    opened = guest.open_link(session, _token(made.url))
    assert opened.state == "active" and opened.shown is not None
    shown = opened.shown
    assert (shown.client, shown.campaign) == ("Acme Drinks", "Spring Launch")
    assert shown.title == TINY_FIELDS["title"]
    assert shown.summary == TINY_FIELDS["objective"]
    assert shown.video is not None and shown.video.id == ad.id


def test_an_altered_token_opens_nothing(session, people, ad):
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    token = _token(made.url)
    raw, _, signature = token.partition(".")
    flipped = "A" if raw[0] != "A" else "B"
    for altered in (flipped + token[1:], f"{raw}.{signature[:-1]}x", raw, token + "x", ""):
        assert guest.open_link(session, altered).state == "unknown"


def test_an_expired_and_a_revoked_link_show_nothing(session, people, ad):
    expired = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    expired.link.expires_at = utcnow() - timedelta(seconds=1)
    revoked = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    # Another creative may close a colleague's link: revoking only takes access away.
    closed = links.revoke_link(session=session, actor=people["admin"], link_id=revoked.link.id)
    assert closed.revoked_by == people["admin"].id
    again = links.revoke_link(session=session, actor=people["creative"], link_id=revoked.link.id)
    assert again.revoked_by == people["admin"].id  # the first revocation stands
    for made, state in ((expired, "expired"), (revoked, "revoked")):
        opened = guest.open_link(session, _token(made.url))
        assert (opened.state, opened.shown) == (state, None)


def test_a_link_to_a_deleted_ad_is_gone(session, people, ad):
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    session.commit()
    gen.delete(session=session, actor=people["creative"], generation_id=ad.id)
    opened = guest.open_link(session, _token(made.url))
    assert (opened.state, opened.shown) == ("gone", None)


def test_a_storyboards_link_plays_its_newest_cut_animatic_or_final_ad(
    session, people, campaign, board, ad, ad_file
):
    made = links.create_link(session=session, actor=people["creative"], target_id=board.id)
    assert guest.open_link(session, _token(made.url)).shown.video.id == ad.id
    # An animatic: a composite made for the board and marked so. Older than the ad, it is not
    # what the board has come to; made after it (the board worked on again), it is.
    animatic = stored_ad(session, people["creative"], campaign, board, ad_file, animatic=True)
    animatic.created_at = ad.created_at - timedelta(hours=1)
    session.commit()
    assert guest.open_link(session, _token(made.url)).shown.video.id == ad.id
    animatic.created_at = ad.created_at + timedelta(hours=1)
    session.commit()
    assert guest.open_link(session, _token(made.url)).shown.video.id == animatic.id
    assert targets.video_of(session, "final_ad", ad.id).id == ad.id  # a final ad's stays itself


def test_the_team_sees_views_and_decisions_per_link(session, people, ad):
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    other = links.create_link(session=session, actor=people["admin"], target_id=ad.id)
    link = made.link
    assert guest.record_view(session, link, "guest-a") is True
    assert guest.record_view(session, link, "guest-a") is False  # a reload: the same view
    assert guest.record_view(session, link, "guest-b") is True
    guest.respond(session, link, "guest-a", name="  Dana   Client ", decision="approve", comment="")
    guest.respond(session, link, "guest-b", name="Sam", decision="changes",
                  comment="Make the logo bigger.")  # fmt: skip
    guest.respond(session, link, "guest-b", name="Sam", decision="comment", comment="Love it.")
    listed = links.list_links(session=session, actor=people["reviewer"], target_id=ad.id)
    assert [s.link.id for s in listed] == [other.link.id, link.id]
    mine = listed[1]
    assert (mine.state, mine.views, mine.created_by) == ("active", 2, "cleo")
    assert [(e.kind, e.guest_name, e.decision, e.comment) for e in mine.responses] == [
        ("comment", "Sam", None, "Love it."),
        ("decision", "Sam", "changes", "Make the logo bigger."),
        ("decision", "Dana Client", "approve", ""),
    ]
    assert listed[0].views == 0 and listed[0].responses == []
    every = links.events(session=session, actor=people["creative"], link_id=link.id)
    assert [e.kind for e in every] == ["view", "view", "decision", "decision", "comment"]
    with pytest.raises(PermissionDenied):
        links.list_links(session=session, actor=people["viewer"], target_id=ad.id)


@pytest.mark.parametrize(
    ("name", "decision", "comment", "message"),
    [
        ("", "approve", "", "Give your name"),
        ("x" * 81, "approve", "", "longer than 80 characters"),
        ("Sam", "changes", " ", "Say what you would change"),
        ("Sam", "comment", "", "Say what you would change"),
        ("Sam", "approve", "y" * 2001, "longer than 2000 characters"),
        ("Sam", "delete", "", "Choose Approve, Request changes or Send comment"),
    ],
)
def test_a_guests_answer_needs_a_name_and_a_reason_for_changes(
    session, people, ad, name, decision, comment, message
):
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    with pytest.raises(ValidationError, match=message):
        guest.respond(session, made.link, "g", name=name, decision=decision, comment=comment)


def test_one_guest_cannot_flood_a_link(session, people, ad):
    made = links.create_link(session=session, actor=people["creative"], target_id=ad.id)
    for _ in range(guest.PER_GUEST):
        guest.respond(session, made.link, "flooder", name="Bot", decision="approve", comment="")
    with pytest.raises(guest.TooMany, match="wait a few minutes"):
        guest.respond(session, made.link, "flooder", name="Bot", decision="approve", comment="")
    guest.respond(session, made.link, "someone-else", name="Dana", decision="approve", comment="")
