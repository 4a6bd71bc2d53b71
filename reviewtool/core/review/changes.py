"""What an action changes: the state records it writes, and the key it writes them under.

Each builder returns a `Change` (key, before, after) from the state as it stands, so an
action (and its undo) is a list of them. The records' keys keep the order the store has
always written them in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from reviewtool.core.cable.model import Cable
from reviewtool.core.review.model import Change, Clock, Verdict
from reviewtool.core.review.state import (
    ReviewState,
    decision_key,
    manual_key,
    override_key,
)
from reviewtool.core.review.store import ts
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import ReviewError


class Changes:
    """Builds the changes of one reviewer's actions on one review's state."""

    def __init__(self, cable: Cable, state: ReviewState, reviewer: str, clock: Clock) -> None:
        self.cable = cable
        self.state = state
        self.reviewer = reviewer
        self.clock = clock
        self.by_id: Mapping[str, Suggestion] = {}

    def codes_for(self, sid: str) -> tuple[str, ...]:
        """A suggestion's codes: as the reviewer set them before deciding, else its own."""
        o = self.state.get(override_key(sid))
        return tuple(o["codes"]) if o and o.get("codes") is not None else self.by_id[sid].codes

    def decision(self, sid: str, status: Verdict, codes: Sequence[str] | None,
                 note: str | None, origin: str | None = None,
                 now: datetime | None = None) -> Change:
        """A decision on ``sid``; a note not given is kept from before."""
        key = decision_key(sid)
        before = self.state.get(key)
        codes_t = tuple(codes) if codes is not None else self.codes_for(sid)
        if note is None:
            o = self.state.get(override_key(sid))
            note = (o or {}).get("note") or (before or {}).get("note")
        after = {"status": status, "codes": list(codes_t), "note": note,
                 "reviewer": self.reviewer, "time": ts(now or self.clock()), "origin": origin}
        return key, before, after

    def manual(self, mid: str, start: int, end: int, codes: Sequence[str], note: str | None,
               now: datetime, origin: str | None = None) -> Change:
        """A new manual redaction ``mid`` of ``start:end``."""
        return manual_key(mid), None, {
            "start": start, "end": end, "codes": list(codes), "note": note,
            "reviewer": self.reviewer, "time": ts(now), "origin": origin}

    def key_of(self, target_id: str) -> str:
        """The state key a target's codes and note are kept under: its manual
        redaction, paragraph ruling or decision, else the suggestion's override."""
        if self.state.has_manual(target_id):
            return manual_key(target_id)
        if re.fullmatch(r"p\d+", target_id) and f"p:{target_id[1:]}" in self.state:
            return f"p:{target_id[1:]}"
        if self.state.decided(target_id):
            return decision_key(target_id)
        if target_id not in self.by_id:
            raise ReviewError(f"no suggestion {target_id!r} in the review of "
                              f"{self.cable.id}")
        return override_key(target_id)

    def span_of(self, key: str) -> dict[str, Any]:
        """The span (and paragraph) the record at ``key`` withholds, for its audit line."""
        d = self.state.get(key) or {}
        if key.startswith("m:"):
            return {"start": d["start"], "end": d["end"]}
        if key.startswith("p:"):
            p = self.cable.paragraphs[int(key[2:])]
            return {"start": p.text_start, "end": p.end, "paragraph": p.index}
        return {}
