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
from datetime import date
from pathlib import Path
from typing import Any

from reviewtool.cli.common import Exit, error, read_cables
from reviewtool.core.cable.parse import Cable
from reviewtool.core.files import write_atomic
from reviewtool.core.finish import finish_review
from reviewtool.core.outputs import SET_REPORT_HTML, SET_REPORT_MD, CableFiles
from reviewtool.core.release.model import STYLES
from reviewtool.core.report.html import render_html
from reviewtool.core.report.markdown import build_report
from reviewtool.core.review.exchange import import_decisions, read_json_file
from reviewtool.core.review.review import Review
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import LeakError, ReviewError, ReviewToolError


def register(sub: argparse._SubParsersAction) -> None:
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


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    reviewer = args.reviewer or getpass.getuser()
    decisions = _load_decisions(args.decisions) if args.decisions else {}
    if args.rules:
        from reviewtool.core.rules.load import load_rules
        from reviewtool.core.suggest.engine import suggest  # lazily: the engine is the heavy part

        ruleset = load_rules(args.rules)
        rules_sha = ruleset.sha256

        def suggestions_for(cable: Cable) -> list[Suggestion]:
            return suggest(cable, ruleset)
    else:
        by_cable, rules_sha = _load_suggestions(args.suggestions)

        def suggestions_for(cable: Cable) -> list[Suggestion]:
            return sorted(by_cable.get(cable.id or "", []), key=lambda s: (s.start, s.end))

    cables = list(read_cables(args.paths))
    failed = any(c is None for _, c in cables)
    inputs = {p.resolve() for p, _ in cables}
    if out.resolve() in inputs or any(out.resolve() == p.parent for p in inputs):
        raise ReviewError("output folder holds input cables; choose another --out",
                          source=str(out))
    entries = []
    for path, cable in cables:
        if cable is None:
            continue
        try:
            review = Review.open(out, cable, suggestions_for(cable), reviewer=reviewer,
                                 rules_sha256=rules_sha, internal_log=args.internal_log)
        except ReviewToolError as exc:
            error(f"{path}: {exc}")
            failed = True
            continue
        try:
            settings = {k: v for k, v in (("case_no", args.case_no), ("doc_no", args.doc_no),
                                          ("authority", args.authority)) if v}
            if settings:
                review.settings.update(settings)
            if cable.id in decisions:
                import_decisions(review, decisions[cable.id])
            if args.accept_all:
                review.accept_all()
            pending = review.pending()
            release_path = CableFiles.of(out, cable).release
            if release_path.resolve() == path.resolve():
                raise ReviewError("output path is the input cable", source=str(path))
            try:
                result = finish_review(review, out, style=args.style, on=args.date,
                                       preserve_length=args.preserve_length,
                                       allow_pending=True, write_report=False)
            except LeakError as exc:
                if release_path.exists():
                    release_path.unlink()  # a stale copy must not pass for this one
                error(f"{path}: {exc}")
                failed = True
                continue
            if pending:
                error(f"{path}: {len(pending)} suggestion(s) left undecided were released "
                      "(listed under Pending items in the report)")
            print(result.summary)
            entries.append(result.report)
        except ReviewToolError as exc:
            error(f"{path}: {exc}")
            failed = True
        finally:
            review.close()
    if entries:
        md = build_report(entries, title=f"Review report: {len(entries)} cable(s)")
        write_atomic(out / SET_REPORT_MD, md)
        write_atomic(out / SET_REPORT_HTML, render_html(md, "Review report"))
        print(f"wrote {out / 'report.md'} and {out / 'report.html'}", file=sys.stderr)
    return Exit.FAILED if failed else Exit.OK
