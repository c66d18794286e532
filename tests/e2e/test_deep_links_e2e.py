"""Links that land, in a real browser, for every role: a link typed or shared opens its page with
its query parameters, signed in (a new tab, where the login cookie signs in) or signed out (after
the password), and "Page not found" never shows, not even for a moment; a page outside the role
says so. Each role lands on its own home, the reviewer's queue with its count in the menu."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.e2e.conftest import ADMIN, cli, settle, sign_in

pytestmark = pytest.mark.e2e
BRIEF = """# {title} — teaser

**Brand:** Harbor Coffee
**Objective:** Introduce the new cold brew to commuters.
**Key messages:**
- Smooth, never bitter
**Duration:** 4 seconds
**Aspect ratio:** 16:9
"""
LINKED_BOARD = "Harbor Night Shift"
PASSWORDS = {"cleo": "cleo-pass-123", "rita": "rita-pass-123", "vic": "vic-pass-123"}
PEOPLE = {"admin": ADMIN, "creative": ("cleo", PASSWORDS["cleo"]),
          "reviewer": ("rita", PASSWORDS["rita"]), "viewer": ("vic", PASSWORDS["vic"])}  # fmt: skip
HOMES = {"admin": "Studio", "creative": "Studio", "reviewer": "Review queue",
         "viewer": "Showcase"}  # fmt: skip
# Every page a browser tab shows is watched from its first script on: any "Page not found", even
# a pop-up gone a moment later, is kept in window.__notFound.
WATCH_FOR_NOT_FOUND = """
window.__notFound = [];
new MutationObserver(() => {
  const text = document.body ? document.body.innerText : '';
  if (text.includes('Page not found')) window.__notFound.push(location.href);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@dataclass(frozen=True)
class Link:
    path: str  # "/storyboards"
    title: str  # the page's heading, or the refusal's page name
    query: dict[str, str]


@pytest.fixture(scope="module")
def world(server, tmp_path_factory) -> dict[str, str]:
    """Two campaigns of one client (so a link's ?campaign= is not simply the first), two
    storyboards of the second, both awaiting review (the link names the second); a creative, a
    reviewer and a viewer."""
    client = json.loads(cli(server, "client", "add", "Harbor Coffee"))
    cli(server, "campaign", "add", "--client", "Harbor Coffee", "--name", "Alpha")
    campaign = json.loads(cli(server, "campaign", "add", "--client", "Harbor Coffee",
                              "--name", "Cold Brew Launch"))  # fmt: skip
    for (name, password), role in zip(PEOPLE.values(), PEOPLE, strict=True):
        if role != "admin":
            cli(server, "user", "add", name, "--role", role, "--password", password)
    folder = tmp_path_factory.mktemp("briefs")
    for title in ("Harbor Morning", LINKED_BOARD):
        brief = folder / f"{title}.md"
        brief.write_text(BRIEF.format(title=title))
        made = json.loads(cli(server, "storyboard", "from-brief", str(brief), "--campaign",
                              "Cold Brew Launch", "--as", "cleo"))  # fmt: skip
        cli(server, "storyboard", "submit", made["id"], "--as", "cleo")
    return {"client": client["id"], "campaign": campaign["id"], "board": made["id"]}


def _links(role: str, world: dict[str, str]) -> list[Link]:
    """The links each role opens: its home or Studio by its own URL (Studio's said "Page not
    found" while it was the default page), pages with a storyboard or a campaign in their
    query, and a page outside its role."""
    context = {"client": world["client"], "campaign": world["campaign"]}
    board = {**context, "storyboard": world["board"]}
    return {
        "admin": [Link("/studio", "Studio", {}), Link("/storyboards", "Storyboards", board),
                  Link("/users", "Users", {})],
        "creative": [Link("/studio", "Studio", context), Link("/gallery", "Gallery", context),
                     Link("/review", "Review queue", {})],
        "reviewer": [Link("/review", "Review queue", {"storyboard": world["board"]}),
                     Link("/storyboards", "Storyboards", board), Link("/studio", "Studio", {})],
        "viewer": [Link("/showcase", "Showcase", context), Link("/gallery", "Gallery", {}),
                   Link("/storyboards", "Storyboards", board)],
    }[role]  # fmt: skip


def _opens(role: str, link: Link) -> bool:
    return link.title not in {
        "creative": {"Review queue", "Users"},
        "reviewer": {"Studio", "Users"},
        "viewer": {"Studio", "Storyboards", "Review queue", "Users"},
    }.get(role, set())


def _watched(page):
    """`page`'s browser, every tab it opens from now on watched for "Page not found"."""
    page.context.add_init_script(WATCH_FOR_NOT_FOUND)
    return page


def _url(server, link: Link) -> str:
    return server["url"] + link.path + (f"?{urlencode(link.query)}" if link.query else "")


def _landed(tab, role: str, link: Link) -> None:
    """`tab` shows the link's page (or, outside the role, why not), its URL keeps the page and
    the query, and "Page not found" never showed."""
    tab.get_by_text("Signed in as").wait_for()
    settle(tab)
    main = tab.get_by_test_id("stMain")
    if _opens(role, link):
        main.get_by_role("heading", name=link.title, exact=True, level=1).wait_for()
    else:
        refusal = f"{link.title} is not available to your role ({role})."
        main.get_by_text(refusal).wait_for()
        main.get_by_role("link", name=f"Go to {HOMES[role]}").wait_for()
        assert main.locator("h1").count() == 0  # nothing of the page
    url = urlsplit(tab.url)
    assert url.path == link.path
    query = {key: values[-1] for key, values in parse_qs(url.query).items()}
    assert link.query.items() <= query.items(), (link, tab.url)
    if "storyboard" in link.query and _opens(role, link):  # the linked one, not the first
        label = "Awaiting your review" if link.path == "/review" else "Storyboard"
        assert _chosen(main, label).startswith(LINKED_BOARD), _chosen(main, label)
    assert tab.evaluate("window.__notFound") == []


def _chosen(where, label: str) -> str:
    box = where.get_by_role("combobox", name=label)
    return box.input_value() or box.inner_text()


def _menu(tab):
    return tab.get_by_test_id("stSidebarNavItems")


@pytest.mark.parametrize("role", list(PEOPLE))
def test_signed_in_each_link_opens_its_page_in_a_new_tab(server, world, page, role):
    first = _watched(page)
    sign_in(first, server["url"], *PEOPLE[role])
    first.get_by_test_id("stMain").get_by_role("heading", name=HOMES[role], level=1).wait_for()
    assert urlsplit(first.url).path != "/"  # the home's own URL, to copy and share
    if role in ("admin", "reviewer"):  # two storyboards await them
        _menu(first).get_by_role("link", name="Review queue (2)").wait_for()
    for link in _links(role, world):
        tab = first.context.new_page()  # a new Streamlit session, signed in by the login cookie
        tab.goto(_url(server, link))
        _landed(tab, role, link)
        tab.close()
    assert first.evaluate("window.__notFound") == []


@pytest.mark.parametrize("role", list(PEOPLE))
def test_a_link_opened_signed_out_lands_on_its_page_after_sign_in(server, world, page, role):
    link = [link for link in _links(role, world) if _opens(role, link) and link.query][-1]
    tab = _watched(page)
    sign_in(tab, _url(server, link), *PEOPLE[role])  # the sign-in form is on the link's URL
    _landed(tab, role, link)


def test_a_page_outside_the_role_opened_signed_out_says_so_after_sign_in(server, world, page):
    tab = _watched(page)
    link = Link("/studio", "Studio", {})
    sign_in(tab, _url(server, link), *PEOPLE["viewer"])
    _landed(tab, "viewer", link)
    _menu(tab).get_by_role("link", name="Showcase").click()
    tab.get_by_test_id("stMain").get_by_role("heading", name="Showcase", level=1).wait_for()
    assert _menu(tab).get_by_role("link", name="Studio").count() == 0
