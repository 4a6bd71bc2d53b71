"""One error family for everything a user can get wrong.

Every error names its source (``file:line:col`` where known) and is shown by the CLI
and the TUI as one plain line, never as a traceback.
"""

from __future__ import annotations


class ReviewToolError(Exception):
    """Base of every error reviewtool reports to a user."""

    def __init__(self, message: str, *, source: str | None = None,
                 line: int | None = None, col: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.col = col
        super().__init__(self.__str__())

    @property
    def where(self) -> str:
        parts = [p for p in (self.source, self.line, self.col) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class CableError(ReviewToolError):
    """A cable file that cannot be read or is not a cable."""


class RuleError(ReviewToolError):
    """A rule set that fails validation."""


class ReviewError(ReviewToolError):
    """A review store, decision or release that cannot proceed."""


class StaleReviewError(ReviewError):
    """A stored review began on another version of its cable or of its rule sets."""


class LeakError(ReviewError):
    """The leak check found redacted text in a release copy."""


class AuditError(ReviewToolError):
    """An audit log that cannot be read or verified."""
