"""Share links: a final ad or a storyboard shown to a guest without an account, on a page the
app's own server serves (not a Streamlit session), with the guest's views and decisions kept
for the team.

`links` makes, lists and revokes them (the team's side); `targets` says what a link plays;
`guest` is what a token opens and what a guest may do there; `tokens` signs and checks them;
`page` draws the guest's HTML and `routes` serves it (`serve.py` adds them to the app's server).
"""
