"""A review folder: one store per cable, the cable last worked on, and opening a store
by its path (for reports and verification)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.files import write_atomic
from reviewtool.core.outputs import AUDIT, FOLDER_STATE, STORE, CableFiles, cable_key, key_of
from reviewtool.core.review.model import Clock
from reviewtool.core.review.review import Review, SuggestionSource
from reviewtool.core.review.store import read_meta
from reviewtool.errors import ReviewError


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
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def last_cable(self) -> str | None:
        key = self._state().get("last_cable")
        return key if isinstance(key, str) else None

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
        return read_meta(CableFiles(self.path, key).store)


def open_store(path: str | Path, *, reviewer: str = "report",
               clock: Clock | None = None) -> Review:
    """Open an existing review store by its path, with the cable text it keeps, read-only
    (for reports and verification: reading never writes the store or its log)."""
    p = Path(path)
    if p.name.endswith(AUDIT):
        p = CableFiles.beside(p).store
    if not p.is_file():
        raise ReviewError("no review store here", source=str(p))
    info = ReviewFolder(p.parent).info(key_of(p))
    if "cable_text" not in info:
        raise ReviewError("not a review store (no cable recorded)", source=str(p))
    cable = parse_cable(info["cable_text"], source=info.get("source") or None)
    if CableFiles(p.parent, cable_key(cable)).store.name != p.name:
        raise ReviewError(f"review store of {cable.id or 'another cable'} under another "
                          f"name (expected {cable_key(cable)}{STORE})", source=str(p))
    return Review.open(p.parent, cable, [], reviewer=reviewer,
                       rules_sha256=info["rules_sha256"], clock=clock, read_only=True)
