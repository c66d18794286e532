"""Client and campaign pickers: what people are told when there is nothing to pick yet."""

from __future__ import annotations


def test_a_reviewer_with_no_clients_yet_is_not_sent_to_a_page_they_cannot_open(screen, people):
    at = screen("storyboards", people["reviewer"]).run()
    assert [i.value for i in at.info] == ["No clients yet: a creative or an admin adds them."]
    creative = screen("storyboards", people["creative"]).run()
    assert [i.value for i in creative.info] == [
        "No clients yet: add one on **Clients & campaigns**."
    ]
