"""The server: Streamlit's app plus the embedded job worker started and stopped with it.

`streamlit run serve.py` finds `app` here. The worker must not start from a script thread
(huey installs signal handlers), so it lives in the server's lifespan. Replicate's webhooks arrive
on the same server (POST /webhooks/replicate).
"""

from contextlib import asynccontextmanager

import streamlit as st

from core import server
from core.jobs.webhook_server import ROUTES


@asynccontextmanager
async def lifespan(_app):
    consumer = server.start()
    try:
        yield
    finally:
        server.stop(consumer)


app = st.App("app.py", lifespan=lifespan, routes=ROUTES)
