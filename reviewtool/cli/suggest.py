"""``reviewtool suggest``: suggested redactions per cable, readable or JSON Lines."""

from __future__ import annotations

import argparse
import json
import time

from reviewtool.cli.common import Exit, SubParsers, add_rules_option, read_cables
from reviewtool.core.cable.model import Cable
from reviewtool.core.rules.load import bundled_rules_path, load_rules
from reviewtool.core.suggest.engine import suggest
from reviewtool.core.suggest.model import Suggestion


def register(sub: SubParsers) -> None:
    p = sub.add_parser("suggest", help="suggest redactions with a rule set",
                       description="Run rule sets over cables and list the suggested "
                       "redactions: paragraph, marking, matched text in context, codes, "
                       "rules and score. --json prints one object per suggestion "
                       "(keys in docs/RULES.md).")
    p.add_argument("paths", nargs="+", metavar="CABLE_OR_DIR")
    add_rules_option(p)
    p.add_argument("--json", action="store_true", help="JSON Lines, one suggestion per line")
    p.add_argument("--min-score", type=float, default=0.0, metavar="X",
                   help="only suggestions scoring at least X (0-1)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules or [bundled_rules_path()])
    failed = False
    total = cables = 0
    t0 = time.perf_counter()
    for _path, cable in read_cables(args.paths):
        if cable is None:
            failed = True
            continue
        cables += 1
        found = [s for s in suggest(cable, rules) if s.score >= args.min_score]
        total += len(found)
        if args.json:
            for s in found:
                print(json.dumps(s.to_json(), ensure_ascii=False))
        else:
            print(render(cable, found))
    if not args.json:
        print(f"{total} suggestion(s) in {cables} cable(s), rules {rules.sha256[:12]} "
              f"({time.perf_counter() - t0:.2f} s)")
    return Exit.FAILED if failed else Exit.OK


def in_context(cable: Cable, s: Suggestion, width: int = 30) -> str:
    """The match in brackets with a few words either side, on one line."""
    text = cable.text
    before = " ".join(text[max(0, s.start - width * 2):s.start].split())[-width:]
    after = " ".join(text[s.end:s.end + width * 2].split())[:width]
    match = " ".join(s.text.split())
    if len(match) > 80:
        match = match[:38] + " ... " + match[-38:]
    return f"...{before} [{match}] {after}..."


def render(cable: Cable, found: list[Suggestion]) -> str:
    head = f"{cable.id}  {cable.classification.banner()}  {len(found)} suggestion(s)"
    lines = [head]
    for s in found:
        para = cable.paragraphs[s.paragraph].label if s.paragraph is not None else "header"
        codes = ", ".join(s.codes)
        lines.append(f"  {s.id}  {para:<6} {s.marking or '-':<8} {s.score:.2f}  {codes}")
        lines.append(f"      {in_context(cable, s)}")
        lines.append(f"      rules: {', '.join(s.rules)}; {s.explain()}")
    return "\n".join(lines) + "\n"
