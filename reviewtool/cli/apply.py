"""``reviewtool apply``: release copies, audit logs and a set report, without the UI.

For each cable: suggestions from the rules (or a ``suggest --json`` file), decisions
from ``--decisions`` and/or ``--accept-all``, then `finish_review`. The output folder is
also the review folder (``<id>.review.sqlite`` beside ``<id>.audit.jsonl``), so a
later ``reviewtool report`` or ``audit verify`` finds everything. A cable whose release
copy fails the leak check gets no release copy; the reasons go to stderr; exit 1.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reviewtool.cli.common import Exit, SubParsers, error, read_cables
from reviewtool.core.cable.model import Cable
from reviewtool.core.files import write_atomic
from reviewtool.core.finish import finish_review
from reviewtool.core.outputs import SET_REPORT_HTML, SET_REPORT_MD, CableFiles
from reviewtool.core.release.model import STYLES
from reviewtool.core.report.cable import CableReport
from reviewtool.core.report.html import render_html
from reviewtool.core.report.markdown import build_report
from reviewtool.core.review.exchange import import_decisions, read_json_file
from reviewtool.core.review.review import Review
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import LeakError, ReviewError, ReviewToolError


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "apply", help="write release copies, audit logs and a report without the UI",
        description="For each cable write OUT/<id>.txt (the release copy), "
        "OUT/<id>.audit.jsonl (its audit log) and OUT/report.md and OUT/report.html for "
        "the set. Suggestions not accepted (by --accept-all or --decisions) are released.")
    p.add_argument("paths", nargs="+", metavar="CABLE_OR_DIR")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--rules", action="append", metavar="PATH",
                     help="rule set file or folder (repeatable)")
    src.add_argument("--suggestions", metavar="FILE",
                     help="suggestions from `reviewtool suggest --json` instead of rules")
    p.add_argument("--out", required=True, metavar="DIR", help="output (and review) folder")
    p.add_argument("--decisions", metavar="FILE.json",
                   help="decisions exported from a review (one object, or a list of them)")
    p.add_argument("--accept-all", action="store_true",
                   help="accept every suggestion not decided otherwise")
    p.add_argument("--style", choices=STYLES, default="state",
                   help="redaction marks: [B6] (state), a block, or XXXXXXXXXXXX")
    p.add_argument("--preserve-length", action="store_true",
                   help="marks as long as the text they hide (reveals lengths)")
    p.add_argument("--reviewer", default=os.environ.get("REVIEWTOOL_REVIEWER"),
                   help="name recorded on every decision (default: $REVIEWTOOL_REVIEWER "
                   "or the login name)")
    p.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="declassification date (default: today)")
    p.add_argument("--internal-log", action="store_true",
                   help="record the withheld text itself in the audit log, not only its "
                   "SHA-256 (an internal log: never release it)")
    p.add_argument("--case-no", help="case number for the banner")
    p.add_argument("--doc-no", help="document number for the banner")
    p.add_argument("--authority", help="declassification authority")
    p.set_defaults(func=run)


def _load_decisions(path: str) -> dict[str, dict[str, Any]]:
    data = read_json_file(path)
    items = data if isinstance(data, list) else data.get("reviews", [data]) \
        if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise ReviewError("expected a review object or a list of them", source=path)
    return {str(x.get("cable")): x for x in items}


def _load_suggestions(path: str) -> tuple[dict[str, list[Suggestion]], str]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ReviewError(f"cannot read: {exc.strerror or exc}", source=path) from None
    out: dict[str, list[Suggestion]] = {}
    text = raw.decode("utf-8", errors="replace")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            s = Suggestion.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise ReviewError(f"not a suggestion: {exc}", source=path, line=n) from None
        out.setdefault(s.cable, []).append(s)
    return out, hashlib.sha256(raw).hexdigest()


# How a cable's suggestions are had: from the rules, or from a ``suggest --json`` file.
SuggestionsFor = Callable[[Cable], list[Suggestion]]


@dataclass(frozen=True)
class ApplyPlan:
    """What ``apply`` does to every cable, read once from the command line."""

    out: Path
    reviewer: str
    rules_sha256: str
    suggestions_for: SuggestionsFor
    decisions: dict[str, dict[str, Any]]
    decisions_file: str | None  # named in errors about the decisions
    settings: dict[str, str]  # case_no, doc_no, authority: those given
    accept_all: bool
    internal_log: bool
    style: str
    on: date | None
    preserve_length: bool


def _suggestion_source(args: argparse.Namespace) -> tuple[SuggestionsFor, str]:
    """Where suggestions come from (the engine over ``--rules``, or ``--suggestions``),
    and the SHA-256 recorded for them (the rule set's, or the file's)."""
    if args.rules:
        from reviewtool.core.rules.load import load_rules
        from reviewtool.core.suggest.engine import suggest  # lazily: the engine is the heavy part

        ruleset = load_rules(args.rules)

        def from_rules(cable: Cable) -> list[Suggestion]:
            return suggest(cable, ruleset)

        return from_rules, ruleset.sha256
    by_cable, file_sha = _load_suggestions(args.suggestions)

    def from_file(cable: Cable) -> list[Suggestion]:
        return sorted(by_cable.get(cable.id or "", []), key=lambda s: (s.start, s.end))

    return from_file, file_sha


def _check_out_folder(out: Path, inputs: set[Path]) -> None:
    """Refuse an output folder that is, or holds, input cables."""
    if out.resolve() in inputs or any(out.resolve() == p.parent for p in inputs):
        raise ReviewError("output folder holds input cables; choose another --out",
                          source=str(out))


def _decide(review: Review, cable: Cable, plan: ApplyPlan) -> None:
    """The review's settings and decisions: the banner fields given, the imported
    decisions for this cable, then ``--accept-all``."""
    if plan.settings:
        review.settings.update(plan.settings)
    if cable.id in plan.decisions:
        import_decisions(review, plan.decisions[cable.id], source=plan.decisions_file)
    if plan.accept_all:
        review.accept_all()


def _finish(review: Review, path: Path, cable: Cable, plan: ApplyPlan) -> CableReport | None:
    """Write the release copy and audit log of a decided review; its report entry, or
    None (reported) when the leak check refuses the copy."""
    pending = review.pending()
    release_path = CableFiles.of(plan.out, cable).release
    if release_path.resolve() == path.resolve():
        raise ReviewError("output path is the input cable", source=str(path))
    try:
        result = finish_review(review, plan.out, style=plan.style, on=plan.on,
                               preserve_length=plan.preserve_length, allow_pending=True,
                               write_report=False)
    except LeakError as exc:  # finish_review removed any stale copy
        error(f"{path}: {exc}")
        return None
    if pending:
        error(f"{path}: {len(pending)} suggestion(s) left undecided were released "
              "(listed under Pending items in the report)")
    print(result.summary)
    return result.report


def _apply_one(path: Path, cable: Cable, plan: ApplyPlan) -> CableReport | None:
    """Open (or resume) the cable's review in the output folder, decide, finish; its
    report entry, or None when it failed (reported on stderr)."""
    try:
        review = Review.open(plan.out, cable, plan.suggestions_for(cable), reviewer=plan.reviewer,
                             rules_sha256=plan.rules_sha256, internal_log=plan.internal_log)
    except ReviewToolError as exc:
        error(f"{path}: {exc}")
        return None
    try:
        _decide(review, cable, plan)
        return _finish(review, path, cable, plan)
    except ReviewToolError as exc:
        error(f"{path}: {exc}")
        return None
    finally:
        review.close()


def _write_set_report(out: Path, entries: list[CableReport]) -> None:
    md = build_report(entries, title=f"Review report: {len(entries)} cable(s)")
    write_atomic(out / SET_REPORT_MD, md)
    write_atomic(out / SET_REPORT_HTML, render_html(md, "Review report"))
    print(f"wrote {out / 'report.md'} and {out / 'report.html'}", file=sys.stderr)


def _plan(args: argparse.Namespace) -> ApplyPlan:
    """The command line read: the decisions file, then the rule set (or the suggestions
    file) loaded."""
    reviewer = args.reviewer or getpass.getuser()
    decisions = _load_decisions(args.decisions) if args.decisions else {}
    suggestions_for, rules_sha = _suggestion_source(args)
    settings = {k: v for k, v in (("case_no", args.case_no), ("doc_no", args.doc_no),
                                  ("authority", args.authority)) if v}
    return ApplyPlan(out=Path(args.out), reviewer=reviewer, rules_sha256=rules_sha,
                     suggestions_for=suggestions_for, decisions=decisions,
                     decisions_file=args.decisions, settings=settings,
                     accept_all=args.accept_all, internal_log=args.internal_log,
                     style=args.style, on=args.date, preserve_length=args.preserve_length)


def run(args: argparse.Namespace) -> int:
    plan = _plan(args)
    cables = list(read_cables(args.paths))
    failed = any(c is None for _, c in cables)
    _check_out_folder(plan.out, {p.resolve() for p, _ in cables})
    entries = []
    for path, cable in cables:
        if cable is None:
            continue
        report = _apply_one(path, cable, plan)
        if report is None:
            failed = True
        else:
            entries.append(report)
    if entries:
        _write_set_report(plan.out, entries)
    return Exit.FAILED if failed else Exit.OK
