"""Review state of one cable: decisions, manual redactions, dispositions, undo and redo.

The store is one SQLite file per cable in a review folder (WAL mode). Every reviewer
action is one event row written in one transaction, together with its audit lines, so a
crash or a kill loses nothing; the state is the replay of the events (undo and redo are
events too, so they survive restarts). The store records the cable's and the rule sets'
SHA-256 and refuses, with a `ReviewError` naming what changed, to mix them.
The clock and the reviewer are passed in; nothing here reads the wall clock by itself
except the default ``clock`` at `Review.open`.
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reviewtool.core.audit import GENESIS, AuditLog, Seal, text_sha256
from reviewtool.core.cable.codes import normalize_code, sort_codes
from reviewtool.core.cable.model import Cable
from reviewtool.core.files import write_atomic
from reviewtool.core.outputs import AUDIT, FOLDER_STATE, STORE, CableFiles, cable_key, key_of
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import ReviewError

SCHEMA_VERSION = 1
DISPOSITIONS = ("release", "part", "withhold")
STATUSES = ("to review", "released", "in part", "withheld")
IDLE_CAP = timedelta(minutes=10)  # a gap longer than this between actions is not work time

DEFAULT_SETTINGS: dict[str, Any] = {
    "case_no": "",
    "doc_no": "",
    "authority": "",
    "banner": "{classification} U.S. Department of State Case No. {case_no} "
              "Doc No. {doc_no} Date: {date} Reviewer: {reviewer}",
    "date_format": "%m/%d/%Y",
}

Clock = Callable[[], datetime]
# The suggestions a review begins with, or a function computing them (called only when
# the review is created: a resumed review keeps its stored ones).
SuggestionSource = Sequence[Suggestion] | Callable[[], Sequence[Suggestion]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- model


def read_json_file(path: str | Path) -> Any:
    """A JSON file's content; `ReviewError` naming the file (and line:col) otherwise."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReviewError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    except json.JSONDecodeError as exc:
        raise ReviewError(f"not JSON: {exc.msg}", source=str(path), line=exc.lineno,
                          col=exc.colno) from None


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision on a suggestion (``accept``/``reject``) or a manual redaction (always
    ``accept``). ``origin`` is the suggestion whose "same everywhere" produced it."""

    target: str
    status: str
    codes: tuple[str, ...]
    note: str | None
    reviewer: str
    time: datetime
    origin: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status == "accept"


@dataclass(frozen=True, slots=True)
class Redaction:
    """A span to withhold. ``kind``: ``suggestion`` (accepted), ``manual``, ``paragraph``
    (a withheld paragraph) or ``mirror`` (release.py: the same text in header or
    duplicate). ``reason`` is the justification: the reviewer's note, else the rules'."""

    id: str
    kind: str
    start: int
    end: int
    codes: tuple[str, ...]
    paragraph: int | None
    reason: str
    rules: tuple[str, ...] = ()
    note: str | None = None
    reviewer: str | None = None
    time: datetime | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Manual:
    id: str
    start: int
    end: int
    codes: tuple[str, ...]
    note: str | None
    reviewer: str
    time: datetime
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Disposition:
    paragraph: int
    disposition: str
    codes: tuple[str, ...]
    reviewer: str
    time: datetime


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded action: ``seq``, ``time``, ``reviewer``, ``action``, ``target``,
    ``changes`` (key, before, after) and for undo/redo the ``ref`` of the action."""

    seq: int
    time: datetime
    reviewer: str
    action: str
    target: str | None
    changes: tuple[tuple[str, Any, Any], ...]
    ref: int | None = None


def normalize_text(s: str) -> str:
    """Case- and whitespace-insensitive form (line breaks and the ``\\`` line ends of
    database exports count as whitespace)."""
    return re.sub(r"[\s\\]+", " ", s).strip().casefold()


def occurrence_pattern(text: str) -> re.Pattern[str] | None:
    """A regex for ``text`` that ignores case and lets any run of whitespace (or a
    line break) stand for any other; word characters at the edges must be whole."""
    words = [w for w in re.split(r"[\s\\]+", text.strip()) if w]
    if not words:
        return None
    body = r"[\s\\]+".join(re.escape(w) for w in words)
    lead = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    tail = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(lead + body + tail, re.I)


# --------------------------------------------------------------------------- store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS suggestions (
    pos INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, time TEXT NOT NULL, reviewer TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT, changes TEXT NOT NULL, ref INTEGER);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, line TEXT NOT NULL,
    hash TEXT NOT NULL);
"""


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(_SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise ReviewError(f"not a review store: {exc}", source=str(path)) from None
    return db


def store_seal(path: str | Path) -> Seal | None:
    """The audit seal recorded in a review store (the last audit line), or ``None``."""
    try:
        db = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return Seal(row[0], row[1]) if row else None


def _ts(t: datetime) -> str:
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_ts(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


class _Settings(dict):  # type: ignore[type-arg]
    """A dict that writes itself to the store whenever it changes."""

    def __init__(self, data: dict[str, Any], save: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(data)
        self._save = save

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._save(dict(self))

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._save(dict(self))

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().update(*args, **kwargs)
        self._save(dict(self))


# --------------------------------------------------------------------------- review


class Review:
    """The review of one cable. Open with `Review.open` (or `ReviewFolder.open`)."""

    def __init__(self, *, folder: Path, cable: Cable, suggestions: Sequence[Suggestion],
                 reviewer: str, rules_sha256: str, clock: Clock, rules: Any,
                 db: sqlite3.Connection, audit: AuditLog) -> None:
        self.folder = folder
        self.cable = cable
        # `Cable.sha256` hashes the whole text on each call: once here, not per audit line.
        self.cable_sha256 = cable.sha256
        self.suggestions: list[Suggestion] = list(suggestions)
        self.reviewer = reviewer
        self.rules_sha256 = rules_sha256
        self.rules = rules
        self.clock = clock
        self.audit = audit
        self._db = db
        self._by_id = {s.id: s for s in self.suggestions}
        self._cache: dict[str, Any] = {}  # derived views; cleared whenever state changes
        self._state: dict[str, Any] = {}
        self._done: list[int] = []
        self._undone: list[int] = []
        self._events: list[Event] = []
        self.suggestions_changed = False
        self.resumed = False  # true when `open` found the review begun (and resumed it)

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, review_dir: str | Path, cable: Cable, suggestions: SuggestionSource, *,
             reviewer: str, rules_sha256: str, clock: Clock | None = None,
             rules: Any = None, internal_log: bool = False) -> Review:
        """Create the review of ``cable`` in ``review_dir``, or resume it.

        Raises `ReviewError` if the cable or the rule sets changed since the review began.
        On resume the stored suggestions are kept (decisions refer to them);
        ``suggestions_changed`` tells whether the ones given differ. ``suggestions`` may
        also be a function returning them (e.g. running the engine): it is called only
        when the review is created, so resuming a store whose cable and rule sets match
        does not run the engine at all (``suggestions_changed`` is then false: nothing
        was given to compare; ``resumed`` tells the two cases apart).
        """
        if not reviewer or not reviewer.strip():
            raise ReviewError("a reviewer name is required")
        folder = Path(review_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReviewError(f"cannot create review folder: {exc.strerror or exc}",
                              source=str(folder)) from None
        key = cable_key(cable)
        files = CableFiles(folder, key)
        path = files.store
        db = _connect(path)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        audit = AuditLog(files.audit, internal=internal_log)
        given = None if callable(suggestions) else suggestions
        self = cls(folder=folder, cable=cable, suggestions=given or (), reviewer=reviewer.strip(),
                   rules_sha256=rules_sha256, clock=clock or _utc_now, rules=rules, db=db,
                   audit=audit)
        self.path = path
        try:
            self._load(meta, path, suggestions)
        except BaseException:
            db.close()
            raise
        return self

    def _load(self, meta: dict[str, str], path: Path, suggestions: SuggestionSource) -> None:
        db = self._db
        if not meta:
            if callable(suggestions):  # a new review: now the suggestions are needed
                self.suggestions = list(suggestions())
                self._by_id = {s.id: s for s in self.suggestions}
            self._create(meta_settings=DEFAULT_SETTINGS)
        else:
            self._check(meta, path)
            self.resumed = True
            stored = [Suggestion.from_json(json.loads(d)) for (d,) in
                      db.execute("SELECT data FROM suggestions ORDER BY pos")]
            if not callable(suggestions):
                given = [(s.id, s.start, s.end) for s in suggestions]
                self.suggestions_changed = given != [(s.id, s.start, s.end) for s in stored]
            self.suggestions = stored
            self._by_id = {s.id: s for s in stored}
            self._cache.clear()
            self._replay()
            self._sync_audit_file()

    def _create(self, meta_settings: dict[str, Any]) -> None:
        db = self._db
        now = self.clock()
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = {
                "schema": str(SCHEMA_VERSION), "cable_id": self.cable.id or "",
                "cable_sha256": self.cable_sha256, "rules_sha256": self.rules_sha256,
                "created": _ts(now), "created_by": self.reviewer, "position": "0",
                "settings": json.dumps(meta_settings), "next_manual": "1",
                "source": self.cable.source or "", "cable_text": self.cable.text,
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
            db.executemany("INSERT INTO suggestions VALUES (?, ?, ?)",
                           [(i, s.id, json.dumps(s.to_json())) for i, s in
                            enumerate(self.suggestions)])
            events = [self._audit_event(now, "open", None, note=f"{len(self.suggestions)} "
                                        "suggestions")]
            events += [self._audit_event(now, "suggested", s.id) for s in self.suggestions]
            lines = self._insert_audit(events)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.audit.write_lines(lines)

    def _check(self, meta: dict[str, str], path: Path) -> None:
        if int(meta.get("schema", "0")) != SCHEMA_VERSION:
            raise ReviewError(f"review store schema {meta.get('schema')} is not "
                              f"{SCHEMA_VERSION}", source=str(path))
        name = self.cable.id or cable_key(self.cable)
        if meta["cable_sha256"] != self.cable_sha256:
            raise ReviewError(
                f"cable {name} changed since the review began (sha256 "
                f"{meta['cable_sha256'][:12]}... then, {self.cable_sha256[:12]}... now); "
                "review the new text in a new folder",
                source=str(path))
        if meta["rules_sha256"] != self.rules_sha256:
            raise ReviewError(
                f"rule sets changed since the review of {name} began (sha256 "
                f"{meta['rules_sha256'][:12]}... then, {self.rules_sha256[:12]}... now); "
                "use the rules it began with, or review again in a new folder",
                source=str(path))

    def _sync_audit_file(self) -> None:
        """Append audit lines committed to the store but not yet in the file (a kill
        between commit and append). A file that disagrees is left for `verify`."""
        seal = self.audit.seal
        rows = self._db.execute("SELECT seq, line, hash FROM audit WHERE seq > ? ORDER BY seq",
                                (seal.count,)).fetchall()
        if not rows:
            return
        prev = GENESIS if seal.count == 0 else self._db.execute(
            "SELECT hash FROM audit WHERE seq = ?", (seal.count,)).fetchone()
        if seal.count and (prev is None or prev[0] != seal.hash):
            return
        self.audit.write_lines([r[1] for r in rows])
        self.audit._seal = Seal(rows[-1][0], rows[-1][2])

    def close(self) -> None:
        try:
            self._db.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ meta

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def position(self) -> int:
        return int(self._meta("position") or 0)

    @position.setter
    def position(self, index: int) -> None:
        n = len(self.cable.paragraphs)
        self._set_meta("position", str(max(0, min(int(index), max(n - 1, 0)))))

    @property
    def settings(self) -> dict[str, Any]:
        data = {**DEFAULT_SETTINGS, **json.loads(self._meta("settings") or "{}")}
        return _Settings(data, lambda d: self._set_meta("settings", json.dumps(d)))

    @settings.setter
    def settings(self, value: dict[str, Any]) -> None:
        self._set_meta("settings", json.dumps({**DEFAULT_SETTINGS, **value}))

    @property
    def created(self) -> datetime:
        return _parse_ts(self._meta("created") or _ts(self.clock()))

    @property
    def seal(self) -> Seal:
        row = self._db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return Seal(row[0], row[1]) if row else Seal(0, GENESIS)

    # ------------------------------------------------------------------ state

    def _replay(self) -> None:
        self._state.clear()
        self._done.clear()
        self._undone.clear()
        self._events.clear()
        for seq, t, who, action, target, changes, ref in self._db.execute(
                "SELECT seq, time, reviewer, action, target, changes, ref FROM events "
                "ORDER BY seq"):
            ev = Event(seq, _parse_ts(t), who, action, target,
                       tuple((c[0], c[1], c[2]) for c in json.loads(changes)), ref)
            self._apply(ev)

    def _apply(self, ev: Event) -> None:
        self._cache.pop("spans", None)
        for key, _before, after in ev.changes:
            if after is None:
                self._state.pop(key, None)
            else:
                self._state[key] = after
        if ev.action == "undo":
            if self._done and self._done[-1] == ev.ref:
                self._undone.append(self._done.pop())
        elif ev.action == "redo":
            if self._undone and self._undone[-1] == ev.ref:
                self._done.append(self._undone.pop())
        elif ev.changes:
            self._done.append(ev.seq)
            self._undone.clear()
        self._events.append(ev)

    def _record(self, action: str, target: str | None, changes: list[tuple[str, Any, Any]],
                audit: list[dict[str, Any]], *, ref: int | None = None,
                meta: dict[str, str] | None = None) -> Event:
        """Write one event and its audit lines in one transaction, then update memory."""
        db = self._db
        now = self.clock()
        db.execute("BEGIN IMMEDIATE")
        try:
            cur = db.execute(
                "INSERT INTO events (time, reviewer, action, target, changes, ref) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_ts(now), self.reviewer, action, target, json.dumps(changes), ref))
            seq = int(cur.lastrowid or 0)
            for k, v in (meta or {}).items():
                self._set_meta(k, v)
            for a in audit:
                a.setdefault("time", _ts(now))
            lines = self._insert_audit(audit)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.audit.write_lines(lines)
        if lines:
            last = json.loads(lines[-1])
            self.audit._seal = Seal(last["seq"], last["hash"])
        ev = Event(seq, now, self.reviewer, action, target,
                   tuple((c[0], c[1], c[2]) for c in changes), ref)
        self._apply(ev)
        return ev

    def _insert_audit(self, events: list[dict[str, Any]]) -> list[str]:
        row = self._db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seal = Seal(row[0], row[1]) if row else Seal(0, GENESIS)
        lines = []
        for ev in events:
            line, h = self.audit.prepare(ev, seal)
            seal = Seal(seal.count + 1, h)
            self._db.execute("INSERT INTO audit VALUES (?, ?, ?)", (seal.count, line, h))
            lines.append(line)
        return lines

    def _audit_event(self, now: datetime | None, action: str, target: str | None, *,
                     start: int | None = None, end: int | None = None,
                     codes: Sequence[str] | None = None, note: str | None = None,
                     paragraph: int | None = None, rule: str | None = None,
                     **extra: Any) -> dict[str, Any]:
        s = self._by_id.get(target or "")
        if s is not None:
            start = s.start if start is None else start
            end = s.end if end is None else end
            codes = s.codes if codes is None else codes
            paragraph = s.paragraph if paragraph is None else paragraph
            rule = rule or ",".join(s.rules) or None
        if paragraph is None and start is not None:
            p = self.cable.paragraph_at(start)
            paragraph = p.index if p else None
        para = self.cable.paragraphs[paragraph] if paragraph is not None else None
        ev: dict[str, Any] = {
            "reviewer": self.reviewer, "action": action, "target": target,
            "cable": self.cable.id, "cable_sha256": self.cable_sha256,
            "rules_sha256": self.rules_sha256, "rule": rule,
            "paragraph": para.label if para else None,
            "span": [start, end] if start is not None and end is not None else None,
            "codes": list(codes) if codes is not None else None, "note": note,
        }
        if now is not None:
            ev["time"] = _ts(now)
        if start is not None and end is not None:
            ev["text"] = self.cable.text[start:end]  # AuditLog keeps only its hash by default
        ev.update(extra)
        return {k: v for k, v in ev.items() if v is not None}

    def log_event(self, action: str, *, note: str | None = None, **fields: Any) -> Seal:
        """Record an audit-only event (e.g. ``output`` written, with ``sha256`` of the
        file); returns the new seal."""
        db = self._db
        now = self.clock()
        ev = self._audit_event(now, action, None, note=note)
        ev.update({k: v for k, v in fields.items() if v is not None})
        db.execute("BEGIN IMMEDIATE")
        try:
            lines = self._insert_audit([ev])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.audit.write_lines(lines)
        last = json.loads(lines[-1])
        self.audit._seal = Seal(last["seq"], last["hash"])
        return self.audit.seal

    # ------------------------------------------------------------------ queries

    def suggestion(self, sid: str) -> Suggestion:
        try:
            return self._by_id[sid]
        except KeyError:
            raise ReviewError(f"no suggestion {sid!r} in the review of "
                              f"{self.cable.id}") from None

    def decision(self, target_id: str) -> Decision | None:
        """The decision on a suggestion or manual redaction; ``None`` = pending."""
        if target_id.startswith("m") and f"m:{target_id}" in self._state:
            m = self._manual(target_id)
            return Decision(m.id, "accept", m.codes, m.note, m.reviewer, m.time, m.origin)
        d = self._state.get(f"d:{target_id}")
        if d is None:
            return None
        return Decision(target_id, d["status"], tuple(d["codes"]), d.get("note"),
                        d["reviewer"], _parse_ts(d["time"]), d.get("origin"))

    def _manual(self, mid: str) -> Manual:
        m = self._state.get(f"m:{mid}")
        if m is None:
            raise ReviewError(f"no manual redaction {mid!r}")
        return Manual(mid, m["start"], m["end"], tuple(m["codes"]), m.get("note"),
                      m["reviewer"], _parse_ts(m["time"]), m.get("origin"))

    def manuals(self) -> list[Manual]:
        ids = [k[2:] for k in self._state if k.startswith("m:")]
        return sorted((self._manual(i) for i in ids), key=lambda m: (m.start, m.end, m.id))

    def disposition(self, paragraph_index: int) -> str | None:
        d = self._state.get(f"p:{paragraph_index}")
        return d["disposition"] if d else None

    def disposition_record(self, paragraph_index: int) -> Disposition | None:
        d = self._state.get(f"p:{paragraph_index}")
        if d is None:
            return None
        return Disposition(paragraph_index, d["disposition"], tuple(d["codes"]),
                           d["reviewer"], _parse_ts(d["time"]))

    def paragraph_suggestions(self, paragraph_index: int) -> list[Suggestion]:
        by_par = self._cache.get("by_par")
        if by_par is None:
            by_par = self._cache["by_par"] = {}
            for s in self.suggestions:
                by_par.setdefault(s.paragraph, []).append(s)
        return list(by_par.get(paragraph_index, ()))

    def paragraph_status(self, paragraph_index: int) -> str:
        """``withheld``/``released``/``in part`` by the paragraph's disposition; without
        one, ``to review`` while a suggestion in it is pending, else ``in part`` if
        something in it is withheld, else ``released`` once its suggestions are all
        decided; a paragraph with neither suggestions nor a decision is ``to review``."""
        disp = self.disposition(paragraph_index)
        if disp == "withhold":
            return "withheld"
        if disp == "release":  # withholding wins over a stale "release in full"
            return "in part" if paragraph_index in self._held_paragraphs() else "released"
        if disp == "part":
            return "in part"
        suggestions = self.paragraph_suggestions(paragraph_index)
        if any(f"d:{s.id}" not in self._state for s in suggestions):
            return "to review"
        if paragraph_index in self._held_paragraphs():
            return "in part"
        # Nothing suggested and nothing decided: the reviewer has not looked at it yet.
        return "released" if suggestions else "to review"

    def _held_paragraphs(self) -> set[int]:
        """Indices of the paragraphs a withheld span touches."""
        held = self._cache.get("held")
        if held is None or self._cache.get("held_of") is not self._span_redactions():
            pars = self.cable.paragraphs
            starts = [p.start for p in pars]
            held = set()
            for r in self._span_redactions():
                i = max(bisect.bisect_right(starts, r.start) - 1, 0)
                while i < len(pars) and pars[i].start < r.end:
                    if pars[i].end > r.start:
                        held.add(i)
                    i += 1
            self._cache["held"], self._cache["held_of"] = held, self._span_redactions()
        return held

    def _settled(self, s: Suggestion) -> bool:
        if f"d:{s.id}" in self._state:
            return True
        return s.paragraph is not None and self.disposition(s.paragraph) in ("withhold",
                                                                           "release")

    def pending(self) -> list[Suggestion]:
        """Suggestions still to decide (those in a withheld paragraph are settled by it)."""
        return [s for s in self.suggestions if not self._settled(s)]

    def progress(self) -> tuple[int, int]:
        total = len(self.suggestions)
        return total - len(self.pending()), total

    def _codes_for(self, sid: str) -> tuple[str, ...]:
        o = self._state.get(f"o:{sid}")
        return tuple(o["codes"]) if o and o.get("codes") is not None else self._by_id[sid].codes

    def _span_redactions(self) -> list[Redaction]:
        cached = self._cache.get("spans")
        if cached is not None:
            return cached
        out = []
        for s in self.suggestions:
            d = self.decision(s.id)
            if d is None or not d.accepted:
                continue
            reason = d.note or "; ".join(dict.fromkeys(c.reason for c in s.contributions
                                                      if c.reason)) or s.explain()
            out.append(Redaction(s.id, "suggestion", s.start, s.end, d.codes, s.paragraph,
                                 reason, s.rules, d.note, d.reviewer, d.time, d.origin))
        for m in self.manuals():
            p = self.cable.paragraph_at(m.start)
            reason = m.note or ""
            if not reason and m.origin and m.origin in self._by_id:
                src = self._by_id[m.origin]
                reason = "; ".join(dict.fromkeys(c.reason for c in src.contributions
                                                 if c.reason))
                reason = f"same text as {m.origin}" + (f": {reason}" if reason else "")
            rules = self._by_id[m.origin].rules if m.origin in self._by_id else ()
            out.append(Redaction(m.id, "manual", m.start, m.end, m.codes,
                                 p.index if p else None, reason or "manual redaction", rules,
                                 m.note, m.reviewer, m.time, m.origin))
        self._cache["spans"] = out
        return out

    def redactions(self) -> list[Redaction]:
        """Accepted suggestions, manual redactions and withheld paragraphs, by start.
        (A span accepted after its paragraph was released in full is still withheld.)"""
        out = list(self._span_redactions())
        for key, d in self._state.items():
            if not key.startswith("p:") or d["disposition"] != "withhold":
                continue
            i = int(key[2:])
            p = self.cable.paragraphs[i]
            out.append(Redaction(f"p{i}", "paragraph", p.text_start, p.end, tuple(d["codes"]),
                                 i, d.get("note") or "paragraph withheld in full", (),
                                 d.get("note"), d["reviewer"], _parse_ts(d["time"])))
        return sorted(out, key=lambda r: (r.start, r.end, r.id))

    def events(self) -> list[Event]:
        return list(self._events)

    def time_spent(self) -> timedelta:
        """Work time: the gaps between consecutive actions, each capped at `IDLE_CAP`."""
        times = [self.created] + [e.time for e in self._events]
        total = timedelta()
        for a, b in zip(times, times[1:], strict=False):
            total += min(max(b - a, timedelta()), IDLE_CAP)
        return total

    def reviewers(self) -> list[str]:
        return sorted({e.reviewer for e in self._events} | {self._meta("created_by") or ""}
                      - {""})

    # ------------------------------------------------------------------ actions

    def _decision_change(self, sid: str, status: str, codes: Sequence[str] | None,
                         note: str | None, origin: str | None = None,
                         now: datetime | None = None) -> tuple[str, Any, Any]:
        key = f"d:{sid}"
        before = self._state.get(key)
        codes_t = tuple(codes) if codes is not None else self._codes_for(sid)
        if note is None:
            o = self._state.get(f"o:{sid}")
            note = (o or {}).get("note") or (before or {}).get("note")
        after = {"status": status, "codes": list(codes_t), "note": note,
                 "reviewer": self.reviewer, "time": _ts(now or self.clock()), "origin": origin}
        return key, before, after

    def accept(self, sid: str, *, codes: Sequence[str] | None = None,
               note: str | None = None) -> list[str]:
        """Accept a suggestion (with the reviewer's codes, if given). Returns ``[sid]``."""
        s = self.suggestion(sid)
        codes = _check_codes(codes)
        ch = self._decision_change(sid, "accept", codes, note)
        self._record("accept", sid, [ch], [self._audit_event(
            None, "accept", sid, codes=ch[2]["codes"], note=ch[2]["note"],
            paragraph=s.paragraph)])
        return [sid]

    def reject(self, sid: str, *, note: str | None = None) -> list[str]:
        s = self.suggestion(sid)
        ch = self._decision_change(sid, "reject", None, note)
        self._record("reject", sid, [ch], [self._audit_event(
            None, "reject", sid, note=ch[2]["note"], paragraph=s.paragraph)])
        return [sid]

    def accept_all(self, sids: Sequence[str] | None = None, *,
                   note: str | None = None) -> list[str]:
        """Accept the given suggestions (default: every pending one) in one transaction
        and one undo step, each recorded as its own decision (for batch use)."""
        ids = [s.id for s in self.pending()] if sids is None else list(sids)
        if not ids:
            return []
        now = self.clock()
        changes, audit = [], []
        for sid in ids:
            s = self.suggestion(sid)
            ch = self._decision_change(sid, "accept", None, note, now=now)
            changes.append(ch)
            audit.append(self._audit_event(None, "accept", sid, codes=ch[2]["codes"],
                                           note=ch[2]["note"], paragraph=s.paragraph))
        self._record("accept_all", None, changes, audit)
        return ids

    def occurrences(self, text: str) -> list[tuple[int, int]]:
        """Every occurrence of ``text`` (case- and whitespace-insensitive, whole words)
        in the cable's paragraphs."""
        pat = occurrence_pattern(text)
        if pat is None:
            return []
        out = []
        for p in self.cable.paragraphs:
            out += [(m.start(), m.end()) for m in pat.finditer(self.cable.text, p.start, p.end)]
        return out

    def accept_everywhere(self, sid: str, *, codes: Sequence[str] | None = None,
                          note: str | None = None) -> list[str]:
        """Accept ``sid`` and every occurrence of its text in the paragraphs, each as its
        own decision: the suggestion at that place if there is one, else a manual
        redaction. Occurrences already withheld are left alone. One transaction, one
        undo step. Returns the ids decided, ``sid`` first."""
        s = self.suggestion(sid)
        codes = _check_codes(codes)
        codes_t = tuple(codes) if codes is not None else self._codes_for(sid)
        now = self.clock()
        changes = [self._decision_change(sid, "accept", codes_t, note, now=now)]
        audit = [self._audit_event(None, "accept", sid, codes=codes_t, note=changes[0][2]["note"],
                                   paragraph=s.paragraph)]
        ids = [sid]
        accepted = [(r.start, r.end) for r in self._span_redactions()] + [(s.start, s.end)]
        next_manual = int(self._meta("next_manual") or 1)
        target_norm = normalize_text(s.text)
        for start, end in self.occurrences(s.text):
            if any(a <= start and end <= b for a, b in accepted):
                continue
            same = [o for o in self.suggestions if o.id != sid and o.start == start
                    and o.end == end]
            if not same:
                same = [o for o in self.suggestions if o.id != sid and o.start <= start
                        and end <= o.end and normalize_text(o.text) == target_norm]
            if same:
                o = same[0]
                ch = self._decision_change(o.id, "accept", codes_t, note, origin=sid, now=now)
                changes.append(ch)
                audit.append(self._audit_event(None, "accept", o.id, codes=codes_t, note=note,
                                               origin=sid))
                ids.append(o.id)
            else:
                mid = f"m{next_manual}"
                next_manual += 1
                m = {"start": start, "end": end, "codes": list(codes_t), "note": note,
                     "reviewer": self.reviewer, "time": _ts(now), "origin": sid}
                changes.append((f"m:{mid}", None, m))
                audit.append(self._audit_event(None, "manual", mid, start=start, end=end,
                                               codes=codes_t, note=note, origin=sid))
                ids.append(mid)
            accepted.append((start, end))
        self._record("accept_everywhere", sid, changes, audit,
                     meta={"next_manual": str(next_manual)})
        return ids

    def set_codes(self, target_id: str, codes: Sequence[str]) -> None:
        """Change the codes of a decision, a manual redaction, a withheld paragraph
        (``p3``) or, before it is decided, of a suggestion."""
        codes = _check_codes(codes, required=True)
        self._modify(target_id, "codes", list(codes), "set_codes")

    def set_note(self, target_id: str, note: str | None) -> None:
        self._modify(target_id, "note", note or None, "set_note")

    def _modify(self, target_id: str, field_: str, value: Any, action: str) -> None:
        if target_id.startswith("m") and f"m:{target_id}" in self._state:
            key = f"m:{target_id}"
        elif re.fullmatch(r"p\d+", target_id) and f"p:{target_id[1:]}" in self._state:
            key = f"p:{target_id[1:]}"
        elif f"d:{target_id}" in self._state:
            key = f"d:{target_id}"
        else:
            self.suggestion(target_id)
            key = f"o:{target_id}"
        before = self._state.get(key)
        after = {**(before or {}), field_: value}
        audit = self._audit_event(None, action, target_id,
                                  codes=value if field_ == "codes" else None,
                                  note=value if field_ == "note" else None,
                                  **self._span_of(key))
        self._record(action, target_id, [(key, before, after)], [audit])

    def _span_of(self, key: str) -> dict[str, Any]:
        d = self._state.get(key) or {}
        if key.startswith("m:"):
            return {"start": d["start"], "end": d["end"]}
        if key.startswith("p:"):
            p = self.cable.paragraphs[int(key[2:])]
            return {"start": p.text_start, "end": p.end, "paragraph": p.index}
        return {}

    def add_manual(self, start: int, end: int, codes: Sequence[str],
                   note: str | None = None) -> str:
        """Withhold any span of the cable text; returns its id (``m1``, ``m2``, ...)."""
        n = len(self.cable.text)
        if not (0 <= start < end <= n):
            raise ReviewError(f"span ({start}, {end}) is not inside the cable text (0-{n})")
        if not self.cable.text[start:end].strip():
            raise ReviewError(f"span ({start}, {end}) holds only whitespace")
        codes = _check_codes(codes, required=True)
        next_manual = int(self._meta("next_manual") or 1)
        mid = f"m{next_manual}"
        now = self.clock()
        m = {"start": start, "end": end, "codes": list(codes), "note": note,
             "reviewer": self.reviewer, "time": _ts(now), "origin": None}
        self._record("manual", mid, [(f"m:{mid}", None, m)], [self._audit_event(
            None, "manual", mid, start=start, end=end, codes=codes, note=note)],
            meta={"next_manual": str(next_manual + 1)})
        return mid

    def remove_manual(self, mid: str) -> None:
        m = self._manual(mid)
        self._record("remove_manual", mid, [(f"m:{mid}", self._state[f"m:{mid}"], None)],
                     [self._audit_event(None, "remove_manual", mid, start=m.start, end=m.end,
                                        codes=m.codes)])

    def dispose(self, paragraph_index: int, disposition: str | None,
                codes: Sequence[str] = ()) -> None:
        """Set a paragraph's disposition: ``release`` (in full: refused while something in
        it is withheld), ``part``, ``withhold`` (with codes: given, else those of its
        suggestions) or ``None`` to clear it."""
        if not 0 <= paragraph_index < len(self.cable.paragraphs):
            raise ReviewError(f"no paragraph {paragraph_index} (the cable has "
                              f"{len(self.cable.paragraphs)})")
        if disposition is not None and disposition not in DISPOSITIONS:
            raise ReviewError(f"unknown disposition {disposition!r} "
                              f"(one of {', '.join(DISPOSITIONS)})")
        p = self.cable.paragraphs[paragraph_index]
        codes_t = tuple(codes)
        if disposition == "release":
            held = [r.id for r in self._span_redactions() if r.start < p.end and r.end > p.start]
            if held:
                raise ReviewError(f"{p.label} cannot be released in full: "
                                  f"{', '.join(held)} withheld in it (reject or undo first)")
        if disposition == "withhold" and not codes_t:
            found: dict[str, None] = {}
            for s in self.paragraph_suggestions(paragraph_index):
                d = self.decision(s.id)
                if d is None or d.accepted:
                    found.update(dict.fromkeys(d.codes if d else s.codes))
            codes_t = sort_codes(found)
            if not codes_t:
                raise ReviewError(f"withholding {p.label} needs exemption codes")
        codes_t = _check_codes(codes_t) or ()
        key = f"p:{paragraph_index}"
        before = self._state.get(key)
        after = None if disposition is None else {
            "disposition": disposition, "codes": list(codes_t), "reviewer": self.reviewer,
            "time": _ts(self.clock())}
        self._record("dispose", f"p{paragraph_index}", [(key, before, after)], [
            self._audit_event(None, "dispose", f"p{paragraph_index}", paragraph=paragraph_index,
                              codes=codes_t or None, disposition=disposition or "cleared")])

    def undo(self) -> bool:
        """Undo the last action (an accept-everywhere is one action). False if none."""
        if not self._done:
            return False
        ref = self._done[-1]
        ev = next(e for e in reversed(self._events) if e.seq == ref)
        inverse = [(k, a, b) for k, b, a in reversed(ev.changes)]
        self._record("undo", ev.target, inverse, [self._audit_event(
            None, "undo", ev.target, undone=ev.action, undone_event=ref)], ref=ref)
        return True

    def redo(self) -> bool:
        if not self._undone:
            return False
        ref = self._undone[-1]
        ev = next(e for e in reversed(self._events) if e.seq == ref)
        self._record("redo", ev.target, list(ev.changes), [self._audit_event(
            None, "redo", ev.target, redone=ev.action, redone_event=ref)], ref=ref)
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    # ------------------------------------------------------------------ JSON

    def export_json(self) -> dict[str, Any]:
        """The review as a JSON object: identity, settings, decisions, manual
        redactions, dispositions and the event history."""
        decisions = []
        for s in self.suggestions:
            d = self.decision(s.id)
            if d is not None:
                decisions.append({"target": s.id, "status": d.status, "codes": list(d.codes),
                                  "note": d.note, "reviewer": d.reviewer, "time": _ts(d.time),
                                  "origin": d.origin, "start": s.start, "end": s.end,
                                  "text_sha256": text_sha256(s.text)})
        return {
            "format": "reviewtool-review", "version": SCHEMA_VERSION,
            "cable": self.cable.id, "cable_sha256": self.cable.sha256,
            "rules_sha256": self.rules_sha256, "settings": dict(self.settings),
            "position": self.position,
            "decisions": decisions,
            "manual": [{"id": m.id, "start": m.start, "end": m.end, "codes": list(m.codes),
                        "note": m.note, "reviewer": m.reviewer, "time": _ts(m.time),
                        "origin": m.origin} for m in self.manuals()],
            "dispositions": [{"paragraph": i, "number": self.cable.paragraphs[i].number,
                              "disposition": d.disposition, "codes": list(d.codes),
                              "reviewer": d.reviewer, "time": _ts(d.time)}
                             for i in range(len(self.cable.paragraphs))
                             if (d := self.disposition_record(i)) is not None],
            "audit_seal": {"count": self.seal.count, "hash": self.seal.hash},
        }

    def import_json(self, data: dict[str, Any] | str | Path) -> int:
        """Apply decisions exported by `export_json` (or hand-written in that shape) as
        new actions of this review; returns how many were applied. The cable must be
        the same; unknown suggestion ids are refused."""
        source = None
        if isinstance(data, str | Path):
            source = str(data)
            data = read_json_file(data)
        if not isinstance(data, dict):
            raise ReviewError("review JSON must be an object", source=source)
        sha = data.get("cable_sha256")
        if sha and sha != self.cable.sha256:
            raise ReviewError(f"decisions are for another version of {data.get('cable')} "
                              "(cable sha256 differs)", source=source)
        rules = data.get("rules_sha256")
        if rules and rules != self.rules_sha256:
            raise ReviewError(f"decisions for {data.get('cable')} were taken under other rule "
                              f"sets (sha256 {rules[:12]}..., this review "
                              f"{self.rules_sha256[:12]}...)", source=source)
        if data.get("cable") and self.cable.id and data["cable"] != self.cable.id:
            raise ReviewError(f"decisions are for {data['cable']}, not {self.cable.id}",
                              source=source)
        n = 0
        for d in data.get("decisions", []):
            sid = d.get("target") or d.get("id")
            if sid not in self._by_id:
                raise ReviewError(f"no suggestion {sid!r} in {self.cable.id}", source=source)
            status = d.get("status", "accept")
            if status == "accept":
                self.accept(sid, codes=d.get("codes"), note=d.get("note"))
            elif status == "reject":
                self.reject(sid, note=d.get("note"))
            else:
                raise ReviewError(f"{sid}: unknown status {status!r}", source=source)
            n += 1
        for m in data.get("manual", []):
            self.add_manual(int(m["start"]), int(m["end"]), m["codes"], m.get("note"))
            n += 1
        for p in data.get("dispositions", []):
            self.dispose(int(p["paragraph"]), p["disposition"], p.get("codes", ()))
            n += 1
        if data.get("settings"):
            self.settings.update(data["settings"])
        return n


def _check_codes(codes: Sequence[str] | None, *,
                 required: bool = False) -> tuple[str, ...] | None:
    """Codes validated and in canonical form (``b6`` -> ``(b)(6)``; a rule set's own
    code is kept as written); ``None`` stays ``None`` unless codes are required."""
    if codes is None:
        if required:
            raise ReviewError("exemption codes are required")
        return None
    if isinstance(codes, str):
        raise ReviewError(f"codes must be a list, not the string {codes!r}")
    if required and not codes:
        raise ReviewError("at least one exemption code is required")
    out = []
    for c in codes:
        if not isinstance(c, str) or not c.strip():
            raise ReviewError(f"not an exemption code: {c!r}")
        try:
            out.append(normalize_code(c))
        except ValueError:
            out.append(c.strip())
    return tuple(dict.fromkeys(out))


def open_store(path: str | Path, *, reviewer: str = "report",
               clock: Clock | None = None) -> Review:
    """Open an existing review store by its path, with the cable text it keeps (for
    reports and verification: nothing is recorded by opening)."""
    p = Path(path)
    if p.name.endswith(AUDIT):
        p = CableFiles.beside(p).store
    if not p.is_file():
        raise ReviewError("no review store here", source=str(p))
    info = ReviewFolder(p.parent).info(key_of(p))
    if "cable_text" not in info:
        raise ReviewError("not a review store (no cable recorded)", source=str(p))
    from reviewtool.core.cable.parse import parse_cable

    cable = parse_cable(info["cable_text"], source=info.get("source") or None)
    return Review.open(p.parent, cable, [], reviewer=reviewer,
                       rules_sha256=info["rules_sha256"], clock=clock)


# --------------------------------------------------------------------------- folder


class ReviewFolder:
    """A folder of reviews (one store per cable) with the cable last worked on."""

    def __init__(self, review_dir: str | Path) -> None:
        self.path = Path(review_dir)

    def open(self, cable: Cable, suggestions: SuggestionSource, *, reviewer: str,
             rules_sha256: str, clock: Clock | None = None, rules: Any = None,
             internal_log: bool = False) -> Review:
        review = Review.open(self.path, cable, suggestions, reviewer=reviewer,
                             rules_sha256=rules_sha256, clock=clock, rules=rules,
                             internal_log=internal_log)
        self.last_cable = cable_key(cable)
        return review

    @property
    def _state_path(self) -> Path:
        return self.path / FOLDER_STATE

    def _state(self) -> dict[str, Any]:
        try:
            return json.loads(self._state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @property
    def last_cable(self) -> str | None:
        return self._state().get("last_cable")

    @last_cable.setter
    def last_cable(self, key: str | None) -> None:
        write_atomic(self._state_path, json.dumps({**self._state(), "last_cable": key}))

    def cables(self) -> list[str]:
        """Keys of the cables with a review store here, sorted."""
        if not self.path.is_dir():
            return []
        return sorted(key_of(p) for p in self.path.glob(f"*{STORE}"))

    def stores(self) -> Iterator[Path]:
        yield from sorted(self.path.glob(f"*{STORE}"))

    def info(self, key: str) -> dict[str, str]:
        """What a store records about its cable (id, source, hashes), without opening it."""
        path = CableFiles(self.path, key).store
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return dict(db.execute("SELECT key, value FROM meta").fetchall())
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            raise ReviewError(f"not a review store: {exc}", source=str(path)) from None
