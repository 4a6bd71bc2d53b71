"""The output layout: what each file a review, a release or a batch writes is called.

Every stage that writes or finds an output names it through here, so the layout is
spelled once::

    <key>.review.sqlite      the review store (decisions, settings, audit lines)
    <key>.audit.jsonl        its hash-chained audit log
    <key>.txt                the release copy
    <key>.report.md/.html    a cable's report
    report.md/.html          a set's report
    <key>.suggestions.jsonl  a batch's suggestions for one cable

A cable's key is its reference ID made safe for a file name, else a hash of its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reviewtool.core.cable.model import Cable
from reviewtool.core.files import Holds

STORE = ".review.sqlite"
AUDIT = ".audit.jsonl"
RELEASE = ".txt"
REPORT_MD = ".report.md"
REPORT_HTML = ".report.html"
SUGGESTIONS = ".suggestions.jsonl"
SET_REPORT_MD = "report.md"
SET_REPORT_HTML = "report.html"
FOLDER_STATE = "folder.json"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def cable_key(cable: Cable) -> str:
    """File-name-safe key of a cable: its ID, else ``sha-`` and its text's hash."""
    if cable.id:
        return _UNSAFE.sub("_", cable.id)
    return "sha-" + cable.sha256[:16]


def key_of(path: str | Path) -> str:
    """The cable key of an output file's name (``X.audit.jsonl`` -> ``X``)."""
    name = Path(path).name
    for suffix in (STORE, AUDIT, REPORT_MD, REPORT_HTML, SUGGESTIONS, RELEASE):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def holds(path: str | Path) -> Holds:
    """What an output holds, by its name: only a release copy is for release."""
    return Holds.RELEASE if Path(path).name.endswith(RELEASE) else Holds.PRIVATE


@dataclass(frozen=True, slots=True)
class CableFiles:
    """The files of one cable in one folder."""

    folder: Path
    key: str

    @classmethod
    def of(cls, folder: str | Path, cable: Cable) -> CableFiles:
        return cls(Path(folder), cable_key(cable))

    @classmethod
    def beside(cls, path: str | Path) -> CableFiles:
        """The files of the cable that ``path`` (any of its outputs) belongs to."""
        p = Path(path)
        return cls(p.parent, key_of(p))

    def _named(self, suffix: str) -> Path:
        return self.folder / f"{self.key}{suffix}"

    @property
    def store(self) -> Path:
        return self._named(STORE)

    @property
    def audit(self) -> Path:
        return self._named(AUDIT)

    @property
    def release(self) -> Path:
        return self._named(RELEASE)

    @property
    def report_md(self) -> Path:
        return self._named(REPORT_MD)

    @property
    def report_html(self) -> Path:
        return self._named(REPORT_HTML)

    @property
    def suggestions(self) -> Path:
        return self._named(SUGGESTIONS)
