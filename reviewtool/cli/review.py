"""``reviewtool review``: the interactive review (Textual) of a cable or a folder.

Loads the rule set and the cable(s) first, so a rule set that fails validation or a
cable that does not parse is one line on stderr, never a traceback; then runs the app.
"""

from __future__ import annotations

import argparse
import getpass
import os

from reviewtool.cli.common import Exit, SubParsers, add_rules_option


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers)
        return os.environ.get("USER") or "reviewer"


def register(sub: SubParsers) -> None:
    p = sub.add_parser("review", help="review a cable (or a folder of cables) interactively",
                       description="Walk a cable paragraph by paragraph, highest marking "
                       "first: accept or reject suggested redactions, add your own, decide "
                       "each paragraph, and finish with a release copy, an audit log and a "
                       "report. Reopening the same review resumes it where it stopped.")
    p.add_argument("target", metavar="CABLE_OR_DIR", help="a cable file or a folder of cables")
    add_rules_option(p)
    p.add_argument("--reviewer", metavar="NAME", default=None,
                   help="your name, recorded with every decision (default: login name)")
    p.add_argument("--review-dir", metavar="DIR", default="reviews",
                   help="where reviews are kept (default: ./reviews)")
    p.add_argument("--keymap", metavar="PATH", default=None,
                   help="YAML key map, binding id -> keys (default: "
                   "$REVIEWTOOL_KEYMAP or ~/.config/reviewtool/keymap.yaml)")
    p.add_argument("--theme", choices=("dark", "light"), default=None,
                   help="colour theme (ctrl+t switches)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from reviewtool.tui.app import KEYMAP_ENV, create_app, default_keymap_path, load_keymap

    keymap = load_keymap(args.keymap or os.environ.get(KEYMAP_ENV) or default_keymap_path())
    theme = {"dark": "textual-dark", "light": "textual-light"}.get(args.theme or "")
    app = create_app(args.target, rules=args.rules, reviewer=args.reviewer or default_reviewer(),
                     review_dir=args.review_dir, keymap=keymap, theme=theme)
    app.run()
    return Exit.OK
