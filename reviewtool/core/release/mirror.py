"""Mirrored redactions: text outside the paragraphs that repeats a withheld string.

The site's title line, the header with its SUBJECT, repeated header blocks and bodies,
and the signer are redacted wherever they hold, ignoring case and whitespace, a string
withheld elsewhere, so that a repeated copy never leaks it.
"""

from __future__ import annotations

from collections.abc import Sequence

from reviewtool.core.cable.model import Cable, SegmentKind
from reviewtool.core.review.model import (
    Redaction,
    RedactionKind,
    normalize_text,
    occurrence_pattern,
)


def outside_paragraphs(cable: Cable) -> list[tuple[int, int]]:
    """Runs of text outside the paragraphs (blank gaps between paragraphs skipped)."""
    text = cable.text
    outside: list[tuple[int, int]] = []
    for seg in cable.segments:
        if seg.kind == SegmentKind.PARAGRAPH or not text[seg.start:seg.end].strip(" \t\r\n\\"):
            continue
        if outside and outside[-1][1] == seg.start:
            outside[-1] = (outside[-1][0], seg.end)
        else:
            outside.append((seg.start, seg.end))
    return outside


def mirror_redactions(cable: Cable, redactions: Sequence[Redaction]) -> list[Redaction]:
    """Redactions of every place outside the paragraphs (title line, header, SUBJECT,
    repeated headers and bodies, signer) that holds a string withheld elsewhere."""
    text = cable.text
    outside = outside_paragraphs(cable)
    if not outside:
        return []
    out: list[Redaction] = []
    seen: set[tuple[int, int]] = {(r.start, r.end) for r in redactions}
    done: set[str] = set()
    for r in redactions:
        hidden = text[r.start:r.end]
        key = normalize_text(hidden)
        if key in done:  # the same text was searched for already
            continue
        done.add(key)
        pat = occurrence_pattern(hidden)
        if pat is None:
            continue
        for a, b in outside:
            for m in pat.finditer(text, a, b):
                if (m.start(), m.end()) in seen:
                    continue
                seen.add((m.start(), m.end()))
                out.append(Redaction(f"{r.id}@{m.start()}", RedactionKind.MIRROR, m.start(),
                                     m.end(), r.codes, None, f"same text as {r.id}: {r.reason}",
                                     r.rules, None, r.reviewer, r.time, r.id))
    return out
