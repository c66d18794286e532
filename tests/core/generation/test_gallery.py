"""Gallery filters, paging and prompt search (trigram index and LIKE paths)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from core.generation import gallery
from core.generation.gallery import GalleryFilter
from core.models import Generation
from tests.utils.factories import add_generation_rows, generation_row


@pytest.fixture
def rows(session, people, campaign):
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    made = []
    for i in range(30):
        kind = ("image", "video", "audio")[i % 3]
        made.append(generation_row(
            campaign, people["admin"], kind, f"local/draft-{kind}", id=f"gen_{i:04d}",
            prompt=f"shot {i} " + ("Lighthouse at dusk" if i % 10 == 0 else "city street"),
            status="failed" if i % 5 == 0 else "succeeded", created_at=start + timedelta(i),
        ))  # fmt: skip
    return add_generation_rows(session, made)


def _ids(session, actor, **filters):
    page = gallery.search(session=session, actor=actor, filters=GalleryFilter(**filters))
    return [g.id for g in page.items]


def test_newest_first_and_paged(session, people, rows):
    viewer = people["viewer"]
    first = gallery.search(session=session, actor=viewer, filters=GalleryFilter(), per_page=12)
    assert [g.id for g in first.items][:3] == ["gen_0029", "gen_0028", "gen_0027"]
    assert first.has_next
    last = gallery.search(
        session=session, actor=viewer, filters=GalleryFilter(), page=3, per_page=12
    )
    assert len(last.items) == 6 and not last.has_next


def test_filters_combine(session, people, rows):
    viewer = people["viewer"]
    assert _ids(session, viewer, kind="image", status="failed") == ["gen_0015", "gen_0000"]
    assert _ids(session, viewer, model="local/draft-audio")[:2] == ["gen_0029", "gen_0026"]
    span = _ids(session, viewer, since=date(2026, 3, 5), until=date(2026, 3, 6))
    assert span == ["gen_0005", "gen_0004"]
    assert gallery.count(session=session, actor=viewer, filters=GalleryFilter(kind="video")) == 10


@pytest.mark.parametrize("text", ["lighthouse", "LIGHTHOUSE", "house at", "at d"])
def test_prompt_search_is_case_insensitive_substring(session, people, rows, text):
    assert _ids(session, people["viewer"], text=text) == ["gen_0020", "gen_0010", "gen_0000"]


def test_prompt_search_treats_wildcards_literally_and_follows_deletes(session, people, rows):
    viewer = people["viewer"]
    assert _ids(session, viewer, text="100%") == []
    assert _ids(session, viewer, text="_") == []
    session.execute(sa.delete(Generation).where(Generation.id == "gen_0020"))
    session.execute(
        sa.update(Generation).where(Generation.id == "gen_0001").values(prompt="a lighthouse")
    )
    session.commit()
    assert _ids(session, viewer, text="lighthouse") == ["gen_0010", "gen_0001", "gen_0000"]
