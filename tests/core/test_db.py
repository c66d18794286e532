"""The migrations build exactly the schema the models describe, and run twice harmlessly, on
SQLite and on PostgreSQL; PostgreSQL answers prompt search from a trigram index."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import core.models  # noqa: F401  (registers every table)
from core.db import make_engine, migrate
from tests.utils import databases

# Made by SQL in a migration, not by a model: the prompt search's FTS5 tables (SQLite) and
# trigram index (PostgreSQL).
NOT_MODELLED_INDEX = "ix_generation_prompt_trgm"


def _modelled(name, type_, _parent_names) -> bool:
    if type_ == "index" and name == NOT_MODELLED_INDEX:
        return False
    return not (type_ == "table" and name.startswith("generation_fts"))


def test_migrations_match_the_models_and_are_idempotent(test_database, tmp_path):
    with databases.fresh(test_database, tmp_path, "schema") as url:
        engine = make_engine(url)
        migrate(engine)
        migrate(engine)  # a second start-up changes nothing
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": _modelled})
            differences = compare_metadata(context, SQLModel.metadata)
        engine.dispose()
    assert differences == []


def test_prompt_search_is_answered_from_an_index(session, people, campaign):
    """`ILIKE '%text%'` (the gallery's search) can use the trigram index on PostgreSQL; SQLite
    has the FTS5 trigram table instead."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        tables = conn.execute(sa.text("SELECT name FROM sqlite_master")).scalars().all()
        assert "generation_fts" in tables
        return
    conn.execute(sa.text("SET LOCAL enable_seqscan = off"))  # a tiny table: ask for the index
    query = "EXPLAIN SELECT id FROM generation WHERE prompt ILIKE '%surfer%'"
    plan = conn.execute(sa.text(query)).scalars().all()
    assert any(NOT_MODELLED_INDEX in line for line in plan), plan


def test_stepping_back_before_review_threads_keeps_decisions_and_drops_replies(
    test_database, tmp_path
):
    """Code from before replies (revision 0018) would list a reply as a decision: stepping the
    schema back removes the replies, keeps the decisions, and forward again works."""
    from alembic import command
    from sqlmodel import Session

    from core.db import alembic_config
    from core.models import Campaign, Client, Review, Storyboard, User

    with databases.fresh(test_database, tmp_path, "steps") as url:
        engine = make_engine(url)
        migrate(engine)
        with Session(engine) as session:
            rita = User(username="rita", role="reviewer", password_hash="x")
            client = Client(name="Acme")
            session.add_all([rita, client])
            session.flush()
            campaign = Campaign(client_id=client.id, name="Spring")
            session.add(campaign)
            session.flush()
            board = Storyboard(campaign_id=campaign.id, title="Tiny")
            session.add(board)
            session.flush()
            decision = Review(storyboard_id=board.id, version=1, reviewer_id=rita.id,
                              decision="request_changes", comment="Warmer")  # fmt: skip
            session.add(decision)
            session.flush()
            session.add(Review(storyboard_id=board.id, version=1, reviewer_id=rita.id,
                               decision="reply", comment="Done", reply_to=decision.id))  # fmt: skip
            session.commit()
        engine.dispose()
        command.downgrade(alembic_config(url), "0018")
        engine = make_engine(url)
        with engine.connect() as conn:
            kept = conn.execute(sa.text("SELECT decision FROM review")).scalars().all()
        engine.dispose()
        assert kept == ["request_changes"]
        command.upgrade(alembic_config(url), "head")
