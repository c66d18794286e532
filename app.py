"""The shell: login gate, navigation by role, the shared sidebar. Screens live in app_pages/."""

import streamlit as st

from ui import context, login, nav

st.set_page_config(page_title="Campaign Studio", page_icon="🎬", layout="wide")

user = login.signed_in_user()
if user is None:
    login.sign_in_page(go_on=nav.signed_out())
page = nav.navigation(user)
context.sidebar(user)
with st.sidebar:
    st.caption(f"Signed in as **{user.name or user.username}** · {user.role}")
login.logout_button(st.sidebar)
page.run()
