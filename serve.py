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

    upload_spool.install(Runtime.instance().uploaded_file_mgr)  # before any browser connects
    consumer = server.start()
    try:
        yield
    finally:
        server.stop(consumer)


def held_upload_bytes(session_id: str) -> int:
    """What one browser session's uploads take in Streamlit's upload manager (spooled)."""
    from streamlit.runtime import Runtime

    files = getattr(Runtime.instance().uploaded_file_mgr, "file_storage", {}).get(session_id, {})
    return sum(len(record.data) for record in list(files.values()))


guard = Middleware(SignedInOnly, held_bytes=held_upload_bytes)
app = st.App("app.py", lifespan=lifespan, routes=ROUTES, middleware=[guard])
