"""The server: Streamlit's app plus the embedded job worker started and stopped with it.

`streamlit run serve.py` finds `app` here. The worker must not start from a script thread
(huey installs signal handlers), so it lives in the server's lifespan. Replicate's webhooks arrive
on the same server (POST /webhooks/replicate); Streamlit's media and upload endpoints answer only
a signed-in browser (core.accounts.http_guard), and uploads wait on disk, not in memory
(ui.upload_spool).
"""

import gc
import importlib
import logging
import pkgutil
import threading
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

import core
from core import server
from core.accounts.http_guard import SignedInOnly
from core.jobs.webhook_server import ROUTES
from core.sharing.routes import ROUTES as SHARE_ROUTES
from ui import upload_spool


@asynccontextmanager
async def lifespan(_app):
    from streamlit.runtime import Runtime

    global _spool
    _spool = upload_spool.install(Runtime.instance().uploaded_file_mgr)  # before any browser
    consumer = server.start()
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    try:
        yield
    finally:
        server.stop(consumer)


# The heavy libraries screens import (Costs' charts and tables), beside all of `core`.
WARM_IMPORTS = ("pandas", "pandas.io.formats.style", "altair", "pyarrow")
NOT_WARMED = ("core.__main__", "core.cli")  # the command line: __main__ would run it


def warm_up() -> None:
    """Import what the screens will need, in the background at start, then freeze every object
    made so far out of the garbage collector's sight.

    Streamlit collects garbage after every script run and fragment refresh: a full collection
    walked the ~250,000 objects the imports leave, 0.2-0.4 s of every page switch and sign-in on
    2 vCPUs (bench/bench_page_speed.py). Frozen, they are skipped; the run's own garbage is still
    collected. The first visit of a screen no longer pays its imports (pandas and altair cost
    Costs ~0.6 s). `ui` and `app_pages` are left to the first run that needs them: a custom
    component declared outside a script run is never registered, and `core` has none."""
    for name in WARM_IMPORTS:
        _import(name)
    packages = [core]
    while packages:  # not pkgutil.walk_packages: it imports every package, the CLI's too
        package = packages.pop()
        for found in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            if found.name not in NOT_WARMED and (module := _import(found.name)):
                packages += [module] if found.ispkg else []
    gc.collect()
    gc.freeze()


def _import(name: str):
    try:
        return importlib.import_module(name)
    except Exception:  # the screen that needs it will show the error
        logging.getLogger(__name__).warning("warm-up: %s failed to import", name, exc_info=True)
        return None


_spool: upload_spool.SpooledUploads | None = None


def held_upload_bytes(session_id: str) -> int:
    """What one browser session's picked files take in the spool (none before it exists: no
    upload arrives before the lifespan has installed it)."""
    return _spool.held_bytes(session_id) if _spool is not None else 0


guard = Middleware(SignedInOnly, held_bytes=held_upload_bytes)
# Share links (/share/...) open without an account: the guard leaves them to their own token.
app = st.App("app.py", lifespan=lifespan, routes=[*ROUTES, *SHARE_ROUTES], middleware=[guard])
