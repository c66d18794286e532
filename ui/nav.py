"""Which screens exist, where they sit in the navigation, who may open each, and where each role
lands.

Streamlit (1.67) opens the page a URL names (`/showcase`) only if that run registers it with
st.navigation, and says "Page not found" otherwise. So every run registers every screen: the
ones a role may not open hidden, refusing; and, signed out, all of them hidden (`signed_out`),
which makes the page the link named the one `st.rerun` opens after sign-in (a rerun keeps the
run's page and query parameters).

Streamlit serves the default page at `/` only: its own URL path then says "Page not found". So
the default is a hidden landing that switches to the role's home, and every screen keeps one URL
whoever opens it: a link copied from the address bar lands on the same page for everyone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NoReturn

import streamlit as st

from core.accounts import auth
from core.models import Role, User
from core.storyboards import inbox, reviews
from ui.session import db


def _awaiting_review(user: User) -> int:
    with db() as session:
        return reviews.awaiting_count(session=session, actor=user)


def _inbox_waiting(user: User) -> int:
    with db() as session:
        return inbox.counts(session=session, actor=user)


@dataclass(frozen=True)
class Screen:
    module: str  # app_pages.<module> exposes render()
    title: str
    icon: str
    section: str
    permission: str
    # What waits for the user there, counted for the navigation's title ("Review queue (3)");
    # it runs on every run of the app, so one cheap query.
    count: Callable[[User], int] | None = None

    @property
    def url_path(self) -> str:
        return self.module.replace("_", "-")

    def label(self, user: User) -> str:
        waiting = self.count(user) if self.count is not None else 0
        return f"{self.title} ({waiting})" if waiting else self.title


SCREENS: tuple[Screen, ...] = (
    Screen("studio", "Studio", ":material/movie_edit:", "Create", "generate"),
    Screen("briefs", "Briefs", ":material/description:", "Create", "storyboard.edit"),
    Screen("storyboards", "Storyboards", ":material/view_carousel:", "Create", "work.view"),
    Screen("gallery", "Gallery", ":material/photo_library:", "Library", "read"),
    Screen("showcase", "Showcase", ":material/star:", "Library", "showcase.view"),
    Screen("assets", "Assets", ":material/upload_file:", "Library", "asset.manage"),
    Screen(
        "review", "Review queue", ":material/rate_review:", "Review", "review", _awaiting_review
    ),
    Screen("inbox", "Inbox", ":material/inbox:", "Review", "work.view", _inbox_waiting),
    Screen("jobs", "Jobs", ":material/pending_actions:", "Operate", "work.view"),
    Screen("costs", "Costs", ":material/payments:", "Operate", "costs.view"),
    Screen("clients", "Clients & campaigns", ":material/business:", "Manage", "client.manage"),
    Screen("users", "Users", ":material/group:", "Manage", "user.manage"),
)
# Where a role lands: its daily work. Any other role lands on Studio.
HOMES: dict[Role, str] = {Role.reviewer: "review", Role.viewer: "showcase"}
DEFAULT_HOME = "studio"
LANDING_PATH = "home"  # the URL path of the page served at `/`, never shown


def screens_for(user: User) -> dict[str, list[Screen]]:
    """Sections in order, each with the screens this user's role may open."""
    sections: dict[str, list[Screen]] = {}
    for screen in SCREENS:
        if auth.can(user, screen.permission):
            sections.setdefault(screen.section, []).append(screen)
    return sections


def home(user: User) -> Screen:
    """The screen this user lands on: their role's home, else the first they may open."""
    allowed = [s for s in SCREENS if auth.can(user, s.permission)]
    wanted = HOMES.get(user.role, DEFAULT_HOME)
    return next((s for s in allowed if s.module == wanted), allowed[0])


def _runner(screen: Screen) -> Callable[[], None]:
    def run() -> None:
        importlib.import_module(f"app_pages.{screen.module}").render()

    run.__name__ = screen.module
    return run


def _refuser(screen: Screen, user: User) -> Callable[[], None]:
    """In place of a screen this role may not open: why, and the way home; nothing of it."""

    def run() -> None:
        st.error(f"{screen.title} is not available to your role ({user.role}).",
                 icon=":material/block:")  # fmt: skip
        start = home(user)
        st.page_link(_page(start), label=f"Go to {start.title}", icon=start.icon)

    run.__name__ = f"{screen.module}_refused"
    return run


def _page(
    screen: Screen,
    *,
    title: str | None = None,
    run: Callable[[], None] | None = None,
    visibility: Literal["visible", "hidden"] = "visible",
) -> st.Page:
    return st.Page(run or _runner(screen), title=title or screen.title, icon=screen.icon,
                   url_path=screen.url_path, visibility=visibility)  # fmt: skip


def page(module: str) -> st.Page:
    """The screen of app_pages.<module> as a Page to link to (Streamlit matches it by url_path)."""
    return _page(next(s for s in SCREENS if s.module == module))


def landing() -> st.Page:
    """The page at `/`: whoever opens it is switched to their home."""

    def land() -> None:  # never runs: navigation() switches to the home first
        pass

    return st.Page(land, title="Campaign Studio", url_path=LANDING_PATH, default=True,
                   visibility="hidden")  # fmt: skip


def signed_out() -> Callable[[User], NoReturn]:
    """Register every screen, hidden, before the sign-in form, so that the page a link names
    is this run's page; returns where to go once signed in: that page (a rerun keeps the run's
    page and query), or from `/` straight to the user's home (not through the landing)."""
    start = landing()
    chosen = st.navigation([start, *(_page(s, visibility="hidden") for s in SCREENS)],
                           position="hidden")  # fmt: skip

    def go_on(user: User) -> NoReturn:
        if chosen is start:
            _go_home(home(user))
        st.rerun()

    return go_on


def navigation(user: User) -> st.Page:
    """st.navigation over every screen: those this user may open in the menu (with their
    counts), the others hidden and refusing; a visit to `/` switches to the user's home."""
    menu = {section: [_page(s, title=s.label(user)) for s in screens]
            for section, screens in screens_for(user).items()}  # fmt: skip
    start = home(user)
    refused = [_page(s, run=_refuser(s, user), visibility="hidden")
               for s in SCREENS if not auth.can(user, s.permission)]  # fmt: skip
    # Which section holds the hidden pages does not matter: the menu leaves them out.
    start_page = landing()
    menu[start.section] += [start_page, *refused]
    chosen = st.navigation(menu)
    if chosen is start_page:
        _go_home(start)
    return chosen


def _go_home(start: Screen) -> NoReturn:
    # st.switch_page drops the query unless given one: `/?client=...&campaign=...` keeps it.
    kept = {key: st.query_params.get_all(key) for key in st.query_params}
    st.switch_page(_page(start), query_params=kept)
