"""Command line: argument parsing and printing only; every command calls the core.

Each command group lives in its own module with a ``register(subparsers)`` function.
Data goes to stdout, diagnostics to stderr; `ReviewToolError` becomes one line on
stderr, never a traceback. Any other exception (a bug, or input no check foresaw) is
one line too, with exit status `Exit.FAILED`, unless ``REVIEWTOOL_DEBUG=1`` asks for the
traceback. Exit codes are `Exit`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from reviewtool import __version__
from reviewtool.cli.common import Exit
from reviewtool.errors import ReviewToolError

# Command modules, in the order `--help` lists them.
COMMANDS = ["inspect", "rules", "suggest", "apply", "review", "batch", "report", "audit"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewtool",
        description="Paragraph-by-paragraph redaction and declassification review of cables.",
    )
    parser.add_argument("--version", action="version", version=f"reviewtool {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return Exit.USAGE
    try:
        return int(args.func(args))
    except ReviewToolError as exc:
        print(f"reviewtool: {exc}", file=sys.stderr)
        return Exit.FAILED
    except KeyboardInterrupt:
        print("reviewtool: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # the last line of defence: no traceback
        if os.environ.get("REVIEWTOOL_DEBUG", "") not in ("", "0"):
            raise
        detail = " ".join(str(exc).split())[:300]
        print(f"reviewtool: internal error: {type(exc).__name__}: {detail} "
              "(set REVIEWTOOL_DEBUG=1 for the traceback)", file=sys.stderr)
        return Exit.FAILED
