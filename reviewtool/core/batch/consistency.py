"""The consistency scan: every term withheld somewhere, looked for where it stands
unredacted (in another cable, or elsewhere in the same one): the "mosaic" risk.

`withheld_term` normalizes what a cable withholds into a term; the report collects the
terms into a `TermIndex`; `scan_cable` (run by the executors' workers) finds the terms
in one cable outside what that cable withholds itself.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewtool.core.batch.types import Hits, ManifestRecord, Scanned, ScanTask
from reviewtool.core.cable.read import decode_cable_bytes, read_cable_bytes
from reviewtool.errors import CableError

_TERM_WORD = re.compile(r"[^\W_]+")


def withheld_term(text: str) -> str | None:
    """The normalized form of a withheld span for the consistency check (lower case,
    words only), or ``None`` for spans that cannot meaningfully recur elsewhere: very
    short, numbers only, the ``XXXXXXXXXXXX`` of pre-publication redaction, or long
    passages (more than six words)."""
    words = _TERM_WORD.findall(text.lower())
    if not words or len(words) > 6:
        return None
    if all(w.isdigit() or set(w) == {"x"} for w in words):
        return None
    norm = " ".join(words)
    return norm if len(norm) >= 4 else None


@dataclass(frozen=True, slots=True)
class TermIndex:
    """Withheld terms (word tuples, lower case) keyed by their first word, longest first."""

    firsts: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def build(cls, terms: Iterable[str]) -> TermIndex:
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for term in terms:
            words = tuple(term.split())
            if words:
                by_first.setdefault(words[0], set()).add(words)
        return cls({k: tuple(sorted(v, key=lambda w: (-len(w), w)))
                    for k, v in by_first.items()})

    def __len__(self) -> int:
        return sum(len(v) for v in self.firsts.values())


def scan_text(text: str, spans: Sequence[tuple[int, int]], index: TermIndex) -> Hits:
    """Occurrences of indexed terms in ``text`` that no span in ``spans`` covers, as
    ``(term, line of the first, count)``: whole words, case- and spacing-insensitive."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length in lower case
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    present = set(_TERM_WORD.findall(low))
    firsts = index.firsts
    candidates = [t for w in present.intersection(firsts) for t in firsts[w]
                  if len(t) == 1 or present.issuperset(t[1:])]
    if not candidates:
        return []  # the common case, decided at C speed
    candidates.sort(key=lambda t: (-len(t), t))  # the longest term wins where they overlap
    starts, ends = _merge(spans)
    taken = bytearray(len(low))  # 1 where a longer term already matched
    found: dict[str, list[int]] = {}
    for term in candidates:
        for m in _term_pattern(term).finditer(low):
            start, end = m.span()
            if (start and low[start - 1].isalnum()) or taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
            at = bisect.bisect_left(starts, end) - 1
            if at < 0 or ends[at] <= start:  # not inside anything withheld here
                hit = found.setdefault(" ".join(term), [start, 0])
                hit[0] = min(hit[0], start)
                hit[1] += 1
    return [(term, text.count("\n", 0, first) + 1, count)
            for term, (first, count) in sorted(found.items())]


@functools.lru_cache(maxsize=65536)
def _term_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A term's words, any punctuation or spacing between them, not followed by a word
    character. It starts with a literal so the search is fast; the caller checks the
    character before."""
    return re.compile(r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])")


def _merge(spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, disjoint starts and ends covering ``spans``."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def scan_cable(task: ScanTask, index: TermIndex) -> Scanned:
    """What a worker does for one cable of the scan."""
    try:
        # re-read as the walk read it: a file swapped for a FIFO since must not hang the scan
        data = task.data if task.data is not None else read_cable_bytes(task.path or "")
        text = decode_cable_bytes(data, task.file)
    except (OSError, CableError):
        return task.name, 0, []  # changed or gone since it was processed; its record stands
    return task.name, len(data), scan_text(text, task.spans, index)


def scan_tasks(records: Iterable[ManifestRecord], root: Path,
               local: bool) -> Iterator[ScanTask]:
    """The consistency scan's tasks: every cable processed without error (any can hold a
    term withheld elsewhere), with the spans it withholds itself. Local workers read
    the file; a Dask worker is sent its bytes."""
    for rec in records:
        if rec.get("status") != "ok" or "summary" not in rec or rec["name"] is None:
            continue
        spans = tuple((s, e) for s, e in rec["summary"]["spans"])
        path = root / rec["file"]
        if local:
            yield ScanTask(rec["file"], rec["name"], str(path), None, spans)
        else:
            try:
                data = read_cable_bytes(path)
            except CableError:
                continue
            yield ScanTask(rec["file"], rec["name"], None, data, spans)
