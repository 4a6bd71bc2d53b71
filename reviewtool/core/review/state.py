"""A review's state: the replay of its events, and the undo and redo stacks.

The state is a map of keys to the JSON objects the events wrote: ``d:<sid>`` a decision,
``o:<sid>`` codes or a note set on a suggestion before its decision, ``m:<mid>`` a manual
redaction, ``p:<index>`` a paragraph's ruling. Undo and redo are events too: each names
(``ref``) the event it undoes or redoes, so the stacks survive restarts.
"""

from __future__ import annotations

from typing import Any

from reviewtool.core.review.model import (
    Action,
    Decision,
    Disposition,
    Event,
    Manual,
    Ruling,
    Verdict,
)
from reviewtool.core.review.store import parse_ts
from reviewtool.errors import ReviewError


def decision_key(sid: str) -> str:
    return f"d:{sid}"


def override_key(sid: str) -> str:
    return f"o:{sid}"


def manual_key(mid: str) -> str:
    return f"m:{mid}"


def paragraph_key(index: int) -> str:
    return f"p:{index}"


class ReviewState:
    """Current values by key, the events replayed, and what undo and redo would do."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.done: list[int] = []
        self.undone: list[int] = []
        self.events: list[Event] = []

    def clear(self) -> None:
        self.values.clear()
        self.done.clear()
        self.undone.clear()
        self.events.clear()

    def apply(self, ev: Event) -> None:
        """One event's changes; an undo or redo moves its action between the stacks."""
        for key, _before, after in ev.changes:
            if after is None:
                self.values.pop(key, None)
            else:
                self.values[key] = after
        if ev.action == Action.UNDO:
            if self.done and self.done[-1] == ev.ref:
                self.undone.append(self.done.pop())
        elif ev.action == Action.REDO:
            if self.undone and self.undone[-1] == ev.ref:
                self.done.append(self.undone.pop())
        elif ev.changes:
            self.done.append(ev.seq)
            self.undone.clear()
        self.events.append(ev)

    def event(self, seq: int) -> Event:
        return next(e for e in reversed(self.events) if e.seq == seq)

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    # ------------------------------------------------------------------ typed reads

    def decided(self, sid: str) -> bool:
        return decision_key(sid) in self.values

    def has_manual(self, mid: str) -> bool:
        return mid.startswith("m") and manual_key(mid) in self.values

    def decision(self, target_id: str) -> Decision | None:
        """The decision on a suggestion or manual redaction; ``None`` = pending."""
        if self.has_manual(target_id):
            m = self.manual(target_id)
            return Decision(m.id, Verdict.ACCEPT, m.codes, m.note, m.reviewer, m.time, m.origin)
        d = self.values.get(decision_key(target_id))
        if d is None:
            return None
        return Decision(target_id, d["status"], tuple(d["codes"]), d.get("note"),
                        d["reviewer"], parse_ts(d["time"]), d.get("origin"))

    def manual(self, mid: str) -> Manual:
        m = self.values.get(manual_key(mid))
        if m is None:
            raise ReviewError(f"no manual redaction {mid!r}")
        return Manual(mid, m["start"], m["end"], tuple(m["codes"]), m.get("note"),
                      m["reviewer"], parse_ts(m["time"]), m.get("origin"))

    def manuals(self) -> list[Manual]:
        ids = [k[2:] for k in self.values if k.startswith("m:")]
        return sorted((self.manual(i) for i in ids), key=lambda m: (m.start, m.end, m.id))

    def ruling(self, index: int) -> Ruling | None:
        d = self.values.get(paragraph_key(index))
        return Ruling(d["disposition"]) if d else None

    def disposition(self, index: int) -> Disposition | None:
        d = self.values.get(paragraph_key(index))
        if d is None:
            return None
        return Disposition(index, Ruling(d["disposition"]), tuple(d["codes"]),
                           d["reviewer"], parse_ts(d["time"]))

    def withheld(self) -> list[tuple[int, dict[str, Any]]]:
        """The paragraphs withheld in full (index, record), in the order they were set."""
        return [(int(k[2:]), d) for k, d in self.values.items()
                if k.startswith("p:") and d["disposition"] == Ruling.WITHHOLD]
