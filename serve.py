"""The server: Streamlit's app plus the embedded job worker started and stopped with it.

`streamlit run serve.py` finds `app` here. The worker must not start from a script thread
(huey installs signal handlers), so it lives in the server's lifespan. Replicate's webhooks arrive
on the same server (POST /webhooks/replicate); Streamlit's media and upload endpoints answer only
a signed-in browser (core.accounts.http_guard), and uploads wait on disk, not in memory
(ui.upload_spool).
"""

from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from core import server
from core.accounts.http_guard import SignedInOnly
from core.jobs.webhook_server import ROUTES
from ui import upload_spool


@asynccontextmanager
async def lifespan(_app):
    from streamlit.runtime import Runtime

    global _spool
    _spool = upload_spool.install(Runtime.instance().uploaded_file_mgr)  # before any browser
    consumer = server.start()
    try:
        yield
    finally:
        server.stop(consumer)


_spool: upload_spool.SpooledUploads | None = None


def held_upload_bytes(session_id: str) -> int:
    """What one browser session's picked files take in the spool (none before it exists: no
    upload arrives before the lifespan has installed it)."""
    return _spool.held_bytes(session_id) if _spool is not None else 0


guard = Middleware(SignedInOnly, held_bytes=held_upload_bytes)
app = st.App("app.py", lifespan=lifespan, routes=ROUTES, middleware=[guard])
