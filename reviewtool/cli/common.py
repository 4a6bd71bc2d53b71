"""Helpers every command shares: exit codes, the sub-command registry's type, finding
cable files, reporting errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from enum import IntEnum
from pathlib import Path
from typing import TypeAlias

from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.read import read_cable
from reviewtool.core.files import cable_paths
from reviewtool.errors import ReviewToolError

# What ``add_subparsers`` returns: each command module's ``register`` adds its parser to it.
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # some input failed (reported on stderr); the rest was processed
    USAGE = 2


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    """``--rules PATH`` (repeatable), defaulting to the bundled rule sets."""
    parser.add_argument("--rules", action="append", metavar="PATH",
                        help="rule set file or folder (repeatable; default: the bundled rules/)")


def error(message: str) -> None:
    print(f"reviewtool: {message}", file=sys.stderr)


def read_cables(paths: Sequence[str]) -> Iterator[tuple[Path, Cable | None]]:
    """Each cable parsed, or ``None`` after one line on stderr naming the file."""
    for path in cable_paths(paths, skipped=lambda p, why: error(f"{p}: skipped: {why}")):
        try:
            yield path, read_cable(path)
        except ReviewToolError as exc:
            error(str(exc))
            yield path, None
