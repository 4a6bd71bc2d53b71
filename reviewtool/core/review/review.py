"""Review state of one cable: decisions, manual redactions, dispositions, undo and redo.

The store is one SQLite file per cable in a review folder (`store.py`, WAL mode). Every
reviewer action is one event row written in one transaction, together with its audit
lines, so a crash or a kill loses nothing; the state is the replay of the events
(`state.py`; undo and redo are events too, so they survive restarts). The store records
the cable's and the rule sets' SHA-256 and refuses, with a `ReviewError` naming what
changed, to mix them. The clock and the reviewer are passed in; nothing here reads the
wall clock by itself except the default ``clock`` at `Review.open`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reviewtool.core.audit import AuditLog, Seal
from reviewtool.core.cable.codes import normalize_code, sort_codes
from reviewtool.core.cable.model import Cable
from reviewtool.core.files import make_folder
from reviewtool.core.outputs import CableFiles, cable_key
from reviewtool.core.review.audit_events import AuditEvents
from reviewtool.core.review.changes import Changes
from reviewtool.core.review.journal import Journal
from reviewtool.core.review.model import (
    DISPOSITIONS,
    Action,
    Clock,
    Decision,
    Disposition,
    Event,
    Manual,
    ParagraphStatus,
    Redaction,
    Ruling,
    Verdict,
)
from reviewtool.core.review.redactions import Redactions
from reviewtool.core.review.same_text import not_withheld, occurrences, suggestion_at
from reviewtool.core.review.settings import DEFAULT_SETTINGS, Settings
from reviewtool.core.review.state import ReviewState, manual_key, paragraph_key
from reviewtool.core.review.store import SCHEMA_VERSION, Store, parse_ts, ts
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import ReviewError, StaleReviewError

IDLE_CAP = timedelta(minutes=10)  # a gap longer than this between actions is not work time

# The suggestions a review begins with, or a function computing them (called only when
# the review is created: a resumed review keeps its stored ones).
SuggestionSource = Sequence[Suggestion] | Callable[[], Sequence[Suggestion]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Review:
    """The review of one cable. Open with `Review.open` (or `ReviewFolder.open`)."""

    def __init__(self, *, folder: Path, cable: Cable, reviewer: str, rules_sha256: str,
                 clock: Clock, rules: Any, store: Store, audit: AuditLog) -> None:
        self.folder = folder
        self.path = store.path
        self.cable = cable
        # `Cable.sha256` hashes the whole text on each call: once here, not per audit line.
        self.cable_sha256 = cable.sha256
        self.reviewer = reviewer
        self.rules_sha256 = rules_sha256
        self.rules = rules
        self.clock = clock
        self.audit = audit
        self._store = store
        self._state = ReviewState()
        self._audits = AuditEvents(cable, self.cable_sha256, rules_sha256, reviewer)
        self._redactions = Redactions(cable, self._state)
        self._changes = Changes(cable, self._state, reviewer, clock)
        self._journal = Journal(store, audit, self._state, reviewer, clock,
                                self._redactions.invalidate)
        self.suggestions: list[Suggestion] = []
        self._by_id: dict[str, Suggestion] = {}
        self.suggestions_changed = False
        self.resumed = False  # true when `open` found the review begun (and resumed it)

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, review_dir: str | Path, cable: Cable, suggestions: SuggestionSource, *,
             reviewer: str, rules_sha256: str, clock: Clock | None = None,
             rules: Any = None, internal_log: bool = False,
             read_only: bool = False) -> Review:
        """Create the review of ``cable`` in ``review_dir``, or resume it.

        Raises `StaleReviewError` if the cable or the rule sets changed since the review began.
        On resume the stored suggestions are kept (decisions refer to them);
        ``suggestions_changed`` tells whether the ones given differ. ``suggestions`` may
        also be a function returning them (e.g. running the engine): it is called only
        when the review is created, so resuming a store whose cable and rule sets match
        does not run the engine at all (``suggestions_changed`` is then false: nothing
        was given to compare; ``resumed`` tells the two cases apart).

        ``read_only`` (reports, verification): an existing review, read without writing
        anything, neither the store nor its audit log (a log cut short stays so).
        """
        if not reviewer or not reviewer.strip():
            raise ReviewError("a reviewer name is required")
        folder = Path(review_dir) if read_only else make_folder(review_dir, "review folder")
        files = CableFiles(folder, cable_key(cable))
        store = Store(files.store, read_only=read_only)
        meta = store.all_meta()
        if read_only and not meta:
            store.close()
            raise ReviewError("not a review store (nothing recorded)", source=str(files.store))
        audit = AuditLog(files.audit, internal=internal_log)
        self = cls(folder=folder, cable=cable, reviewer=reviewer.strip(),
                   rules_sha256=rules_sha256, clock=clock or _utc_now, rules=rules,
                   store=store, audit=audit)
        try:
            if meta:
                self._resume(meta, suggestions)
            else:
                self._create(suggestions() if callable(suggestions) else suggestions)
        except BaseException:
            store.close()
            raise
        return self

    def _set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        self.suggestions = list(suggestions)
        self._by_id = {s.id: s for s in self.suggestions}
        self._audits.by_id = self._by_id
        self._changes.by_id = self._by_id
        self._redactions.set_suggestions(self.suggestions, self._by_id)

    def _create(self, suggestions: Sequence[Suggestion]) -> None:
        """A new review: its identity, settings and suggestions, and their audit lines."""
        self._set_suggestions(suggestions)
        now = self.clock()
        rows = {
            "schema": str(SCHEMA_VERSION), "cable_id": self.cable.id or "",
            "cable_sha256": self.cable_sha256, "rules_sha256": self.rules_sha256,
            "created": ts(now), "created_by": self.reviewer, "position": "0",
            "settings": json.dumps(DEFAULT_SETTINGS), "next_manual": "1",
            "source": self.cable.source or "", "cable_text": self.cable.text,
        }
        events = [self._audits.event(now, Action.OPEN, None,
                                     note=f"{len(self.suggestions)} suggestions")]
        events += [self._audits.event(now, Action.SUGGESTED, s.id) for s in self.suggestions]
        self._journal.begin(rows, [(s.id, json.dumps(s.to_json())) for s in self.suggestions],
                            events)

    def _resume(self, meta: dict[str, str], suggestions: SuggestionSource) -> None:
        """A review begun before: check it is of this cable and these rules, replay it."""
        _check_identity(meta, self.cable, self.cable_sha256, self.rules_sha256,
                        self._store.path)
        self.resumed = True
        stored = [Suggestion.from_json(json.loads(d)) for d in self._store.suggestion_data()]
        if not callable(suggestions):
            given = [(s.id, s.start, s.end) for s in suggestions]
            self.suggestions_changed = given != [(s.id, s.start, s.end) for s in stored]
        self._set_suggestions(stored)
        self._journal.replay()
        if not self._store.read_only:
            self._journal.sync_audit_file()

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ meta

    @property
    def position(self) -> int:
        return int(self._store.meta("position") or 0)

    @position.setter
    def position(self, index: int) -> None:
        n = len(self.cable.paragraphs)
        self._store.set_meta("position", str(max(0, min(int(index), max(n - 1, 0)))))

    @property
    def settings(self) -> dict[str, Any]:
        data = {**DEFAULT_SETTINGS, **json.loads(self._store.meta("settings") or "{}")}
        return Settings(data, lambda d: self._store.set_meta("settings", json.dumps(d)))

    @settings.setter
    def settings(self, value: dict[str, Any]) -> None:
        self._store.set_meta("settings", json.dumps({**DEFAULT_SETTINGS, **value}))

    @property
    def created(self) -> datetime:
        return parse_ts(self._store.meta("created") or ts(self.clock()))

    @property
    def seal(self) -> Seal:
        return self._store.seal()

    # ------------------------------------------------------------------ audit-only events

    def log_event(self, action: str, *, note: str | None = None, **fields: Any) -> Seal:
        """Record an audit-only event (e.g. ``output`` written, with ``sha256`` of the
        file); returns the new seal."""
        ev = self._audits.event(self.clock(), action, None, note=note)
        ev.update({k: v for k, v in fields.items() if v is not None})
        return self._journal.log(ev)

    # ------------------------------------------------------------------ queries

    def suggestion(self, sid: str) -> Suggestion:
        try:
            return self._by_id[sid]
        except KeyError:
            raise ReviewError(f"no suggestion {sid!r} in the review of "
                              f"{self.cable.id}") from None

    def decision(self, target_id: str) -> Decision | None:
        """The decision on a suggestion or manual redaction; ``None`` = pending."""
        return self._state.decision(target_id)

    def manuals(self) -> list[Manual]:
        return self._state.manuals()

    def disposition(self, paragraph_index: int) -> Ruling | None:
        return self._state.ruling(paragraph_index)

    def disposition_record(self, paragraph_index: int) -> Disposition | None:
        return self._state.disposition(paragraph_index)

    def paragraph_suggestions(self, paragraph_index: int) -> list[Suggestion]:
        return self._redactions.paragraph_suggestions(paragraph_index)

    def paragraph_status(self, paragraph_index: int) -> ParagraphStatus:
        """``withheld``/``released``/``in part`` by the paragraph's disposition; without
        one, ``to review`` while a suggestion in it is pending, else ``in part`` if
        something in it is withheld, else ``released`` once its suggestions are all
        decided; a paragraph with neither suggestions nor a decision is ``to review``."""
        disp = self.disposition(paragraph_index)
        held = paragraph_index in self._redactions.held_paragraphs()
        if disp == Ruling.WITHHOLD:
            return ParagraphStatus.WITHHELD
        if disp == Ruling.RELEASE:  # withholding wins over a stale "release in full"
            return ParagraphStatus.IN_PART if held else ParagraphStatus.RELEASED
        if disp == Ruling.PART:
            return ParagraphStatus.IN_PART
        suggestions = self.paragraph_suggestions(paragraph_index)
        if any(not self._state.decided(s.id) for s in suggestions):
            return ParagraphStatus.TO_REVIEW
        if held:
            return ParagraphStatus.IN_PART
        # Nothing suggested and nothing decided: the reviewer has not looked at it yet.
        return ParagraphStatus.RELEASED if suggestions else ParagraphStatus.TO_REVIEW

    def _settled(self, s: Suggestion) -> bool:
        if self._state.decided(s.id):
            return True
        return s.paragraph is not None and self.disposition(s.paragraph) in (Ruling.WITHHOLD,
                                                                           Ruling.RELEASE)

    def pending(self) -> list[Suggestion]:
        """Suggestions still to decide (those in a withheld paragraph are settled by it)."""
        return [s for s in self.suggestions if not self._settled(s)]

    def progress(self) -> tuple[int, int]:
        total = len(self.suggestions)
        return total - len(self.pending()), total

    def redactions(self) -> list[Redaction]:
        """Accepted suggestions, manual redactions and withheld paragraphs, by start.
        (A span accepted after its paragraph was released in full is still withheld.)"""
        return self._redactions.all()

    def events(self) -> list[Event]:
        return list(self._state.events)

    def time_spent(self) -> timedelta:
        """Work time: the gaps between consecutive actions, each capped at `IDLE_CAP`."""
        times = [self.created] + [e.time for e in self._state.events]
        total = timedelta()
        for a, b in zip(times, times[1:], strict=False):
            total += min(max(b - a, timedelta()), IDLE_CAP)
        return total

    def reviewers(self) -> list[str]:
        return sorted({e.reviewer for e in self._state.events}
                      | {self._store.meta("created_by") or ""} - {""})

    def occurrences(self, text: str) -> list[tuple[int, int]]:
        """Every occurrence of ``text`` (case- and whitespace-insensitive, whole words)
        in the cable's paragraphs."""
        return occurrences(self.cable, text)

    # ------------------------------------------------------------------ decisions

    def accept(self, sid: str, *, codes: Sequence[str] | None = None,
               note: str | None = None) -> list[str]:
        """Accept a suggestion (with the reviewer's codes, if given). Returns ``[sid]``."""
        s = self.suggestion(sid)
        ch = self._changes.decision(sid, Verdict.ACCEPT, check_codes(codes), note)
        self._journal.record(Action.ACCEPT, sid, [ch], [self._audits.event(
            None, Action.ACCEPT, sid, codes=ch[2]["codes"], note=ch[2]["note"],
            paragraph=s.paragraph)])
        return [sid]

    def reject(self, sid: str, *, note: str | None = None) -> list[str]:
        s = self.suggestion(sid)
        ch = self._changes.decision(sid, Verdict.REJECT, None, note)
        self._journal.record(Action.REJECT, sid, [ch], [self._audits.event(
            None, Action.REJECT, sid, note=ch[2]["note"], paragraph=s.paragraph)])
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
            ch = self._changes.decision(sid, Verdict.ACCEPT, None, note, now=now)
            changes.append(ch)
            audit.append(self._audits.event(None, Action.ACCEPT, sid, codes=ch[2]["codes"],
                                            note=ch[2]["note"], paragraph=s.paragraph))
        self._journal.record(Action.ACCEPT_ALL, None, changes, audit)
        return ids

    def accept_everywhere(self, sid: str, *, codes: Sequence[str] | None = None,
                          note: str | None = None) -> list[str]:
        """Accept ``sid`` and every occurrence of its text in the paragraphs, each as its
        own decision: the suggestion at that place if there is one, else a manual
        redaction. Occurrences already withheld are left alone. One transaction, one
        undo step. Returns the ids decided, ``sid`` first."""
        s = self.suggestion(sid)
        checked = check_codes(codes)
        codes_t = tuple(checked) if checked is not None else self._changes.codes_for(sid)
        now = self.clock()
        changes = [self._changes.decision(sid, Verdict.ACCEPT, codes_t, note, now=now)]
        audit = [self._audits.event(None, Action.ACCEPT, sid, codes=codes_t,
                                    note=changes[0][2]["note"], paragraph=s.paragraph)]
        ids = [sid]
        next_manual = int(self._store.meta("next_manual") or 1)
        withheld = [(r.start, r.end) for r in self._redactions.spans()] + [(s.start, s.end)]
        for start, end in not_withheld(self.occurrences(s.text), withheld):
            o = suggestion_at(self.suggestions, s, start, end)
            if o is not None:
                changes.append(self._changes.decision(o.id, Verdict.ACCEPT, codes_t, note,
                                                      origin=sid, now=now))
                audit.append(self._audits.event(None, Action.ACCEPT, o.id, codes=codes_t,
                                                note=note, origin=sid))
                ids.append(o.id)
            else:
                mid = f"m{next_manual}"
                next_manual += 1
                changes.append(self._changes.manual(mid, start, end, codes_t, note, now,
                                                    origin=sid))
                audit.append(self._audits.event(None, Action.MANUAL, mid, start=start, end=end,
                                                codes=codes_t, note=note, origin=sid))
                ids.append(mid)
        self._journal.record(Action.ACCEPT_EVERYWHERE, sid, changes, audit,
                     meta={"next_manual": str(next_manual)})
        return ids

    def set_codes(self, target_id: str, codes: Sequence[str]) -> None:
        """Change the codes of a decision, a manual redaction, a withheld paragraph
        (``p3``) or, before it is decided, of a suggestion."""
        checked = check_codes(codes, required=True) or ()
        self._modify(target_id, "codes", list(checked), Action.SET_CODES)

    def set_note(self, target_id: str, note: str | None) -> None:
        self._modify(target_id, "note", note or None, Action.SET_NOTE)

    def _modify(self, target_id: str, field_: str, value: Any, action: Action) -> None:
        key = self._changes.key_of(target_id)
        before = self._state.get(key)
        after = {**(before or {}), field_: value}
        audit = self._audits.event(None, action, target_id,
                                   codes=value if field_ == "codes" else None,
                                   note=value if field_ == "note" else None,
                                   **self._changes.span_of(key))
        self._journal.record(action, target_id, [(key, before, after)], [audit])

    # ------------------------------------------------------------------ manual redactions

    def add_manual(self, start: int, end: int, codes: Sequence[str],
                   note: str | None = None) -> str:
        """Withhold any span of the cable text; returns its id (``m1``, ``m2``, ...)."""
        n = len(self.cable.text)
        if not (0 <= start < end <= n):
            raise ReviewError(f"span ({start}, {end}) is not inside the cable text (0-{n})")
        if not self.cable.text[start:end].strip():
            raise ReviewError(f"span ({start}, {end}) holds only whitespace")
        checked = check_codes(codes, required=True) or ()
        next_manual = int(self._store.meta("next_manual") or 1)
        mid = f"m{next_manual}"
        change = self._changes.manual(mid, start, end, checked, note, self.clock())
        self._journal.record(Action.MANUAL, mid, [change], [self._audits.event(
            None, Action.MANUAL, mid, start=start, end=end, codes=checked, note=note)],
            meta={"next_manual": str(next_manual + 1)})
        return mid

    def remove_manual(self, mid: str) -> None:
        m = self._state.manual(mid)
        self._journal.record(Action.REMOVE_MANUAL, mid, [(manual_key(mid), self._state.get(
            manual_key(mid)), None)], [self._audits.event(
                None, Action.REMOVE_MANUAL, mid, start=m.start, end=m.end, codes=m.codes)])

    # ------------------------------------------------------------------ paragraphs

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
        ruling = Ruling(disposition) if disposition is not None else None
        p = self.cable.paragraphs[paragraph_index]
        codes_t = tuple(codes)
        if ruling == Ruling.RELEASE:
            held = [r.id for r in self._redactions.spans() if r.start < p.end and r.end > p.start]
            if held:
                raise ReviewError(f"{p.label} cannot be released in full: "
                                  f"{', '.join(held)} withheld in it (reject or undo first)")
        if ruling == Ruling.WITHHOLD and not codes_t:
            codes_t = self._paragraph_codes(paragraph_index)
            if not codes_t:
                raise ReviewError(f"withholding {p.label} needs exemption codes")
        codes_t = check_codes(codes_t) or ()
        key = paragraph_key(paragraph_index)
        after = None if ruling is None else {
            "disposition": ruling, "codes": list(codes_t), "reviewer": self.reviewer,
            "time": ts(self.clock())}
        target = f"p{paragraph_index}"
        self._journal.record(Action.DISPOSE, target, [(key, self._state.get(key), after)], [
            self._audits.event(None, Action.DISPOSE, target, paragraph=paragraph_index,
                               codes=codes_t or None, disposition=ruling or "cleared")])

    def _paragraph_codes(self, paragraph_index: int) -> tuple[str, ...]:
        """The codes of a paragraph's suggestions not rejected (as decided, if decided)."""
        found: dict[str, None] = {}
        for s in self.paragraph_suggestions(paragraph_index):
            d = self.decision(s.id)
            if d is None or d.accepted:
                found.update(dict.fromkeys(d.codes if d else s.codes))
        return sort_codes(found)

    # ------------------------------------------------------------------ undo, redo

    def undo(self) -> bool:
        """Undo the last action (an accept-everywhere is one action). False if none."""
        if not self._state.done:
            return False
        ref = self._state.done[-1]
        ev = self._state.event(ref)
        inverse = [(k, a, b) for k, b, a in reversed(ev.changes)]
        self._journal.record(Action.UNDO, ev.target, inverse, [self._audits.event(
            None, Action.UNDO, ev.target, undone=ev.action, undone_event=ref)], ref=ref)
        return True

    def redo(self) -> bool:
        if not self._state.undone:
            return False
        ref = self._state.undone[-1]
        ev = self._state.event(ref)
        self._journal.record(Action.REDO, ev.target, list(ev.changes), [self._audits.event(
            None, Action.REDO, ev.target, redone=ev.action, redone_event=ref)], ref=ref)
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._state.done)

    @property
    def can_redo(self) -> bool:
        return bool(self._state.undone)


def _check_identity(meta: dict[str, str], cable: Cable, cable_sha256: str, rules_sha256: str,
                    path: Path) -> None:
    """Refuse a store begun on another version of the cable or under other rule sets."""
    if int(meta.get("schema", "0")) != SCHEMA_VERSION:
        raise ReviewError(f"review store schema {meta.get('schema')} is not "
                          f"{SCHEMA_VERSION}", source=str(path))
    name = cable.id or cable_key(cable)
    if meta["cable_sha256"] != cable_sha256:
        raise StaleReviewError(
            f"cable {name} changed since the review began (sha256 "
            f"{meta['cable_sha256'][:12]}... then, {cable_sha256[:12]}... now); "
            "review the new text in a new folder",
            source=str(path))
    if meta["rules_sha256"] != rules_sha256:
        raise StaleReviewError(
            f"rule sets changed since the review of {name} began (sha256 "
            f"{meta['rules_sha256'][:12]}... then, {rules_sha256[:12]}... now); "
            "use the rules it began with, or review again in a new folder",
            source=str(path))


def check_codes(codes: Sequence[str] | None, *,
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
