"""Navigation shows each role only the screens it may use; every screen guards itself too."""

from __future__ import annotations

import pytest

from ui.nav import SCREENS, screens_for


def _titles(user) -> set[str]:
    return {s.title for screens in screens_for(user).values() for s in screens}


def test_each_role_sees_only_its_screens(people):
    everything = {s.title for s in SCREENS}
    assert _titles(people["admin"]) == everything
    assert _titles(people["creative"]) == everything - {"Review queue", "Users"}
    assert _titles(people["reviewer"]) == {
        "Storyboards", "Gallery", "Showcase", "Review queue", "Jobs", "Costs",
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
