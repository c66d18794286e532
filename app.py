"""The shell: settings, login gate, navigation by role. Screens live in app_pages/."""

import streamlit as st

st.set_page_config(page_title="Campaign Studio", page_icon="🎬", layout="wide")
st.title("Campaign Studio")
st.write("The dashboard arrives with the next issue; use `python -m core` meanwhile.")
