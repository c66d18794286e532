"""Which screens exist, where they sit in the navigation, and who may open each."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import streamlit as st

from core.accounts import auth
from core.models import User


@dataclass(frozen=True)
class Screen:
    module: str  # app_pages.<module> exposes render()
    title: str
    icon: str
    section: str
    permission: str

    @property
    def url_path(self) -> str:
        return self.module.replace("_", "-")


SCREENS: tuple[Screen, ...] = (
    Screen("studio", "Studio", ":material/movie_edit:", "Create", "generate"),
    Screen("briefs", "Briefs", ":material/description:", "Create", "storyboard.edit"),
    Screen("storyboards", "Storyboards", ":material/view_carousel:", "Create", "work.view"),
    Screen("gallery", "Gallery", ":material/photo_library:", "Library", "read"),
    Screen("showcase", "Showcase", ":material/star:", "Library", "showcase.view"),
    Screen("assets", "Assets", ":material/upload_file:", "Library", "asset.manage"),
    Screen("review", "Review queue", ":material/rate_review:", "Review", "review"),
    Screen("jobs", "Jobs", ":material/pending_actions:", "Operate", "work.view"),
    Screen("costs", "Costs", ":material/payments:", "Operate", "costs.view"),
    Screen("clients", "Clients & campaigns", ":material/business:", "Manage", "client.manage"),
    Screen("users", "Users", ":material/group:", "Manage", "user.manage"),
)


def screens_for(user: User) -> dict[str, list[Screen]]:
    """Sections in order, each with the screens this user's role may open."""
    sections: dict[str, list[Screen]] = {}
    for screen in SCREENS:
        if auth.can(user, screen.permission):
            sections.setdefault(screen.section, []).append(screen)
    return sections


def _runner(screen: Screen):
    def run() -> None:
        importlib.import_module(f"app_pages.{screen.module}").render()

    run.__name__ = screen.module
    return run


def _page(screen: Screen) -> st.Page:
    return st.Page(_runner(screen), title=screen.title, icon=screen.icon, url_path=screen.url_path)


def page(module: str) -> st.Page:
    """The screen of app_pages.<module> as a Page to link to (Streamlit matches it by url_path)."""
    return _page(next(s for s in SCREENS if s.module == module))


def navigation(user: User):
    """st.navigation over the screens this user may open; the first is the landing page."""
    pages = {section: [_page(s) for s in screens] for section, screens in screens_for(user).items()}
    return st.navigation(pages)
