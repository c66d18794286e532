"""Click to page ready in a real Chromium: sign-in (cold and warm) and page switches, against a
real server (`streamlit run serve.py`, embedded worker included) with demo data loaded.

"Ready" means all of: the page's title heading (an h1 in the main area) is on screen; the app's
script run is over (`data-test-script-state=notRunning` on `stApp`); Streamlit's status widget
(`stStatusWidget`, the running indicator) is gone; no skeleton (`stAppSkeleton`, `stSkeleton`)
is on screen. The time is taken in the page, from the click event to the first animation frame
where all of that holds. Sign-in: a fresh browser (no cookie) on the sign-in form, the click on
"Sign in" until the landing page (Studio) is ready; the first after the server starts is "cold".
Page switch: a click on a sidebar link until that page is ready, every screen an admin sees in
turn; the first visit of each screen after the server starts is "cold".

Warm sign-in: a returning browser (its cache holds Streamlit's scripts) without a login cookie.
The cold sign-in is a new browser profile, so it also fetches the ~40 script chunks Streamlit
loads the first time each kind of element is drawn. The admin's password has the production
bcrypt cost (12) unless --bcrypt-rounds says otherwise.

Run: .venv/bin/python bench/bench_page_speed.py [--rounds 5] [--sign-ins 10] [--quiet 1.5]
     --quiet L: first wait (up to 10 min) for the 1-minute load average to fall below L;
     --checkout DIR: serve another copy of the app (before/after comparisons);
     --profile DIR: the server writes a cProfile of every script run into DIR, summed up here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ADMIN = ("ada", "bench-admin-password-9")
BRIEF = ROOT / "tests" / "briefs_corpus" / "email_harbor_cold_brew.txt"
# The admin's screens, in the sidebar's order (ui.nav.SCREENS); Studio is the landing page.
SCREENS = ("Studio", "Briefs", "Storyboards", "Gallery", "Showcase", "Assets", "Review queue",
           "Inbox", "Jobs", "Costs", "Clients & campaigns", "Users")  # fmt: skip

READY_JS = """(title) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector(
    '[data-testid=stStatusWidget], [data-testid=stAppSkeleton], [data-testid=stSkeleton]'))
    return false;
  const heads = document.querySelectorAll('[data-testid=stMain] h1');
  const shown = [...heads].some(h => h.innerText.trim() === title && h.offsetParent !== null);
  if (!shown) return false;
  window.__benchReadyAt = performance.now();
  return true;
}"""
ARM_CLICK_JS = """() => {
  window.__benchClickAt = null;
  document.addEventListener('click', () => { window.__benchClickAt ??= performance.now(); },
                            {capture: true, once: true});
}"""


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} vCPU, Python {platform.python_version()}"


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _env(data: Path, checkout: Path, bcrypt_rounds: int | None) -> dict[str, str]:
    env = {**os.environ, "STUDIO_DATA_DIR": str(data), "PYTHONPATH": str(checkout)}
    for key in ("REPLICATE_API_TOKEN", "STUDIO_DATABASE_URL", "STUDIO_QUEUE_URL",
                "STUDIO_ADMIN_USER", "STUDIO_ADMIN_PASSWORD", "STUDIO_BCRYPT_ROUNDS"):  # fmt: skip
        env.pop(key, None)
    if bcrypt_rounds is not None:
        env["STUDIO_BCRYPT_ROUNDS"] = str(bcrypt_rounds)
    return env


def _core(env: dict[str, str], *args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "core", *args], cwd=env["PYTHONPATH"],
                            env=env, capture_output=True, text=True, timeout=600,
                            check=False)  # fmt: skip
    if result.returncode:
        raise SystemExit(f"python -m core {' '.join(args)} failed: {result.stderr}")
    return json.loads(result.stdout)


def load_data(env: dict[str, str]) -> None:
    """The admin, the demo (its renders finished, so no worker competes for the CPU while we
    time) and a storyboard planned from a brief."""
    _core(env, "user", "add", ADMIN[0], "--role", "admin", "--password", ADMIN[1])
    _core(env, "demo", "--wait")
    _core(env, "storyboard", "from-brief", str(BRIEF), "--campaign", "Autumn Blend Launch")


def _wait_ready(page, title: str) -> float:
    """ms from the armed click to `title`'s page being ready."""
    page.wait_for_function(READY_JS, arg=title, polling="raf", timeout=60_000)
    return page.evaluate("window.__benchReadyAt - window.__benchClickAt")


def _settle(page, *, cookie_writer_gone: bool = True) -> None:
    """No run going on, and none about to start: a click made now is the only thing the server
    is doing. Versions before issue 17 wrote the login cookie with a component that reruns the
    app once it wrote it: signed in, it is gone too (on their sign-in form it stays)."""
    gone = "!document.querySelector('iframe[title*=CookieManager]') && "
    idle = "document.querySelector('[data-testid=stApp]').dataset.testScriptState == 'notRunning'"
    check = f"() => {gone if cookie_writer_gone else ''}{idle}"
    for _ in range(2):  # anything the last run set off (a component, a fragment) has run too
        page.wait_for_function(check, timeout=60_000)
        time.sleep(0.4)


def sign_in(page, url: str) -> float:
    """ms from the click on "Sign in" to the landing page, in `page`'s browser (no login
    cookie)."""
    page.goto(url)
    page.get_by_label("Password", exact=True).wait_for()
    _settle(page, cookie_writer_gone=False)
    page.get_by_label("Username", exact=True).fill(ADMIN[0])
    page.get_by_label("Password", exact=True).fill(ADMIN[1])
    page.evaluate(ARM_CLICK_JS)
    page.get_by_role("button", name="Sign in").click()
    return _wait_ready(page, "Studio")


def switch(page, title: str) -> float:
    _settle(page)
    # A screen's link may carry what waits there: "Review queue (2)".
    name = re.compile(rf"^{re.escape(title)}( \(\d+\))?$")
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=name)
    page.evaluate(ARM_CLICK_JS)
    link.click()
    return _wait_ready(page, title)


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.9 * len(ordered)) - 1)]


def _line(label: str, values: list[float]) -> str:
    return (f"  {label:34s} n={len(values):3d}  median {statistics.median(values):6.0f} ms"
            f"  p90 {_p90(values):6.0f} ms  max {max(values):6.0f} ms")  # fmt: skip


def _wait_for_quiet(below: float) -> None:
    waited = time.monotonic()
    while float(_load().split()[0]) >= below and time.monotonic() - waited < 600:
        time.sleep(5)
    print(f"waited {time.monotonic() - waited:.0f} s for a load average below {below}")


def measure(url: str, rounds: int, sign_ins: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        load_before = _load()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        cold_sign_in = sign_in(page, url)
        cold: dict[str, float] = {}
        warm: dict[str, list[float]] = {title: [] for title in SCREENS}
        for _ in range(rounds + 1):
            for title in (*SCREENS[1:], SCREENS[0]):
                ms = switch(page, title)
                if title not in cold and title != "Studio":
                    cold[title] = ms
                else:
                    warm[title].append(ms)
        warm_sign_in = []
        for _ in range(sign_ins):
            _settle(page)
            context.clear_cookies()  # signed out, as a returning visitor whose cookie expired
            warm_sign_in.append(sign_in(page, url))
        browser.close()
    every_warm = [ms for values in warm.values() for ms in values]
    print(f"machine: {_machine()}; load average {load_before} before, {_load()} after")
    print("sign-in (click 'Sign in' -> Studio ready):")
    print(f"  {'cold (first after server start)':34s} {cold_sign_in:6.0f} ms")
    print(_line("warm", warm_sign_in))
    print("page switch (click a sidebar link -> that page ready):")
    print(_line("cold (first visit of each screen)", list(cold.values())))
    print(_line("warm (every screen, every round)", every_warm))
    for title in SCREENS:
        first = f"{cold[title]:6.0f} ms" if title in cold else "(landing)"
        print(
            f"    {title:22s} cold {first:>9s}   warm median "
            f"{statistics.median(warm[title]):6.0f} ms  max {max(warm[title]):6.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="warm visits of every screen")
    parser.add_argument("--sign-ins", type=int, default=10, help="warm sign-ins")
    parser.add_argument("--bcrypt-rounds", type=int, default=None, help="default: production's")
    parser.add_argument("--quiet", type=float, default=None, help="wait for this load average")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the app to serve")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile every run here")
    args = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is missing (apt-get install chromium)")
    sys.path.insert(0, str(ROOT))  # not in the server's process: it serves `--checkout`
    with tempfile.TemporaryDirectory(prefix="bench-page-speed-") as data:
        run(args, Path(data))
    if args.profile is not None:
        summarise_profiles(args.profile)


def run(args: argparse.Namespace, data: Path) -> None:
    from tests.utils.processes import free_port, started

    checkout = args.checkout.resolve()
    env = _env(data, checkout, args.bcrypt_rounds)
    started_at = time.monotonic()
    load_data(env)
    print(f"data: demo + a storyboard loaded in {time.monotonic() - started_at:.0f} s")
    port = free_port()
    argv = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
            "--server.headless", "true", "--server.fileWatcherType", "none"]  # fmt: skip
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, str(Path(__file__).resolve()), "--serve-profiled",
                str(args.profile.resolve()), *argv[3:]]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    if args.quiet is not None:
        _wait_for_quiet(args.quiet)
    with started(argv, env=env, cwd=checkout, graceful=True, name="the app's server") as app:
        app.wait_for_url(f"{url}/_stcore/health")
        measure(url, args.rounds, args.sign_ins)


def summarise_profiles(out: Path) -> None:
    """Server time per script run, by page (fragment refreshes apart); the files are for
    `pstats`."""
    from streamlit.navigation.page import calc_hash

    from ui.nav import SCREENS as NAV

    titles = {calc_hash(screen.url_path): screen.title for screen in NAV}
    runs: dict[tuple[str, str], list[float]] = {}
    for path in sorted(out.glob("*.prof")):
        _, kind, page, ms = path.stem.split("_")
        runs.setdefault((titles.get(page, "(sign-in form)"), kind), []).append(float(ms[:-2]))
    print(f"server script runs (cProfile on, so slower than measured above; files in {out}):")
    for (title, kind), values in sorted(runs.items()):
        print(
            f"  {title:22s} {kind:8s} n={len(values):3d}  median "
            f"{statistics.median(values):6.0f} ms  max {max(values):6.0f} ms"
        )


def serve_profiled(out: Path, streamlit_args: list[str]) -> None:
    """Streamlit's own CLI (this is the server process), every script run under cProfile: one
    .prof file per run in `out`, named by its order, kind, page and length."""
    import cProfile
    import itertools

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web import cli

    original = script_runner.ScriptRunner._run_script
    counter = itertools.count()

    def profiled(self, rerun_data):
        profile = cProfile.Profile()
        started_at = time.perf_counter()
        profile.enable()
        try:
            return original(self, rerun_data)
        finally:
            profile.disable()
            ms = (time.perf_counter() - started_at) * 1000
            page = rerun_data.page_script_hash or "main"
            kind = "fragment" if rerun_data.fragment_id_queue else "run"
            profile.dump_stats(out / f"{next(counter):04d}_{kind}_{page}_{ms:.0f}ms.prof")

    script_runner.ScriptRunner._run_script = profiled
    sys.argv = ["streamlit", *streamlit_args]
    cli.main()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--serve-profiled":
        serve_profiled(Path(sys.argv[2]), sys.argv[3:])
    else:
        main()
