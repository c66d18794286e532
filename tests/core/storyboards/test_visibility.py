"""Work in progress is for the team: a viewer (a stakeholder's seat) sees approved storyboards
only, through every entry point of core, so the CLI and any page obey the same rule."""

from __future__ import annotations

import pytest

from core.errors import PermissionDenied
from core.storyboards import editing as sb
from core.storyboards import final_ad, frames, reviews
from tests.utils.factories import make_storyboard
from tests.utils.factories.briefs import SPRING_FIELDS

SCENES = {**SPRING_FIELDS, "duration_s": 6, "key_messages": ["Zero sugar."]}


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, SCENES)


READERS = {
    "storyboard": lambda s, a, i: sb.get_storyboard(session=s, actor=a, storyboard_id=i),
    "frames": lambda s, a, i: frames.frames_of(session=s, actor=a, storyboard_id=i),
    "review history": lambda s, a, i: reviews.history(session=s, actor=a, storyboard_id=i),
    "versions": lambda s, a, i: reviews.versions(session=s, actor=a, storyboard_id=i),
    "final ads": lambda s, a, i: final_ad.renders_of(session=s, actor=a, storyboard_id=i),
}


@pytest.mark.parametrize("what", READERS)
def test_a_viewer_cannot_read_a_draft_storyboard(session, people, board, what):
    with pytest.raises(PermissionDenied, match="approved storyboards only"):
        READERS[what](session, people["viewer"], board.id)
    READERS[what](session, people["reviewer"], board.id)  # the team still can


def test_a_viewer_lists_and_reads_approved_storyboards_only(session, people, board, campaign):
    draft = make_storyboard(session, people["creative"], campaign, SCENES)
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    session.commit()
    listed = sb.list_storyboards(session=session, actor=people["viewer"], campaign_id=campaign.id)
    assert [b.id for b in listed] == [board.id]
    assert sb.get_storyboard(session=session, actor=people["viewer"], storyboard_id=board.id)
    team = sb.list_storyboards(session=session, actor=people["creative"], campaign_id=campaign.id)
    assert {b.id for b in team} == {board.id, draft.id}
