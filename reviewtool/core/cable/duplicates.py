"""Repeated header blocks and repeated bodies: which parts of the body are copies.

Exports repeat a cable's header (banner, E.O. line, SUBJECT, Classified By) in the
middle of the body, sometimes followed by the whole body again. A later E.O. line with
the same instruction marks such a copy. `split_body` cuts the body into the pieces to
read for paragraphs and the duplicate spans to leave out of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewtool.core.cable.header import (
    BANNER,
    CLASSIFIED,
    EO,
    REF,
    SUBJECT,
    TAGS,
    block_end,
    read_classified_by,
)
from reviewtool.core.cable.model import ClassifiedBy, Decl
from reviewtool.core.cable.paragraphs import PARA_LINE, PARA_MID, first_start, has_start
from reviewtool.core.cable.text import squash, strip_span

Span = tuple[int, int]

_WS = re.compile(r"\s+")
# Lines that come between a repeated banner and its E.O. line.
_ROUTING_LINE = re.compile(r"^(?:SIPDIS|NOFORN|[A-Z/ ,]+ FOR\b.*|FOR .*|[A-Z][A-Z/ ,.]*)$")
_REPEAT_REACH = 3000      # how far past its E.O. line a repeated header may run
_BACK_LINES = 8           # how many lines before it to look for its banner
_PROBE = 400              # how much of the text after a repeat to compare with the body
_TRUNCATED_REACH = 4000   # how far the full copy of a truncated first copy may be


@dataclass(frozen=True, slots=True)
class Body:
    """The body cut at its copies: ``pieces`` to read for paragraphs, in order, and the
    ``duplicates`` (sorted); together with the gaps between them, the whole body."""

    pieces: list[Span]
    duplicates: list[Span]


# --------------------------------------------------------------------------- one repeat


def _walk_back_to_banner(text: str, start: int, lo: int) -> int:
    """Back from ``start`` over the SIPDIS/distribution lines to the banner before them,
    if there is one within a few lines; otherwise ``start``."""
    back = start
    for _ in range(_BACK_LINES):
        prev_end = text.rfind("\n", lo, back - 1) if back > lo else -1
        if prev_end < 0:
            break
        prev_start = text.rfind("\n", lo, prev_end) + 1
        line = text[prev_start:prev_end].strip(" \t\\")
        if prev_start < lo:
            break
        if BANNER.match(text[prev_start:prev_end]):
            return prev_start
        if line and not _ROUTING_LINE.match(line):
            break
        back = prev_start
    return start


def _repeat_start(text: str, eo: re.Match[str], lo: int) -> int:
    """Where the repeated header around the later E.O. line ``eo`` begins."""
    line_start = text.rfind("\n", 0, eo.start()) + 1
    start = eo.start() if text[line_start:eo.start()].strip() and \
        not BANNER.match(text, line_start) else line_start
    start = _walk_back_to_banner(text, start, lo)
    # Flattened copy: the banner begins the same line.
    ls = text.rfind("\n", 0, start) + 1
    if BANNER.match(text, ls) and ls >= lo and ls < start and "E.O." in text[ls:eo.start() + 5]:
        start = ls
    return start


def _repeat_end(text: str, eo: re.Match[str], hi: int) -> int:
    """Where the repeated header ends: with its Classified By (or its SUBJECT/REF/TAGS
    block), before the next paragraph."""
    window = min(hi, eo.end() + _REPEAT_REACH)
    for pattern in (PARA_LINE, PARA_MID):
        lead = first_start(pattern, text, eo.end(), window)
        if lead is not None:
            window = lead
    cb = CLASSIFIED.search(text, eo.end(), window)
    if cb:
        return block_end(text, cb.end(), window)
    end = eo.end()
    for pat in (REF, SUBJECT, TAGS):
        k = pat.search(text, eo.end(), window)
        if k:
            end = max(end, block_end(text, k.end(), window))
    return end


def _repeat_region(text: str, eo: re.Match[str], lo: int, hi: int) -> Span:
    """The span of a repeated header block around a later E.O. line."""
    start = _repeat_start(text, eo, lo)
    return start, strip_span(text, start, _repeat_end(text, eo, hi))[1]


def _repeated_headers(text: str, decl: Decl, lo: int, hi: int) -> list[Span]:
    """The repeated header blocks in ``text[lo:hi]``, merged where they overlap: around
    each later E.O. line that repeats the first one's instruction."""
    key = _WS.sub(" ", decl.text)
    found = sorted(_repeat_region(text, later, lo, hi) for later in EO.finditer(text, lo, hi)
                   if _WS.sub(" ", later.group("text")).startswith(key))
    regions: list[Span] = []
    for a, b in found:
        if regions and a <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(b, regions[-1][1]))
        else:
            regions.append((a, b))
    return regions


# --------------------------------------------------------------------------- the body


def _joined(text: str, pieces: list[Span]) -> str:
    return " ".join(text[s:e] for s, e in pieces)


def _repeats(text: str, before: list[Span], after: int, end: int) -> bool:
    """Whether the body after a repeated header repeats the body before it (a whole-body
    copy) rather than completing a truncated first copy ("1.  (C...")."""
    probe = squash(text[after:min(end, after + _PROBE)])[:80]
    if len(probe) < 20:
        return True
    return probe in squash(_joined(text, before))


def _truncated_copy(text: str, pieces: list[Span], after: int, end: int) -> bool:
    """Whether the body before a repeated header ("Summary ... 1.  (C...") is a truncated
    copy that the full copy after it contains."""
    before = squash(_joined(text, pieces)).rstrip(". ")
    return len(before) >= 8 and before in squash(text[after:min(end, after + _TRUNCATED_REACH)])


def split_body(text: str, start: int, end: int, decl: Decl | None, header_end: int) -> Body:
    """Cut the body ``text[start:end]`` at the copies of the header (``decl`` is the first
    E.O. line's; copies are looked for after ``header_end``)."""
    regions = _repeated_headers(text, decl, header_end, end) if decl else []
    pieces: list[Span] = []
    dups: list[Span] = []
    cursor = start
    for a, b in regions:
        if a < cursor:
            continue
        pieces.append((cursor, a))
        if any(has_start(text, s, e) for s, e in pieces) and _repeats(text, pieces, b, end):
            # The whole body repeats: everything from here on is the copy.
            dups.append((a, end))
            cursor = end
            break
        dups.append((a, b))
        # A truncated first copy is itself a duplicate, not a paragraph to review.
        if _truncated_copy(text, pieces, b, end):
            dups.extend(strip_span(text, s, e) for s, e in pieces if text[s:e].strip())
            pieces = []
        cursor = b
    pieces.append((cursor, end))
    dups.sort()
    return Body(pieces, dups)


def repeated_classified_by(text: str, dups: list[Span]) -> ClassifiedBy | None:
    """A truncated first header ("reasons 1...") may be complete in its repeat: the first
    Classified By in a duplicate that gives reasons."""
    for a, b in dups:
        m = CLASSIFIED.search(text, a, b)
        if m:
            better = read_classified_by(text, m, b)
            if better.reasons:
                return better
    return None
