"""A real server (`streamlit run serve.py`, embedded worker included) and a real headless Chromium.

The browser is Debian's Chromium driven by Playwright; it never downloads one.
"""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.utils.processes import ROOT, child_env, free_port, python_m, started

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ADMIN = ("ada", "e2e-admin-password-1")
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"e2e-webhook-signing-key-32-bytes").decode()


@contextmanager
def app_server(data: Path, **settings: str) -> Iterator[dict]:
    """The app served from `data` (its embedded worker included) with `settings` added to the
    environment; Replicate off unless they turn it on."""
    port = free_port()
    env = {**os.environ, "STUDIO_DATA_DIR": str(data), "STUDIO_ADMIN_USER": ADMIN[0],
           "STUDIO_ADMIN_PASSWORD": ADMIN[1], "STUDIO_BCRYPT_ROUNDS": "4",
           "STUDIO_QUEUE_URL": f"sqlite:///{data / 'queue.db'}",
           "STUDIO_WEBHOOK_SECRET": WEBHOOK_SECRET}  # fmt: skip
    for key in ("REPLICATE_API_TOKEN", "STUDIO_DATABASE_URL"):
        env.pop(key, None)
    env = child_env({**env, **settings})
    argv = python_m("streamlit", "run", "serve.py", "--server.port", str(port),
                    "--server.headless", "true", "--server.fileWatcherType", "none")  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with started(argv, env=env, graceful=True, name="the app's server") as app:
        app.wait_for_url(f"{url}/_stcore/health")
        yield {"url": url, "data": data, "env": env}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with app_server(tmp_path_factory.mktemp("e2e-data")) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def page(browser, request, tmp_path_factory):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    if getattr(request.node, "call_failed", False):  # what the browser showed, for the log
        shot = tmp_path_factory.getbasetemp() / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
    context.close()


def cli(server, *args: str) -> str:
    """`python -m core ...` against the server's own data dir (JSON on stdout)."""
    result = subprocess.run(
        python_m("core", *args), cwd=ROOT, env=server["env"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    wait_for_login_cookie(page, present=True)  # so that a reload or a shared link stays signed in
    # The cookie's writer (a component) reruns the app once it wrote it, and is gone when that
    # run is over; until then a run's older elements can linger beside the new ones.
    page.wait_for_function(
        "() => !document.querySelector('iframe[title*=CookieManager]')"
        " && document.querySelector('[data-testid=stApp]').dataset.testScriptState == 'notRunning'"
    )


def wait_for_login_cookie(page, *, present: bool) -> None:
    """The login cookie is written by a browser component a moment after the page draws."""
    from core.accounts.login_cookie import COOKIE_NAME

    check = f"document.cookie.includes('{COOKIE_NAME}=')"
    page.wait_for_function(f"() => {check if present else '!' + check}")


def wait_for_sign_in_form(page) -> None:
    """One sign-in form on screen: while a rerun lasts, the form an earlier run drew can linger
    beside the new one (after signing out, or once a cookie component reruns the app)."""
    page.wait_for_function(
        "() => document.querySelectorAll('input[aria-label=Password]').length == 1"
    )


def settle(page) -> None:
    """Wait until the app's script run is over: a click during a run can be dropped."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
