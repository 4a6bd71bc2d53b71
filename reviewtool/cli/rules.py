"""``reviewtool rules check|test``: validate rule sets; run their examples."""

from __future__ import annotations

import argparse
import sys

from reviewtool.cli.common import Exit, SubParsers
from reviewtool.core.rules.load import bundled_rules_path, load_rules, rule_files
from reviewtool.core.rules.model import RuleSet
from reviewtool.core.suggest.engine import rule_examples
from reviewtool.errors import RuleError


def register(sub: SubParsers) -> None:
    p = sub.add_parser("rules", help="validate rule sets and run their examples",
                       description="Work with YAML rule sets (see docs/RULES.md).")
    rsub = p.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    c = rsub.add_parser("check", help="validate rule sets: every problem as file:line:col",
                        description="Validate rule-set files (or folders of *.yaml). Every "
                        "problem is reported as `file:line:col: rule 'id': message`; exit "
                        "status 1 if there is any.")
    c.add_argument("paths", nargs="*", metavar="PATH",
                   help="rule-set files or folders (default: the bundled rules/)")
    c.set_defaults(func=run_check)
    t = rsub.add_parser("test", help="run each rule's match/no_match examples",
                        description="Validate rule sets, then run each rule's examples; "
                        "report every failing example; exit status 1 if any fails.")
    t.add_argument("paths", nargs="*", metavar="PATH",
                   help="rule-set files or folders (default: the bundled rules/)")
    t.add_argument("-v", "--verbose", action="store_true", help="list passing examples too")
    t.set_defaults(func=run_test)

    def usage(_args: argparse.Namespace) -> int:  # `reviewtool rules` alone
        p.print_help(sys.stderr)
        return Exit.USAGE

    p.set_defaults(func=usage)


def _load(paths: list[str]) -> RuleSet | None:
    try:
        return load_rules(paths or [bundled_rules_path()])
    except RuleError as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        return None


def run_check(args: argparse.Namespace) -> int:
    rules = _load(args.paths)
    if rules is None:
        return Exit.FAILED
    files = rule_files(args.paths or [bundled_rules_path()])
    for info in rules.sets:
        n = sum(1 for r in rules.rules if r.ruleset == info.name)
        print(f"ok  {info.source}: rule set '{info.name}', {n} rule(s)")
    print(f"{len(files)} file(s), {len(rules.rules)} rule(s), sha256 {rules.sha256[:16]}")
    return Exit.OK


def run_test(args: argparse.Namespace) -> int:
    rules = _load(args.paths)
    if rules is None:
        return Exit.FAILED
    passed = failed = 0
    for rule, text, ok, why in rule_examples(rules):
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 70 else shown[:67] + "..."
        if ok:
            passed += 1
            if args.verbose:
                print(f"pass  {rule.id}: {shown!r}")
        else:
            failed += 1
            print(f"{rule.source}:{rule.line}: rule '{rule.id}': example {shown!r}: {why}")
    untested = [r.id for r in rules.rules if not r.match_examples and not r.no_match_examples]
    print(f"{passed} passed, {failed} failed"
          + (f"; rules without examples: {', '.join(untested)}" if untested else ""))
    return Exit.FAILED if failed else Exit.OK
