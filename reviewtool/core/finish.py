"""Finish a review: write its release copy, audit log and report into an output folder.

Order matters for the record: the release copy carries the audit seal as it stood
before it was written; each file written is then logged as an ``output`` event with
its SHA-256; the report carries the seal after the release copy's event; the audit log
is copied out last. If the leak check finds withheld text, nothing is written and
`LeakError` lists every place (the refusal itself is logged).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reviewtool.core.files import make_folder, write_atomic
from reviewtool.core.outputs import CableFiles
from reviewtool.core.release.model import Leak, Release
from reviewtool.core.release.render import render_release
from reviewtool.core.release.write import is_input, leak_error, write_release
from reviewtool.core.report.cable import CableReport, cable_report
from reviewtool.core.report.html import render_html
from reviewtool.core.report.leaks import leak_fields
from reviewtool.core.report.markdown import build_report
from reviewtool.core.review.model import Action
from reviewtool.core.review.outcome import release_input, review_summary
from reviewtool.core.review.review import Review
from reviewtool.errors import ReviewError


@dataclass(frozen=True)
class FinishResult:
    release_path: Path
    audit_path: Path
    report_path: Path | None
    leaks: tuple[Leak, ...]
    summary: str
    release: Release
    report: CableReport


def _remove_stale_copy(path: Path, source: str | None) -> None:
    """A copy an earlier finish wrote must not pass for this refused one (the input cable
    itself is never removed)."""
    if path.exists() and not is_input(path, source):
        path.unlink()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def finish_review(review: Review, out_dir: str | Path, *, style: str = "state",
                  on: date | None = None, preserve_length: bool = False,
                  allow_pending: bool = False, write_report: bool = True) -> FinishResult:
    """Write ``<key>.txt`` (release copy), ``<key>.audit.jsonl`` and, if asked,
    ``<key>.report.md``/``.html`` into ``out_dir``. Refuses (`ReviewError`) while
    suggestions are pending unless ``allow_pending`` (they are then released)."""
    pending = review.pending()
    if pending and not allow_pending:
        raise ReviewError(f"{len(pending)} suggestion(s) in {review.cable.id} still pending "
                          f"(first: {pending[0].id}); decide them before finishing")
    out = make_folder(out_dir, "output folder")
    files = CableFiles.of(out, review.cable)
    release = render_release(release_input(review, style=style, on=on,
                                           preserve_length=preserve_length, seal=review.seal))
    if release.leaks:
        review.log_event(Action.RELEASE_REFUSED, note=f"leak check: {len(release.leaks)} place(s)",
                         leaks=[leak_fields(release, lk) for lk in release.leaks])
        _remove_stale_copy(files.release, review.cable.source)
        raise leak_error(release, review.cable.id)
    release_path = files.release
    write_release(release, release_path, inputs=[review.cable.source], name=review.cable.id)
    review.log_event(Action.OUTPUT, note="release copy", file=release_path.name,
                     sha256=_sha(release.text), stamp=release.stamp, style=style)

    audit_name = files.audit.name
    report = cable_report(release, review_summary(review), audit_log=audit_name,
                          seal=review.seal.format())
    report_path: Path | None = None
    if write_report:
        md = build_report([report])
        report_path = files.report_md
        write_atomic(report_path, md)
        html_path = files.report_html
        write_atomic(html_path, render_html(md, f"Review report: {review.cable.id}"))
        review.log_event(Action.OUTPUT, note="report", file=report_path.name, sha256=_sha(md))

    audit_path = files.audit
    if audit_path.resolve() != review.audit.path.resolve():
        tmp = audit_path.with_name(f".{audit_name}.tmp")
        shutil.copyfile(review.audit.path, tmp)
        tmp.replace(audit_path)
    n_marks = len(release.marks)
    withheld = sum(1 for m in release.marks if m.withheld)
    summary = (f"{review.cable.id}: {release.stamp} ({n_marks} mark(s), {withheld} paragraph(s) "
               f"withheld, {len(release.mirrors)} mirrored, {len(pending)} pending)")
    return FinishResult(release_path, audit_path, report_path, (), summary, release, report)
