"""Demo data: what load_demo returns is every row it made, so a count of it is what people see."""

from __future__ import annotations

from sqlmodel import select

from core.generation import demo
from core.models import Generation


def test_load_demo_returns_every_row_it_queued_including_start_images(session, people):
    rows = demo.load_demo(session=session, actor=people["admin"])
    session.expire_all()
    made = session.exec(select(Generation)).all()
    assert sorted(r.id for r in rows) == sorted(g.id for g in made)
    assert len(made) == 9  # 5 shots, one a text -> video with its image; a 3-step chain
