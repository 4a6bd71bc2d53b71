"""The review store: one SQLite file per cable (WAL mode, synchronous writes).

Tables: ``meta`` (identity, settings, position), ``suggestions`` (as the review began),
``events`` (every action with its changes) and ``audit`` (the audit lines, committed
with the event they record). Everything that writes goes through `Store.transaction`,
so an action and its audit lines are committed together or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from reviewtool.core.audit import GENESIS, Seal
from reviewtool.errors import ReviewError

SCHEMA_VERSION = 1

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

# The columns each table must have: a file made by something else (or damaged) that
# merely has tables of these names is refused when opened, not half-way through a read.
_COLUMNS = {"meta": "key, value", "suggestions": "pos, id, data",
            "events": "seq, time, reviewer, action, target, changes, ref",
            "audit": "seq, line, hash"}

# An event row: seq, time, reviewer, action, target, changes (JSON), ref.
EventRow = tuple[int, str, str, str, str | None, str, int | None]


def ts(t: datetime) -> str:
    """A time as the store writes it: UTC, seconds, ``Z``."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_ts(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open (creating if need be) the store at ``path``; `ReviewError` if it is not one.
    ``read_only``: an existing store, opened so that nothing can be written to it."""
    try:
        if read_only:
            db = connect_ro(path)
            db.execute("SELECT count(*) FROM meta").fetchone()  # a review store at all?
            return db
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(_SCHEMA)
        for table, columns in _COLUMNS.items():
            db.execute(f"SELECT {columns} FROM {table} LIMIT 0")  # noqa: S608 - constants
    except sqlite3.DatabaseError as exc:
        raise ReviewError(f"not a review store: {exc}", source=str(path)) from None
    return db


def connect_ro(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (SQLite ``mode=ro``): no write, no schema, no journal mode
    change. The path is a ``file:`` URI, so ``?`` or ``#`` in a name cannot become
    options. (SQLite may still create its ``-wal``/``-shm`` companions, with the store's
    mode; the store itself is never changed.)"""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10)


def store_seal(path: str | Path) -> Seal | None:
    """The audit seal recorded in a review store (the last audit line), or ``None``."""
    try:
        db = connect_ro(path)
        try:
            row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return Seal(row[0], row[1]) if row else None


def read_meta(path: Path) -> dict[str, str]:
    """What a store records about its cable (id, source, hashes), read-only."""
    try:
        db = connect_ro(path)
        try:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise ReviewError(f"not a review store: {exc}", source=str(path)) from None


class Store:
    """An open review store: reads, and writes inside `transaction` (refused when opened
    ``read_only``: reports and verification never write)."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.db = connect(path, read_only=read_only)

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: committed whole, or rolled back on any exception."""
        self._writable()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _writable(self) -> None:
        if self.read_only:
            raise ReviewError("review store opened read-only", source=str(self.path))

    # ------------------------------------------------------------------ meta

    def all_meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta").fetchall())

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._writable()  # also called outside a transaction (position, settings)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def insert_meta(self, rows: Mapping[str, str]) -> None:
        self.db.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())

    # ------------------------------------------------------------------ suggestions

    def insert_suggestions(self, data: list[tuple[str, str]]) -> None:
        """Store the suggestions (id, JSON) in their order."""
        self.db.executemany("INSERT INTO suggestions VALUES (?, ?, ?)",
                            [(i, sid, d) for i, (sid, d) in enumerate(data)])

    def suggestion_data(self) -> list[str]:
        return [str(d) for (d,) in self.db.execute("SELECT data FROM suggestions ORDER BY pos")]

    # ------------------------------------------------------------------ events

    def insert_event(self, time: str, reviewer: str, action: str, target: str | None,
                     changes: str, ref: int | None) -> int:
        cur = self.db.execute(
            "INSERT INTO events (time, reviewer, action, target, changes, ref) "
            "VALUES (?, ?, ?, ?, ?, ?)", (time, reviewer, action, target, changes, ref))
        return int(cur.lastrowid or 0)

    def event_rows(self) -> list[EventRow]:
        return list(self.db.execute(
            "SELECT seq, time, reviewer, action, target, changes, ref FROM events ORDER BY seq"))

    # ------------------------------------------------------------------ audit lines

    def seal(self) -> Seal:
        """The seal of the audit lines committed here (`GENESIS` when there are none)."""
        row = self.db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return Seal(row[0], row[1]) if row else Seal(0, GENESIS)

    def insert_audit(self, seq: int, line: str, line_hash: str) -> None:
        self.db.execute("INSERT INTO audit VALUES (?, ?, ?)", (seq, line, line_hash))

    def audit_after(self, count: int) -> list[tuple[int, str, str]]:
        """The audit lines after the first ``count`` (seq, line, hash)."""
        return list(self.db.execute(
            "SELECT seq, line, hash FROM audit WHERE seq > ? ORDER BY seq", (count,)))

    def audit_hash(self, seq: int) -> str | None:
        row = self.db.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
        return str(row[0]) if row else None

