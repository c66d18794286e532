"""Entry point: parse, resolve the acting user, run one command, print JSON."""

from __future__ import annotations

import json
import logging
import sys

from core.cli.commands import COMMANDS, resolve_actor
from core.cli.parser import build_parser
from core.db import session_scope
from core.errors import StudioError, system_message


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s"
    )
    args = build_parser().parse_args(argv)
    key = f"{args.command} {args.action}" if getattr(args, "action", None) else args.command
    try:
        with session_scope() as session:
            actor = resolve_actor(session, args)
            result = COMMANDS[key](session, actor, args)
    except StudioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the machine's own trouble (a full disk): one line, not a trace
        message = system_message(error)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return 1
    if result is not None:
        print(json.dumps(result, indent=2, default=str))
    return 0
