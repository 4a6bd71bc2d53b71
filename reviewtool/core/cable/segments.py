"""The partition of a cable's text into `Segment`s, from what the parser found.

Paragraphs, duplicates and the signer are placed as found; the site header is ``meta``,
everything before the first of them ``header``; what is left between them is a ``gap``
if blank, else ``other`` (or ``trailer`` after the last one).
"""

from __future__ import annotations

from reviewtool.core.cable.model import Field, Paragraph, Segment, SegmentKind


def _filler(text: str, a: int, b: int, after_body: bool) -> Segment:
    """A leftover piece: blank ones are gaps; lines after the last paragraph (the closing
    banner, "NNNN") are the trailer."""
    if not text[a:b].replace("\\", " ").strip():
        return Segment(SegmentKind.GAP, a, b)
    return Segment(SegmentKind.TRAILER if after_body else SegmentKind.OTHER, a, b)


def build_segments(text: str, meta_end: int, paragraphs: list[Paragraph],
                   dups: list[tuple[int, int]], signer: Field | None) -> tuple[Segment, ...]:
    """Segments that partition ``text``: ``text[:meta_end]`` is the site header."""
    n = len(text)
    spans = [(p.start, p.end, SegmentKind.PARAGRAPH) for p in paragraphs]
    spans += [(a, b, SegmentKind.DUPLICATE) for a, b in dups]
    if signer:
        spans.append((signer.start, signer.end, SegmentKind.SIGNER))
    spans.sort()
    out: list[Segment] = []
    if meta_end:
        out.append(Segment(SegmentKind.META, 0, meta_end))
    cursor = meta_end
    first_content = spans[0][0] if spans else n
    if first_content > cursor:
        out.append(Segment(SegmentKind.HEADER, cursor, first_content))
        cursor = first_content
    for a, b, kind in spans:
        a = max(a, cursor)
        if b <= a:
            continue
        if a > cursor:
            out.append(_filler(text, cursor, a, False))
        out.append(Segment(kind, a, b))
        cursor = b
    if cursor < n:
        out.append(_filler(text, cursor, n, True))
    return tuple(out)
