"""Where a log's seal is recorded: the review store, the release copy, a report.

`reviewtool audit verify` and the report compare a log against the strongest seal found
beside it, so that a log cut short (its last lines removed) is caught.
"""

from __future__ import annotations

from pathlib import Path

from reviewtool.core.audit import SEAL_PREFIX, Seal
from reviewtool.core.outputs import RELEASE, SET_REPORT_MD, CableFiles
from reviewtool.core.review.store import store_seal
from reviewtool.errors import AuditError


def find_seal(path: str | Path) -> tuple[Seal, str] | None:
    """The strongest seal recorded beside ``path`` (``X.audit.jsonl``): the review store
    ``X.review.sqlite``, the release copy ``X.txt``, or a report that names the log.
    Returns the seal with the highest count, and where it was found."""
    p = Path(path)
    files = CableFiles.beside(p)
    found: list[tuple[Seal, str]] = []
    if files.store.exists():
        s = store_seal(files.store)
        if s is not None:
            found.append((s, str(files.store)))
    for candidate in (files.release, files.report_md, p.with_name(SET_REPORT_MD)):
        if not candidate.exists():
            continue
        try:
            body = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in body.splitlines():
            if SEAL_PREFIX in line and (candidate.name.endswith(RELEASE) or p.name in line):
                try:
                    found.append((Seal.parse(line), str(candidate)))
                except AuditError:
                    pass
    if not found:
        return None
    return max(found, key=lambda x: x[0].count)
