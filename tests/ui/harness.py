"""Runs one screen for AppTest as app.py would after sign-in (user id put in session state)."""

import importlib

import streamlit as st

importlib.import_module(f"app_pages.{st.session_state['harness_screen']}").render()
