"""Four processes (app servers and workers) starting together on an empty database: every one
comes up, the schema is migrated once, and the first admin is created once."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import sqlalchemy as sa

from tests.utils import databases
from tests.utils.processes import child_env

STARTS = 4
START_UP = """
import sys, time
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))  # all at the same instant
from core.db import get_engine
from core.server import ensure_first_admin
get_engine()
print(ensure_first_admin() or "-")
"""


def test_four_processes_cold_start_on_an_empty_database(test_database, tmp_path, studio_env):
    with databases.fresh(test_database, tmp_path, "cold") as url:
        env = child_env()
        env.update(STUDIO_DATABASE_URL=url, STUDIO_ADMIN_USER="ada",
                   STUDIO_ADMIN_PASSWORD="sea-glass-lantern-42")  # fmt: skip
        at = time.time() + 3.0  # past every interpreter's start
        argv = [sys.executable, "-c", START_UP, str(at)]
        runs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(STARTS)]  # fmt: skip
        done = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0] * STARTS, [err for _, err in done]
        made = [out.strip() for out, _ in done]
        assert sorted(made) == ["-"] * (STARTS - 1) + ["ada"]  # one of them made the admin
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            users = conn.execute(sa.text('SELECT username FROM "user"')).scalars().all()
            head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        engine.dispose()
        assert users == ["ada"] and len(head) == 1


def test_migrate_brings_an_empty_database_to_the_current_schema(test_database, tmp_path):
    from alembic.script import ScriptDirectory

    from core.db import alembic_config

    with databases.fresh(test_database, tmp_path, "deploy") as url:
        env = {**child_env(), "STUDIO_DATABASE_URL": url}
        done = subprocess.run([sys.executable, "-m", "core", "migrate"], env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert json.loads(done.stdout) == {"revision": head}
