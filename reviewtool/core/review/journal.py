"""The journal of a review: how an action is recorded so that nothing is ever lost.

Each action is one event row and its audit lines, committed to the store in one
transaction; then the lines are appended to the audit log file and the event is applied
to the state. A kill between the commit and the append loses nothing: on resume the
lines the file lacks are appended from the store (`sync_audit_file`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from reviewtool.core.audit import AuditLog, Seal
from reviewtool.core.review.model import Change, Clock, Event
from reviewtool.core.review.state import ReviewState
from reviewtool.core.review.store import Store, parse_ts, ts


class Journal:
    """Records the actions of one reviewer into a store, its audit log and a state.
    ``on_change`` is called before each event is applied (to drop derived views)."""

    def __init__(self, store: Store, audit: AuditLog, state: ReviewState, reviewer: str,
                 clock: Clock, on_change: Callable[[], None]) -> None:
        self.store = store
        self.audit = audit
        self.state = state
        self.reviewer = reviewer
        self.clock = clock
        self.on_change = on_change

    def begin(self, meta: Mapping[str, str], suggestions: list[tuple[str, str]],
              audit: list[dict[str, Any]]) -> None:
        """A new review: its meta rows, its suggestions (id, JSON) and their audit lines."""
        with self.store.transaction():
            self.store.insert_meta(meta)
            self.store.insert_suggestions(suggestions)
            lines, _seal = self._insert_audit(audit)
        self.audit.write_lines(lines)

    def replay(self) -> None:
        """The state rebuilt from every event in the store."""
        self.state.clear()
        for seq, t, who, action, target, changes, ref in self.store.event_rows():
            self._apply(Event(seq, parse_ts(t), who, action, target,
                              tuple((c[0], c[1], c[2]) for c in json.loads(changes)), ref))

    def _apply(self, ev: Event) -> None:
        self.on_change()
        self.state.apply(ev)

    def record(self, action: str, target: str | None, changes: list[Change],
               audit: list[dict[str, Any]], *, ref: int | None = None,
               meta: Mapping[str, str] | None = None) -> Event:
        """Write one event and its audit lines in one transaction, then update memory."""
        now = self.clock()
        for a in audit:
            a.setdefault("time", ts(now))
        with self.store.transaction():
            seq = self.store.insert_event(ts(now), self.reviewer, action, target,
                                          json.dumps(changes), ref)
            for k, v in (meta or {}).items():
                self.store.set_meta(k, v)
            lines, seal = self._insert_audit(audit)
        self.audit.write_sealed(lines, seal)
        ev = Event(seq, now, self.reviewer, action, target,
                   tuple((c[0], c[1], c[2]) for c in changes), ref)
        self._apply(ev)
        return ev

    def log(self, event: dict[str, Any]) -> Seal:
        """Record an audit-only event; returns the log's new seal."""
        with self.store.transaction():
            lines, seal = self._insert_audit([event])
        self.audit.write_sealed(lines, seal)
        return self.audit.seal

    def _insert_audit(self, events: list[dict[str, Any]]) -> tuple[list[str], Seal]:
        """Chain ``events`` after the store's last audit line and insert them (inside
        the caller's transaction); the lines, and the seal after the last."""
        seal = self.store.seal()
        lines = []
        for ev in events:
            line, h = self.audit.prepare(ev, seal)
            seal = Seal(seal.count + 1, h)
            self.store.insert_audit(seal.count, line, h)
            lines.append(line)
        return lines, seal

    def sync_audit_file(self) -> None:
        """Append audit lines committed to the store but not yet in the file (a kill
        between commit and append). A file that disagrees is left for `verify`."""
        seal = self.audit.seal
        rows = self.store.audit_after(seal.count)
        if not rows:
            return
        if seal.count and self.store.audit_hash(seal.count) != seal.hash:
            return
        self.audit.write_sealed([r[1] for r in rows], Seal(rows[-1][0], rows[-1][2]))
