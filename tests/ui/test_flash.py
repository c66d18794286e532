"""Success messages: shown once after a change, without moving what follows on the page."""

from __future__ import annotations

NEW = "users_new_0"


def _place_of(at, label: str) -> int:
    """Where the expander sits among the page's elements: the browser keys its open state so."""
    [index] = [i for i, node in at.main.children.items()
               if getattr(node, "label", None) == label and node.type == "expander"]  # fmt: skip
    return index


def test_the_add_form_keeps_its_place_when_the_success_message_goes(screen, people):
    at = screen("users", people["admin"]).run()
    at.text_input(key=f"{NEW}_username").input("Nina")
    at.text_input(key=f"{NEW}_password").input("a-long-password")
    at.button(key=f"{NEW}_submit").click().run()
    with_message = _place_of(at, "Add a user")
    assert at.success
    at.run()  # typing in the form next: the message is gone
    assert not at.success
    assert _place_of(at, "Add a user") == with_message  # so it stays open in the browser
