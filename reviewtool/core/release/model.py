"""What the release stage makes: the copy, its marks, and any leaks the check found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reviewtool.core.cable.markings import Marking
from reviewtool.core.review.model import Redaction
from reviewtool.core.review.outcome import ReleaseInput


class MarkStyle(StrEnum):
    """How a withheld span is marked in the copy."""

    STATE = "state"  # [B6]
    BLOCK = "block"  # [██████ B6]
    WIKILEAKS = "wikileaks"  # XXXXXXXXXXXX


STYLES = tuple(s.value for s in MarkStyle)


class ReleaseDisposition(StrEnum):
    """What the copy releases, as its stamp says."""

    FULL = "release in full"
    PART = "release in part"
    DENIED = "denied in full"


@dataclass(frozen=True, slots=True)
class Mark:
    """One replacement in the copy: ``text[start:end]`` of the original became ``mark``.
    ``ids`` are the redactions merged into it; ``withheld`` is a whole paragraph."""

    start: int
    end: int
    mark: str
    codes: tuple[str, ...]
    ids: tuple[str, ...]
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class Leak:
    """Withheld text found in the copy: where (paragraph label or header part, line and
    column of the copy), what was found, and the redaction that hides it elsewhere."""

    where: str
    line: int
    col: int
    found: str
    hidden_by: str
    rule: str | None = None
    score: float | None = None

    def describe(self) -> str:
        how = f" (fuzzy {self.score:.0f})" if self.score is not None else ""
        by = self.hidden_by + (f", rule {self.rule}" if self.rule else "")
        return (f"{self.where}, line {self.line}:{self.col}: {self.found!r}{how} is withheld "
                f"elsewhere by {by}")


@dataclass(frozen=True)
class Release:
    """A release copy. ``text`` is the whole copy (release header, then the cable);
    ``body_offset`` where the cable begins in it. ``disposition`` is ``release in
    full``, ``release in part`` or ``denied in full``; ``classification`` the overall
    marking of the released portions (before declassification). ``input`` is what it
    was rendered from."""

    text: str
    stamp: str
    codes: tuple[str, ...]
    disposition: ReleaseDisposition
    classification: Marking
    marks: tuple[Mark, ...]
    mirrors: tuple[Redaction, ...]
    leaks: tuple[Leak, ...]
    body_offset: int
    banner: str
    input: ReleaseInput

    @property
    def body(self) -> str:
        return self.text[self.body_offset:]

    @property
    def style(self) -> str:
        return self.input.style

    @property
    def redactions(self) -> tuple[Redaction, ...]:
        return self.input.redactions
