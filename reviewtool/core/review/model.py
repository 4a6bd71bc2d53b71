"""The decision model: what a reviewer decides, and the closed vocabularies it uses.

Every vocabulary is a `StrEnum`: a member equals its string, so the SQLite rows, the
JSON exchange and the audit lines hold exactly the words they always held.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """A decision's status on a suggestion (a manual redaction is always accepted)."""

    ACCEPT = "accept"
    REJECT = "reject"


class Ruling(StrEnum):
    """A paragraph's disposition, as the reviewer sets it."""

    RELEASE = "release"  # in full
    PART = "part"
    WITHHOLD = "withhold"


class ParagraphStatus(StrEnum):
    """Where a paragraph stands, derived from its ruling and its suggestions' decisions."""

    TO_REVIEW = "to review"
    RELEASED = "released"
    IN_PART = "in part"
    WITHHELD = "withheld"


class RedactionKind(StrEnum):
    """What a withheld span comes from."""

    SUGGESTION = "suggestion"  # an accepted suggestion
    MANUAL = "manual"  # a span the reviewer chose
    PARAGRAPH = "paragraph"  # a paragraph withheld in full
    MIRROR = "mirror"  # the release stage: the same text in a header or a repeated copy


class Action(StrEnum):
    """The actions recorded in the store's events and the audit log."""

    OPEN = "open"
    SUGGESTED = "suggested"
    ACCEPT = "accept"
    REJECT = "reject"
    ACCEPT_ALL = "accept_all"
    ACCEPT_EVERYWHERE = "accept_everywhere"
    MANUAL = "manual"
    REMOVE_MANUAL = "remove_manual"
    DISPOSE = "dispose"
    SET_CODES = "set_codes"
    SET_NOTE = "set_note"
    UNDO = "undo"
    REDO = "redo"
    OUTPUT = "output"
    RELEASE_REFUSED = "release_refused"


Clock = Callable[[], datetime]

DISPOSITIONS = tuple(r.value for r in Ruling)
STATUSES = tuple(s.value for s in ParagraphStatus)


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
        return self.status == Verdict.ACCEPT


@dataclass(frozen=True, slots=True)
class Redaction:
    """A span to withhold, of a `RedactionKind`. ``reason`` is the justification: the
    reviewer's note, else the rules'."""

    id: str
    kind: RedactionKind
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
    """A paragraph's ruling as recorded: who set it, when, with which codes."""

    paragraph: int
    disposition: Ruling
    codes: tuple[str, ...]
    reviewer: str
    time: datetime


# One change of the state: (key, value before, value after); values are the JSON
# objects the store keeps (``None``: absent).
Change = tuple[str, Any, Any]


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded action: ``seq``, ``time``, ``reviewer``, ``action``, ``target``,
    ``changes`` (key, before, after) and for undo/redo the ``ref`` of the action."""

    seq: int
    time: datetime
    reviewer: str
    action: str
    target: str | None
    changes: tuple[Change, ...]
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
