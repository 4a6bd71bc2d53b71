"""``reviewtool report REVIEW_OR_LOG...``: Markdown or HTML audit report of reviews.

Each argument is a review folder (every review in it), a review store
(``<id>.review.sqlite``) or an audit log (``<id>.audit.jsonl``, read with the store
beside it). One cable gives a cable report; several give a set report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewtool.cli.common import Exit, SubParsers, error
from reviewtool.core.audit import Seal, verify
from reviewtool.core.files import write_atomic
from reviewtool.core.outputs import AUDIT, CableFiles
from reviewtool.core.release.render import render_release
from reviewtool.core.report.cable import cable_report
from reviewtool.core.report.html import render_html
from reviewtool.core.report.markdown import build_report
from reviewtool.core.review.folder import ReviewFolder, open_store
from reviewtool.core.review.outcome import release_input, review_summary
from reviewtool.core.review.seals import find_seal
from reviewtool.errors import ReviewError, ReviewToolError


def register(sub: SubParsers) -> None:
    p = sub.add_parser("report", help="audit report (Markdown or HTML) with a Vaughn index",
                       description="Report on reviews: disposition, counts by code, rule, "
                       "marking and reviewer, time spent, pending items, and a Vaughn index.")
    p.add_argument("paths", nargs="+", metavar="REVIEW_OR_LOG")
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument("--out", metavar="FILE", help="write here (default: stdout)")
    p.add_argument("--title", help="title of a set report")
    p.set_defaults(func=run)


def stores(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = list(ReviewFolder(p).stores())
            if not found:
                raise ReviewError("no reviews in this folder", source=str(p))
            out += found
        elif p.name.endswith(AUDIT):
            out.append(CableFiles.beside(p).store)
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _log_check(log: Path, seal: Seal | None) -> str:
    """What is wrong with the log against its seal ("" if nothing): a report must not
    vouch for a log cut short or edited (the report only reads; it repairs nothing)."""
    res = verify(log, seal)
    if res.ok:
        return ""
    return "does not verify: " + "; ".join(p.message for p in res.problems[:3]) + (
        f"; {len(res.problems) - 3} more" if len(res.problems) > 3 else "")


def run(args: argparse.Namespace) -> int:
    failed = False
    entries = []
    for store in stores(args.paths):
        try:
            review = open_store(store)
        except ReviewToolError as exc:
            error(str(exc))
            failed = True
            continue
        try:
            log = review.audit.path
            seal = find_seal(log)
            checked = _log_check(log, seal[0] if seal else None)
            if checked:
                error(f"{log}: {checked}")
                failed = True
            release = render_release(release_input(review, fuzzy=False))
            name = f"{log.name} ({checked})" if checked else log.name
            entries.append(cable_report(release, review_summary(review), audit_log=name,
                                        seal=seal[0].format() if seal else ""))
        finally:
            review.close()
    if not entries:
        return Exit.FAILED
    md = build_report(entries, title=args.title)
    text = render_html(md, args.title or "Review report") if args.format == "html" else md
    if args.out:
        out = Path(args.out)
        if out.resolve() in {s.resolve() for s in stores(args.paths)} or out.suffix in (
                ".sqlite", ".jsonl"):
            raise ReviewError("refusing to write a report over a review store or log",
                              source=str(out))
        write_atomic(out, text)
    else:
        sys.stdout.write(text)
    return Exit.FAILED if failed else Exit.OK
