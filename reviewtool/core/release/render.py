"""Release input -> release copy: marks in place of the withheld spans, stamp, banner,
and the leak check.

The copy is built from the original text and the decided spans, never by search and
replace. Text outside the paragraphs that repeats a withheld string is redacted too
(`mirror.py`), so a repeated copy never leaks; then the leak check (`leak.py`), always
on, looks for every withheld string in the final text. Rendering reads only its
`ReleaseInput`: no review store, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewtool.core.cable.markings import Marking, overall
from reviewtool.core.release.leak import Copied, leak_check, place_leak
from reviewtool.core.release.marks import (
    check_style,
    format_banner,
    mark_for,
    short_codes,
    stamp_order,
    withheld_text,
)
from reviewtool.core.release.mirror import mirror_redactions
from reviewtool.core.release.model import Leak, Mark, MarkStyle, Release, ReleaseDisposition
from reviewtool.core.review.model import Redaction, RedactionKind
from reviewtool.core.review.outcome import ReleaseInput

DEFAULT_AUTHORITY = "E.O. 13526"
RULE = "=" * 72


@dataclass(frozen=True, slots=True)
class _Body:
    """The cable with its marks in place: the text, where each run copied from the cable
    begins (body offset, original offset), and where each mark is in it."""

    text: str
    copied: Copied
    mark_spans: list[tuple[int, int]]


def render_release(inp: ReleaseInput) -> Release:
    """Build the release copy ``inp`` describes; ``leaks`` lists withheld text still in it."""
    style = check_style(inp.style)
    text = inp.cable.text
    withheld = {r.paragraph: r for r in inp.redactions if r.kind == RedactionKind.PARAGRAPH}
    spans = [r for r in inp.redactions if r.kind != RedactionKind.PARAGRAPH]
    mirrors = mirror_redactions(inp.cable, spans + list(withheld.values()))
    marks = _marks(text, spans + mirrors, withheld, style, inp.preserve_length)
    body = _body(text, marks)
    codes = stamp_order(c for m in marks for c in m.codes)
    disposition = _disposition(inp, withheld, marks)
    stamp = _stamp(disposition, codes)
    classification = _released_classification(inp, withheld)
    banner = format_banner(inp.settings, reviewer=inp.reviewer, cable_id=inp.cable.id or "",
                           when=inp.on, classification="DENIED"
                           if disposition == ReleaseDisposition.DENIED else "UNCLASSIFIED")
    header = _header(inp, stamp, banner, classification)
    full = header + body.text
    hidden = [(r, text[r.start:r.end]) for r in spans]
    hidden += [(r, text[r.start:r.end]) for r in withheld.values()]
    leaks = _leaks(inp, full, len(header), body, hidden)
    return Release(full, stamp, codes, disposition, classification, tuple(marks),
                   tuple(mirrors), leaks, len(header), banner, inp)


def _body(text: str, marks: Sequence[Mark]) -> _Body:
    pieces: list[str] = []
    copied: Copied = []
    mark_spans: list[tuple[int, int]] = []
    cursor = 0
    pos = 0
    for m in marks:
        if m.start > cursor:
            copied.append((pos, cursor))
            pieces.append(text[cursor:m.start])
            pos += m.start - cursor
        mark_spans.append((pos, pos + len(m.mark)))
        pieces.append(m.mark)
        pos += len(m.mark)
        cursor = m.end
    copied.append((pos, cursor))
    pieces.append(text[cursor:])
    return _Body("".join(pieces), copied, mark_spans)


def _disposition(inp: ReleaseInput, withheld: dict[int | None, Redaction],
                 marks: Sequence[Mark]) -> ReleaseDisposition:
    n_par = len(inp.cable.paragraphs)
    if n_par and len(withheld) == n_par:
        return ReleaseDisposition.DENIED
    return ReleaseDisposition.PART if marks else ReleaseDisposition.FULL


def _stamp(disposition: ReleaseDisposition, codes: Sequence[str]) -> str:
    if disposition == ReleaseDisposition.FULL:
        return "RELEASE IN FULL"
    return f"{disposition.upper()} {short_codes(codes)}".strip()


def _released_classification(inp: ReleaseInput,
                             withheld: dict[int | None, Redaction]) -> Marking:
    """The overall marking of the released paragraphs (the cable's, if none is)."""
    cable = inp.cable
    released = [p.marking for p in cable.paragraphs if p.index not in withheld]
    if released:
        return overall(released)
    return Marking(cable.classification.level, cable.classification.controls)


def _header(inp: ReleaseInput, stamp: str, banner: str, classification: Marking) -> str:
    """The release header: stamp, banner, classifications, declassification, seal."""
    cable = inp.cable
    authority = inp.settings.get("authority") or DEFAULT_AUTHORITY
    orig = cable.classification.banner() if cable.classification else "UNCLASSIFIED"
    head = [
        stamp,
        banner,
        f"Original classification: {orig}; released portions: {classification.banner()}",
        f"Declassified: {inp.on.isoformat()}, {inp.reviewer}, {authority}",
    ]
    if inp.seal is not None:
        head.append(inp.seal.format())
    return "\n".join(head) + "\n" + RULE + "\n"


def _leaks(inp: ReleaseInput, full: str, header_len: int, body: _Body,
           hidden: Sequence[tuple[Redaction, str]]) -> tuple[Leak, ...]:
    # The release header is our own template (stamp, banner, dates), not cable text.
    skip = [(0, header_len)] + [(a + header_len, b + header_len) for a, b in body.mark_spans]
    found = leak_check(full, hidden, skip=skip, fuzzy=inp.fuzzy)
    return tuple(place_leak(inp.cable, full, header_len, body.copied, f) for f in found)


def _marks(text: str, spans: Sequence[Redaction], withheld: dict[int | None, Redaction],
           style: MarkStyle, preserve_length: bool) -> list[Mark]:
    """Merge overlapping or touching spans into one mark each; spans inside a withheld
    paragraph vanish into its ``[Paragraph withheld: ...]``."""
    items: list[tuple[int, int, tuple[str, ...], tuple[str, ...], bool]] = []
    for r in withheld.values():
        items.append((r.start, r.end, r.codes, (r.id,), True))
    blocked = sorted((r.start, r.end) for r in withheld.values())
    for r in spans:
        if any(a <= r.start and r.end <= b for a, b in blocked):
            continue
        items.append((r.start, r.end, r.codes, (r.id,), False))
    items.sort()
    merged: list[_Run] = []
    for start, end, codes, ids, whole in items:
        if merged and start <= merged[-1].end:
            merged[-1].take(end, codes, ids, whole)
        else:
            merged.append(_Run(start, end, codes, ids, whole))
    return [run.mark(text, style, preserve_length) for run in merged]


class _Run:
    """Spans merged into one mark while `_marks` walks them."""

    def __init__(self, start: int, end: int, codes: tuple[str, ...], ids: tuple[str, ...],
                 whole: bool) -> None:
        self.start, self.end, self.codes, self.ids, self.whole = start, end, codes, ids, whole

    def take(self, end: int, codes: tuple[str, ...], ids: tuple[str, ...],
             whole: bool) -> None:
        self.end = max(self.end, end)
        self.codes = tuple(dict.fromkeys(self.codes + codes))
        self.ids = self.ids + ids
        self.whole = self.whole or whole

    def mark(self, text: str, style: MarkStyle, preserve_length: bool) -> Mark:
        if self.whole:
            mark = withheld_text(self.codes)
        else:
            hidden = text[self.start:self.end]
            mark = mark_for(self.codes, style, length=len(hidden) if preserve_length else None,
                            hidden=hidden)
        return Mark(self.start, self.end, mark, stamp_order(self.codes), self.ids, self.whole)
