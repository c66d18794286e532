"""The argument grammar of `python -m core`."""

from __future__ import annotations

import argparse
from datetime import date

ROLES = ("admin", "creative", "reviewer", "viewer")
STATUSES = ("queued", "waiting", "running", "succeeded", "failed", "canceled")


class Parser(argparse.ArgumentParser):
    """Exits with a one-line message (argparse's default prints the usage block too)."""

    def error(self, message: str):
        self.exit(2, f"error: {message}\n")


def _positive(kind: type):
    """An argparse type: a number above zero (argparse names the option when it is not)."""

    def parse(text: str):
        value = kind(text)  # ValueError: argparse says "invalid <kind> value"
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _pair(text: str) -> tuple[str, str]:
    """An argparse type: KEY=VALUE."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key.strip(), value.strip()


def _campaign(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--campaign", required=required, help="campaign name or id")
    p.add_argument("--client", help="client name, when campaign names clash")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this user")


def _idempotency_key(command) -> None:
    command.add_argument(
        "--idempotency-key", metavar="KEY",
        help="run again with the same key within 10 minutes: the jobs of the first run are "
        "printed instead of new ones made (safe to retry a command whose answer was lost)",
    )  # fmt: skip


def _generate(sub) -> None:
    g = sub.add_parser("generate", help="queue an image, video, audio or chain")
    _common(g)
    g.add_argument("kind", choices=("image", "video", "audio", "chain"))
    _campaign(g, required=True)
    g.add_argument("--prompt", required=True)
    g.add_argument("--music-prompt", help="chain: what its track sounds like (default: --prompt)")
    g.add_argument("--model", action="append", default=[], help="model id (chain: one per kind)")
    g.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    g.add_argument("--from", dest="source", metavar="GENERATION_OR_ASSET_ID")
    g.add_argument("--frame", type=float, help="seconds into a source video (default: last)")
    g.add_argument("--no-brand", action="store_true", help="leave brand guidelines out")
    g.add_argument("--wait", action="store_true", help="run the work here and print the result")
    g.add_argument("--timeout", type=_positive(float), default=900.0,
                   help="seconds --wait waits at most")  # fmt: skip
    _idempotency_key(g)


def _entities(sub) -> None:
    client = sub.add_parser(
        "client", help="add or list clients (brand guidelines, palette)"
    ).add_subparsers(dest="action", required=True)
    add = client.add_parser("add")
    _common(add)
    add.add_argument("name")
    add.add_argument("--guidelines", default="")
    add.add_argument("--palette", default="", help='"#RRGGBB,#RRGGBB"')
    add.add_argument("--negative", default="")
    add.add_argument("--sound", default="", help="sound direction for music, e.g. warm, acoustic")
    add.add_argument("--budget", type=float)
    _common(client.add_parser("list"))

    campaign = sub.add_parser("campaign", help="add or list campaigns (budget)").add_subparsers(
        dest="action", required=True
    )
    add = campaign.add_parser("add")
    _common(add)
    add.add_argument("--client", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--budget", type=float)
    add.add_argument("--objective", default="")
    add.add_argument("--guidelines", default="")
    listing = campaign.add_parser("list")
    _common(listing)
    listing.add_argument("--client")

    user = sub.add_parser(
        "user", help="add or list users (admin, creative, reviewer, viewer)"
    ).add_subparsers(dest="action", required=True)
    add = user.add_parser("add")
    _common(add)
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument(
        "--password",
        help="visible to other users in the process list: leave it out to be asked for it "
        "(or to read it from the first line of stdin)",
    )
    _common(user.add_parser("list"))


def _jobs(sub) -> None:
    jobs = sub.add_parser("jobs", help="list generations")
    _common(jobs)
    jobs.add_argument("--status", choices=STATUSES)
    _campaign(jobs, required=False)
    jobs.add_argument("--limit", type=_positive(int), default=50)
    for name, about in (("show", "one generation as JSON"), ("cancel", "cancel a queued or "
                        "running generation"), ("retry", "run a failed or canceled one again"),
                        ("delete", "delete a generation and its files")):  # fmt: skip
        p = sub.add_parser(name, help=about)
        _common(p)
        p.add_argument("id")
    _common(sub.add_parser("migrate", help="bring the database to the current schema"))
    worker = sub.add_parser("worker", help="run a queue consumer until interrupted")
    _common(worker)
    worker.add_argument("--workers", type=int)
    hooks = sub.add_parser("webhooks", help="receive Replicate webhooks")
    _common(hooks)
    hooks.add_argument("--port", type=int, default=8502)
    hooks.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to listen on every interface")
    demo = sub.add_parser("demo", help="load demo data into an empty database")
    _common(demo)
    demo.add_argument("--wait", action="store_true")


def _storyboards(sub) -> None:
    brief = sub.add_parser("brief", help="parse a brief (.txt, .md, .pdf, .docx)").add_subparsers(
        dest="action", required=True
    )
    parse = brief.add_parser("parse", help="print a brief's fields as JSON")
    _common(parse)
    parse.add_argument("file")
    parse.add_argument("--parser", default="offline", help="offline, or an LLM on Replicate: "
                       "openai/gpt-4o-mini, meta/meta-llama-3-8b-instruct")  # fmt: skip

    board = sub.add_parser(
        "storyboard", help="make, show, submit and review storyboards"
    ).add_subparsers(dest="action", required=True)
    made = board.add_parser("from-brief")
    _common(made)
    made.add_argument("file")
    _campaign(made, required=True)
    for name in ("submit", "show"):
        _common(p := board.add_parser(name))
        p.add_argument("id")
    approve = board.add_parser("approve")
    _common(approve)
    approve.add_argument("id")
    approve.add_argument("--comment", default="")
    changes = board.add_parser("request-changes")
    _common(changes)
    changes.add_argument("id")
    changes.add_argument("--comment", required=True)

    render = sub.add_parser("render", help="render an approved storyboard into the final ad")
    _common(render)
    render.add_argument("id")
    render.add_argument("--model-video")
    render.add_argument("--model-audio")
    render.add_argument("--model-image", help="frame model (default: paid for a paid video model)")
    render.add_argument("--ratio", action="append", default=[], help="extra aspect ratio")
    render.add_argument("--resolution", default="720p")
    render.add_argument(
        "--voice",
        metavar="MODEL",
        help="voice model for the scenes' voice "
        "lines, or none (default: the storyboard's voice, else the draft voice)",
    )
    render.add_argument("--voice-param", action="append", default=[], type=_pair,
                        metavar="KEY=VALUE", help="the voice's settings (default: the "
                        "storyboard's, for its own voice)")  # fmt: skip
    render.add_argument(
        "--captions",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="burn the voice lines in as captions (default: on)",
    )
    render.add_argument("--wait", action="store_true")
    render.add_argument("--timeout", type=_positive(float), default=1800.0)
    _idempotency_key(render)

    captions = sub.add_parser("captions", help="print a final ad's captions as a sidecar file "
                              "(WebVTT or SubRip), to upload beside the video")  # fmt: skip
    _common(captions)
    captions.add_argument("id", help="the final ad's generation id")
    captions.add_argument("--format", choices=("vtt", "srt"), default="vtt")

    animatic = sub.add_parser(
        "animatic", help="a storyboard's frames played with its timing, end card and music as "
        "a rough cut (draft engine: free, in seconds)",
    )  # fmt: skip
    _common(animatic)
    animatic.add_argument("id", help="the storyboard's id")
    animatic.add_argument("--force", action="store_true",
                          help="make another even if one of the board as it is exists")  # fmt: skip


def _costs(sub) -> None:
    costs = sub.add_parser("costs", help="spend, estimated against actual")
    _common(costs)
    _campaign(costs, required=False)
    costs.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD")
    costs.add_argument(
        "--by", default="campaign",
        choices=("campaign", "client", "model", "kind", "user", "day", "week"),
    )  # fmt: skip


def _share(sub) -> None:
    share = sub.add_parser(
        "share", help="links a guest opens without an account (a final ad or a storyboard)"
    ).add_subparsers(dest="action", required=True)
    create = share.add_parser("create", help="make a link; its URL is printed this once")
    _common(create)
    create.add_argument("id", help="a final ad's generation id, or a storyboard's id")
    create.add_argument("--days", type=_positive(int), default=7, help="days it lasts (1-90)")
    revoke = share.add_parser("revoke", help="close a link at once")
    _common(revoke)
    revoke.add_argument("link_id")
    listing = share.add_parser("list", help="a target's links, views and guests' decisions")
    _common(listing)
    listing.add_argument("id")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m core", description="Campaign Studio from the command line.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    _entities(sub)
    _generate(sub)
    _jobs(sub)
    _storyboards(sub)
    _costs(sub)
    _share(sub)
    return parser
