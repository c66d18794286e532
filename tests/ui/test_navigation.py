"""Navigation shows each role only the screens it may use, with what awaits them counted, and
lands each on its own home; a screen outside the role, opened by its URL, says so (and every
screen guards itself too)."""

from __future__ import annotations

import pytest
from streamlit.util import calc_hash

from core.accounts import auth
from core.storyboards import reviews
from tests.utils.factories import TINY_FIELDS, make_storyboard
from ui.nav import SCREENS, screens_for


def _titles(user) -> set[str]:
    return {s.title for screens in screens_for(user).values() for s in screens}


def test_each_role_sees_only_its_screens(people):
    everything = {s.title for s in SCREENS}
    assert _titles(people["admin"]) == everything
    assert _titles(people["creative"]) == everything - {"Review queue", "Users"}
    assert _titles(people["reviewer"]) == {
        "Storyboards", "Gallery", "Showcase", "Review queue", "Inbox", "Jobs", "Costs",
    }  # fmt: skip
    assert _titles(people["viewer"]) == {"Gallery", "Showcase"}


def test_sections_keep_the_design_order(people):
    assert list(screens_for(people["admin"])) == [
        "Create",
        "Library",
        "Review",
        "Operate",
        "Manage",
    ]


def test_url_paths_are_unique_and_readable():
    paths = [s.url_path for s in SCREENS]
    assert len(set(paths)) == len(paths)
    assert all(p.replace("-", "").isalpha() for p in paths)


# Gallery and Showcase are open to every role: nothing to refuse there.
GUARDED = [s for s in SCREENS if s.permission not in ("read", "showcase.view")]


@pytest.mark.parametrize("screen_def", GUARDED, ids=lambda s: s.module)
def test_a_screen_opened_without_the_right_role_says_so_and_shows_nothing_else(
    screen, people, screen_def
):
    outsider = next(
        p for p in (people["viewer"], people["reviewer"], people["creative"])
        if screen_def.title not in _titles(p)
    )  # fmt: skip
    at = screen(screen_def.module, outsider).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Your role ({outsider.role}) cannot {_action(screen_def.permission)}."
    ]
    assert not at.button and not at.text_input and not at.file_uploader


def _action(permission: str) -> str:
    from core.accounts.auth import ACTIONS

    return ACTIONS[permission]


# --- Where each role lands, what the menu counts, and a page outside the role (the real app.py).


def opened_at(at, url_path: str):
    """`at` as a browser tab on /<url_path>: AppTest asks for a page by its hash (of the
    url_path) on every run, as the browser does once the app has answered."""
    at._page_hash = calc_hash(url_path)  # AppTest's switch_page only takes page files
    return at


def menu_titles(at) -> list[str]:
    """The titles the last run gave st.navigation (AppTest keeps its registry, not the menu)."""
    return [info["page_name"] for info in at._registered_pages.values()]


HOMES = {"admin": "Studio", "creative": "Studio", "reviewer": "Review queue",
         "viewer": "Showcase"}  # fmt: skip


@pytest.mark.parametrize("role", HOMES)
def test_each_role_lands_on_its_home(shell, people, role):
    at = shell(people[role]).run()
    assert not at.exception
    assert [t.value for t in at.main.title] == [HOMES[role]]


def _submit(session, people, campaign, title: str):
    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS, title=title)
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    return board


def test_the_review_queue_counts_what_awaits_this_reviewer(shell, people, campaign, session):
    at = shell(people["reviewer"]).run()
    assert "Review queue" in menu_titles(at)  # nothing waits: no "(0)"
    first = _submit(session, people, campaign, "One")
    for title in ("Two", "Three"):
        _submit(session, people, campaign, title)
    at.run()
    assert "Review queue (3)" in menu_titles(at)
    reviews.approve(session=session, actor=people["admin"], storyboard_id=first.id)
    session.commit()
    at.run()
    assert "Review queue (2)" in menu_titles(at)
    assert not [t for t in menu_titles(shell(people["creative"]).run()) if "(" in t]


def test_the_inbox_counts_what_came_back_to_a_creative(shell, people, campaign, session):
    at = shell(people["creative"]).run()
    assert "Inbox" in menu_titles(at)  # nothing waits: no "(0)"
    board = _submit(session, people, campaign, "One")
    reviews.request_changes(session=session, actor=people["reviewer"], storyboard_id=board.id,
                            comment="Warmer light in scene 2")  # fmt: skip
    session.commit()
    at.run()
    assert "Inbox (1)" in menu_titles(at)  # changes asked of them: until they act on it


OUTSIDE = [(role, s) for role in ("creative", "reviewer", "viewer") for s in SCREENS
           if role not in auth.PERMISSIONS[s.permission]]  # fmt: skip


@pytest.mark.parametrize(("role", "screen_def"), OUTSIDE, ids=lambda v: getattr(v, "module", v))
def test_a_page_outside_the_role_says_so_and_shows_nothing_of_it(shell, people, role, screen_def):
    at = opened_at(shell(people[role]), screen_def.url_path).run()
    assert not at.exception
    assert [e.value for e in at.main.error] == [
        f"{screen_def.title} is not available to your role ({role})."
    ]
    assert not at.main.title and not at.main.button and not at.main.text_input
    assert not at.main.selectbox and not at.main.file_uploader
    [way_home] = at.main.page_link
    assert way_home.label == f"Go to {HOMES[role]}"


@pytest.mark.parametrize("screen_def", SCREENS, ids=lambda s: s.module)
def test_an_admin_opens_every_screen_by_its_url(shell, people, screen_def):
    at = opened_at(shell(people["admin"]), screen_def.url_path).run()
    assert not at.exception and not at.main.error
    assert [t.value for t in at.main.title] == [screen_def.title]
