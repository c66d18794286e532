"""A prompt box that keeps what is pasted and names its limit, and the brand rules added to it.

The box has no `max_chars`: with one, the browser refuses a paste past the limit and leaves the
box as it was, with no word. Here the text stays and a message says by how much to shorten it.

What the model receives is shown as the rules added after the prompt, not as the merged text:
a text area reaches the server only when it loses focus (Streamlit 1.67 has no per-keystroke
value), so a merged text would lag behind the typing, while the rules do not depend on it.
"""

from __future__ import annotations

import streamlit as st

from core import catalog
from core.campaigns.brand import brand_rules
from core.models import Campaign, Client

LIMIT = catalog.MAX_PROMPT_CHARS
NO_RULES = {
    "visual": "{client} has no visual brand rules yet: add guidelines, a palette or what to "
    "avoid on **Clients & campaigns**.",
    "audio": "{client} has no sound direction yet: add one on **Clients & campaigns** to steer "
    "its music.",
}


def prompt_box(key: str, label: str = "Prompt", *, placeholder: str = "") -> tuple[str, bool]:
    """The prompt, and whether it is over the limit (then a message says so and by how much)."""
    prompt = st.text_area(label, key=key, placeholder=placeholder)
    over = len(prompt) - LIMIT
    if over > 0:
        st.error(f"This prompt is {len(prompt):,} characters; the limit is {LIMIT:,}. Shorten "
                 f"it by {over:,} characters, then generate.", icon="✂️")  # fmt: skip
    else:
        st.caption(f"Up to {LIMIT:,} characters.")
    return prompt, over > 0


def brand_block(prefix: str, client: Client, campaign: Campaign, prompts: dict[str, str]) -> bool:
    """The brand toggle and the rules added after each prompt; `prompts` maps a kind to how its
    prompt is called ("your prompt", "the music prompt"). Returns the toggle."""
    # The default goes through `value=` only: a default put in session state reaches a browser
    # only on the run that set it, so a browser drawing the toggle later showed it OFF while on.
    apply = st.toggle("Apply brand rules", value=True, key=f"{prefix}_brand",
                      help="Visual rules go to images and videos, the sound direction to "
                      "music.")  # fmt: skip
    if not apply:
        st.caption("Brand rules are off: the model receives your prompt exactly as typed.")
        return apply
    for kind, name in prompts.items():
        rules = brand_rules(client=client, campaign=campaign, kind=kind)
        if not rules.sentences:
            group = "audio" if kind == "audio" else "visual"
            st.caption(NO_RULES[group].format(client=client.name))
            continue
        st.caption(f"Added after {name}:")
        st.code(rules.text, language=None, wrap_lines=True)
    return apply
