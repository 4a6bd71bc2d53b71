"""Decisions as JSON: a review exported whole, and decisions imported into a review.

The format (``reviewtool-review``, version 1) holds the review's identity, settings,
decisions, manual redactions and dispositions, and its audit seal. Importing applies
each as a new action of the review, so the audit log records who imported what.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reviewtool.core.audit import text_sha256
from reviewtool.core.review.model import Verdict
from reviewtool.core.review.review import Review
from reviewtool.core.review.store import SCHEMA_VERSION, ts
from reviewtool.errors import ReviewError


def read_json_file(path: str | Path) -> Any:
    """A JSON file's content; `ReviewError` naming the file (and line:col) otherwise."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReviewError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    except json.JSONDecodeError as exc:
        raise ReviewError(f"not JSON: {exc.msg}", source=str(path), line=exc.lineno,
                          col=exc.colno) from None


def export_review(review: Review) -> dict[str, Any]:
    """The review as a JSON object: identity, settings, decisions, manual
    redactions, dispositions and the audit seal."""
    decisions = []
    for s in review.suggestions:
        d = review.decision(s.id)
        if d is not None:
            decisions.append({"target": s.id, "status": d.status, "codes": list(d.codes),
                              "note": d.note, "reviewer": d.reviewer, "time": ts(d.time),
                              "origin": d.origin, "start": s.start, "end": s.end,
                              "text_sha256": text_sha256(s.text)})
    paragraphs = review.cable.paragraphs
    seal = review.seal
    return {
        "format": "reviewtool-review", "version": SCHEMA_VERSION,
        "cable": review.cable.id, "cable_sha256": review.cable.sha256,
        "rules_sha256": review.rules_sha256, "settings": dict(review.settings),
        "position": review.position,
        "decisions": decisions,
        "manual": [{"id": m.id, "start": m.start, "end": m.end, "codes": list(m.codes),
                    "note": m.note, "reviewer": m.reviewer, "time": ts(m.time),
                    "origin": m.origin} for m in review.manuals()],
        "dispositions": [{"paragraph": i, "number": paragraphs[i].number,
                          "disposition": p.disposition, "codes": list(p.codes),
                          "reviewer": p.reviewer, "time": ts(p.time)}
                         for i in range(len(paragraphs))
                         if (p := review.disposition_record(i)) is not None],
        "audit_seal": {"count": seal.count, "hash": seal.hash},
    }


def import_decisions(review: Review, data: dict[str, Any] | str | Path) -> int:
    """Apply decisions exported by `export_review` (or hand-written in that shape) as
    new actions of ``review``; returns how many were applied. The cable must be the
    same; unknown suggestion ids are refused."""
    source = None
    if isinstance(data, str | Path):
        source = str(data)
        data = read_json_file(data)
    if not isinstance(data, dict):
        raise ReviewError("review JSON must be an object", source=source)
    _check_same_review(review, data, source)
    known = {s.id for s in review.suggestions}
    n = 0
    for d in data.get("decisions", []):
        _apply_decision(review, d, known, source)
        n += 1
    for m in data.get("manual", []):
        review.add_manual(int(m["start"]), int(m["end"]), m["codes"], m.get("note"))
        n += 1
    for p in data.get("dispositions", []):
        review.dispose(int(p["paragraph"]), p["disposition"], p.get("codes", ()))
        n += 1
    if data.get("settings"):
        review.settings.update(data["settings"])
    return n


def _check_same_review(review: Review, data: dict[str, Any], source: str | None) -> None:
    """Refuse decisions taken on another cable, another version of it, or other rules."""
    cable = review.cable
    sha = data.get("cable_sha256")
    if sha and sha != cable.sha256:
        raise ReviewError(f"decisions are for another version of {data.get('cable')} "
                          "(cable sha256 differs)", source=source)
    rules = data.get("rules_sha256")
    if rules and rules != review.rules_sha256:
        raise ReviewError(f"decisions for {data.get('cable')} were taken under other rule "
                          f"sets (sha256 {rules[:12]}..., this review "
                          f"{review.rules_sha256[:12]}...)", source=source)
    if data.get("cable") and cable.id and data["cable"] != cable.id:
        raise ReviewError(f"decisions are for {data['cable']}, not {cable.id}",
                          source=source)


def _apply_decision(review: Review, d: dict[str, Any], known: set[str],
                    source: str | None) -> None:
    sid = d.get("target") or d.get("id")
    if not isinstance(sid, str) or sid not in known:
        raise ReviewError(f"no suggestion {sid!r} in {review.cable.id}", source=source)
    status = d.get("status", Verdict.ACCEPT)
    if status == Verdict.ACCEPT:
        review.accept(sid, codes=d.get("codes"), note=d.get("note"))
    elif status == Verdict.REJECT:
        review.reject(sid, note=d.get("note"))
    else:
        raise ReviewError(f"{sid}: unknown status {status!r}", source=source)
