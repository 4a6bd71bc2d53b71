"""What the app was started on: the cables, the rule set, the reviewer, the review folder.

`Workspace.open_review(cable)` opens (or resumes) the cable's review in the review
folder, running the engine only for a review not yet begun (a resumed review keeps the
suggestions it began with; `Workspace.suggestions_changed` checks them against the engine
later, off the UI thread); it is the app's only way into the core's review state. The clock
and reviewer are passed in so tests are deterministic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.read import read_cable
from reviewtool.errors import ReviewToolError

if TYPE_CHECKING:  # the store and the engine are imported when first used
    from reviewtool.core.review.folder import ReviewFolder
    from reviewtool.core.review.review import Review
    from reviewtool.core.rules.model import RuleSet
    from reviewtool.core.suggest.model import Suggestion

Clock = Callable[[], datetime]


@dataclass
class Entry:
    """A cable file of the workspace: parsed, or the error that stopped it."""

    path: Path
    cable: Cable | None = None
    error: str | None = None


@dataclass
class Workspace:
    """The cables under review and how to open their reviews.

    ``folder`` is true when the app was given a folder (it then starts on the queue).
    """

    entries: list[Entry]
    rules: RuleSet
    reviewer: str
    review_dir: Path
    folder: bool = False
    clock: Clock | None = None
    # Reviews open in this app, by cable key. The lock keeps the queue's counting thread
    # and the app from opening the same review store at the same moment.
    reviews: dict[str, Review] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _suggestions: dict[str, list[Suggestion]] = field(default_factory=dict)
    _store: ReviewFolder | None = None

    @property
    def store(self) -> ReviewFolder:
        """The `ReviewFolder` holding every review of this workspace."""
        if self._store is None:
            from reviewtool.core.review.folder import ReviewFolder

            self._store = ReviewFolder(self.review_dir)
        return self._store

    def today(self) -> date:
        return (self.clock() if self.clock else datetime.now()).date()

    def suggestions(self, cable: Cable) -> list[Suggestion]:
        """The engine's suggestions for ``cable`` (computed once per cable)."""
        key = cable.sha256
        if key not in self._suggestions:
            from reviewtool.core.suggest.engine import suggest

            self._suggestions[key] = suggest(cable, self.rules)
        return self._suggestions[key]

    def open_review(self, cable: Cable) -> Review:
        """Open or resume the review of ``cable`` (the folder records it as the last one);
        `ReviewError` if the cable or the rule set changed since the review began."""
        from reviewtool.core.outputs import cable_key

        with self.lock:
            key = cable_key(cable)
            if key not in self.reviews:
                # The engine runs only for a new review: a resumed one keeps the
                # suggestions it began with (the store refuses a changed cable or rule set).
                self.reviews[key] = self.store.open(
                    cable, lambda: self.suggestions(cable), reviewer=self.reviewer,
                    rules_sha256=self.rules.sha256, clock=self.clock, rules=self.rules)
            else:
                self.store.last_cable = key
            return self.reviews[key]  # the folder now remembers it as the last one

    def progress(self, cable: Cable) -> tuple[int, int, bool]:
        """(decided, total, begun) for ``cable`` without creating a review: the open
        review's, else the stored one's (opened and closed again), else (0, n, False)."""
        from reviewtool.core.outputs import cable_key
        from reviewtool.core.review.review import Review

        key = cable_key(cable)
        with self.lock:
            if key in self.reviews:
                return (*self.reviews[key].progress(), True)
            begun = key in set(self.store.cables())
        if not begun:
            # The engine's work, outside the lock (the app may open a review meanwhile);
            # kept in the cache, so opening this cable later does not run it again.
            return 0, len(self.suggestions(cable)), False
        with self.lock:
            if key in self.reviews:
                return (*self.reviews[key].progress(), True)
            review = Review.open(self.review_dir, cable, lambda: self.suggestions(cable),
                                 reviewer=self.reviewer, rules_sha256=self.rules.sha256,
                                 clock=self.clock, rules=self.rules)
            try:
                return (*review.progress(), True)
            finally:
                review.close()

    def suggestions_changed(self, review: Review) -> bool:
        """Whether the engine now suggests differently for ``review``'s cable than when
        the review began (runs the engine unless already done; call off the UI thread)."""
        now = [(s.id, s.start, s.end) for s in self.suggestions(review.cable)]
        return now != [(s.id, s.start, s.end) for s in review.suggestions]

    def close(self) -> None:
        with self.lock:
            for review in self.reviews.values():
                try:
                    review.close()
                except ReviewToolError:
                    pass
            self.reviews.clear()


def load_entries(paths: list[Path]) -> list[Entry]:
    """Parse each path; a file that does not parse keeps its one-line error."""
    out = []
    for p in paths:
        try:
            out.append(Entry(p, read_cable(p)))
        except ReviewToolError as exc:
            out.append(Entry(p, None, str(exc)))
    return out
