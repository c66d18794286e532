"""Runs one screen for AppTest as app.py would after sign-in (user id put in session state):
the sidebar's working context first, then the screen."""

import importlib

import streamlit as st

from ui import context
from ui.session import current_user

user = current_user()
if user is not None:
    context.sidebar(user)
importlib.import_module(f"app_pages.{st.session_state['harness_screen']}").render()
