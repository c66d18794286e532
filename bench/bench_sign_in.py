"""Sign-in answer times: a wrong password for a real account against an unknown name and a
deactivated account, at the production bcrypt cost (12). They should be the same, so the time
does not tell which names exist.

Run: .venv/bin/python bench/bench_sign_in.py [TRIES]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TRIES = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def main() -> None:
    os.environ["STUDIO_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-sign-in-")
    os.environ.pop("STUDIO_BCRYPT_ROUNDS", None)  # the production cost
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from core.accounts import sign_in, users
    from core.db import session_scope

    with session_scope() as session:
        admin = users.create_user(session=session, actor=None, username="ada", role="admin",
                                  password="sea-glass-lantern-42")  # fmt: skip
        gone = users.create_user(session=session, actor=admin, username="gone", role="viewer",
                                 password="sea-glass-lantern-43")  # fmt: skip
        users.set_active(session=session, actor=admin, user_id=gone.id, active=False)
        session.commit()
    cases = {"real account, wrong password": "ada", "unknown name": "nobody",
             "deactivated account": "gone"}  # fmt: skip
    print(f"sign-in answer, {TRIES} tries each (median / p90 ms), bcrypt cost 12")
    for label, username in cases.items():
        times = []
        for n in range(TRIES):
            with session_scope() as session:
                # A fresh client each time and failures forgotten: time the check, not the wait.
                session.execute(sign_in.sa.delete(sign_in.SignInFailure))
                started = time.perf_counter()
                sign_in.sign_in(session=session, username=username, password="wrong-guess-1",
                                client=f"bench-{n}")  # fmt: skip
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        print(f"  {label:30s} {statistics.median(times):7.1f} / {p90:7.1f}")


if __name__ == "__main__":
    main()
