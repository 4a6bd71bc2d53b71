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
from reviewtool.core.cable.codes import normalize_code
from reviewtool.core.cable.read import read_cable_bytes
from reviewtool.core.review.model import Verdict
from reviewtool.core.review.review import Review
from reviewtool.core.review.store import SCHEMA_VERSION, ts
from reviewtool.errors import CableError, ReviewError


def read_json_file(path: str | Path) -> Any:
    """A JSON file's content; `ReviewError` naming the file (and line:col) otherwise.
    Read as a cable is: a regular file only, within the same size limit."""
    try:
        return json.loads(read_cable_bytes(path).decode("utf-8-sig"))
    except CableError as exc:
        raise ReviewError(exc.message, source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ReviewError(f"not UTF-8 text (byte {exc.start})", source=str(path)) from None
    except RecursionError:
        raise ReviewError("JSON nested too deep", source=str(path)) from None
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


def import_decisions(review: Review, data: dict[str, Any] | str | Path, *,
                     source: str | None = None) -> int:
    """Apply decisions exported by `export_review` (or hand-written in that shape) as
    new actions of ``review``; returns how many were applied. The cable must be the
    same; unknown suggestion ids, unknown exemption codes (``B99``) and values of the
    wrong type are refused, naming the file (``source`` for data already read) and the
    item, before anything is applied."""
    if isinstance(data, str | Path):
        source = str(data)
        data = read_json_file(data)
    if not isinstance(data, dict):
        raise ReviewError("review JSON must be an object", source=source)
    _check_same_review(review, data, source)
    check = _Checker(review, source)
    decisions = [check.decision(i, d) for i, d in enumerate(check.items(data, "decisions"))]
    manual = [check.manual(i, m) for i, m in enumerate(check.items(data, "manual"))]
    dispositions = [check.disposition(i, p)
                    for i, p in enumerate(check.items(data, "dispositions"))]
    settings = data.get("settings")
    if settings is not None and not (isinstance(settings, dict) and all(
            isinstance(k, str) and isinstance(v, str | int | float | bool | None)
            for k, v in settings.items())):
        raise ReviewError("'settings' must be an object of plain values", source=source)
    for sid, verdict, codes, note in decisions:
        if verdict == Verdict.ACCEPT:
            review.accept(sid, codes=codes, note=note)
        else:
            review.reject(sid, note=note)
    for start, end, codes_t, note in manual:
        review.add_manual(start, end, codes_t, note)
    for paragraph, disposition, codes_t in dispositions:
        review.dispose(paragraph, disposition, codes_t)
    if settings:
        review.settings.update(settings)
    return len(decisions) + len(manual) + len(dispositions)


def _check_same_review(review: Review, data: dict[str, Any], source: str | None) -> None:
    """Refuse decisions taken on another cable, another version of it, or other rules."""
    for key in ("cable", "cable_sha256", "rules_sha256"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ReviewError(f"'{key}' must be a string, not {type(data[key]).__name__}",
                              source=source)
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


_Decision = tuple[str, Verdict, "tuple[str, ...] | None", "str | None"]


class _Checker:
    """Each item of a decisions file checked for shape, ids and codes; every problem a
    `ReviewError` naming the file and the item (``decisions[2]``)."""

    def __init__(self, review: Review, source: str | None) -> None:
        self.source = source
        self.known = {s.id for s in review.suggestions}
        self.cable_id = review.cable.id
        self.paragraphs = len(review.cable.paragraphs)
        self.extra = dict(getattr(review.rules, "extra_codes", None) or {})

    def fail(self, where: str, message: str) -> ReviewError:
        return ReviewError(f"{where}: {message}", source=self.source)

    def items(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        got = data.get(key)
        if got is None:
            return []
        if not isinstance(got, list):
            raise self.fail(key, f"must be a list, not {type(got).__name__}")
        for i, item in enumerate(got):
            if not isinstance(item, dict):
                raise self.fail(f"{key}[{i}]", f"must be an object, not {type(item).__name__}")
        return got

    def codes(self, where: str, raw: object) -> tuple[str, ...] | None:
        """Known exemption codes only: an unknown one (``B99``) must never reach the
        stamp; a rule set's own codes (``extra_codes``) are known."""
        if raw is None:
            return None
        if not isinstance(raw, list):
            raise self.fail(where, f"'codes' must be a list, not {type(raw).__name__}")
        out = []
        for c in raw:
            try:
                out.append(normalize_code(c, self.extra))
            except ValueError as exc:
                raise self.fail(where, str(exc)) from None
        return tuple(out)

    def text(self, where: str, item: dict[str, Any], key: str) -> str | None:
        v = item.get(key)
        if v is not None and not isinstance(v, str):
            raise self.fail(where, f"'{key}' must be a string, not {type(v).__name__}")
        return v

    def number(self, where: str, item: dict[str, Any], key: str) -> int:
        v = item.get(key)
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(where, f"'{key}' must be a whole number, not {v!r}")
        return v

    def decision(self, i: int, d: dict[str, Any]) -> _Decision:
        where = f"decisions[{i}]"
        sid = d.get("target") or d.get("id")
        if not isinstance(sid, str) or sid not in self.known:
            raise self.fail(where, f"no suggestion {sid!r} in {self.cable_id}")
        status = d.get("status", Verdict.ACCEPT)
        if status not in (Verdict.ACCEPT, Verdict.REJECT):
            raise self.fail(where, f"{sid}: unknown status {status!r}")
        return (sid, Verdict(status), self.codes(where, d.get("codes")),
                self.text(where, d, "note"))

    def manual(self, i: int, m: dict[str, Any]) -> tuple[int, int, tuple[str, ...],
                                                          str | None]:
        where = f"manual[{i}]"
        codes = self.codes(where, m.get("codes"))
        if not codes:
            raise self.fail(where, "at least one exemption code is required")
        return (self.number(where, m, "start"), self.number(where, m, "end"), codes,
                self.text(where, m, "note"))

    def disposition(self, i: int, p: dict[str, Any]) -> tuple[int, str | None,
                                                               tuple[str, ...]]:
        where = f"dispositions[{i}]"
        paragraph = self.number(where, p, "paragraph")
        if not 0 <= paragraph < self.paragraphs:
            raise self.fail(where, f"no paragraph {paragraph} (the cable has "
                            f"{self.paragraphs})")
        return (paragraph, self.text(where, p, "disposition"),
                self.codes(where, p.get("codes")) or ())
