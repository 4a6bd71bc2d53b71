"""Cable text -> `Cable`: header fields and paragraphs, every one a span of the text.

`parse_cable` reads the formats real cables come in (WikiLeaks page text, the
"Identifier / Created / Classification / Origin" export, tab-separated database rows
with `\\` line ends, telegram routing headers, repeated header blocks, flattened
paragraphs). Offsets are half-open ``(start, end)`` into the exact text given; the
`segments` of a cable partition the whole text, so nothing is lost.

The steps, each in its own module: the site metadata and the header fields
(`header`), the copies of the header in the body (`duplicates`), the paragraphs
(`paragraphs`), the segments (`segments`).
"""

from __future__ import annotations

from pathlib import Path

from reviewtool.core.cable.duplicates import Body, repeated_classified_by, split_body
from reviewtool.core.cable.header import (
    Header,
    Meta,
    banner_classification,
    classified_by_fields,
    find_entire_text,
    find_signer,
    read_header,
    read_meta,
)
from reviewtool.core.cable.markings import Level, Marking, overall, parse_classification
from reviewtool.core.cable.model import Cable, Field, Paragraph
from reviewtool.core.cable.paragraphs import scan_paragraphs
from reviewtool.core.cable.segments import build_segments
from reviewtool.errors import CableError

_ENTIRE_REACH = 200   # how far past the header an ENTIRE TEXT marking may be
_BANNER_REACH = 3000  # where to look for a banner when there is no E.O. line


def _check_text(text: object, source: str | None) -> None:
    if not isinstance(text, str):
        raise CableError("cable text must be str", source=source)
    if not text.strip():
        raise CableError("empty file", source=source)


def _require_header(meta: Meta, head: Header, source: str | None) -> None:
    if not head.found and not meta.id:
        raise CableError("not a cable: no cable header (ID, E.O. line, TAGS or SUBJECT) found",
                         source=source)


def _entire_text(text: str, pos: int, head: Header) -> Marking | None:
    """The ENTIRE TEXT marking, in the header or the subject."""
    first_para = head.first_para if head.first_para < len(text) else 0
    return find_entire_text(text, pos, min(len(text), max(head.end, first_para)
                                           + _ENTIRE_REACH))


def _stated_classification(text: str, meta: Meta, head: Header) -> Marking | None:
    """The classification the site's metadata gives, else the banner's (else, later,
    the paragraphs')."""
    if meta.classification:
        found = parse_classification(meta.classification)
        if found is not None:
            return found
    pos = meta.body_start
    return banner_classification(text, pos, head.eo.start() if head.eo else
                                 min(len(text), pos + _BANNER_REACH))


def _signer(text: str, head: Header) -> Field | None:
    """The signer after the last paragraph; the body ends where it begins."""
    after = head.first_para if head.first_para < len(text) else head.end
    signer = find_signer(text, max(head.end, after))
    if signer:
        head.fields["signer"] = signer
    return signer


def _body(text: str, head: Header, signer: Field | None) -> Body:
    """The body, from the header's end (or the first paragraph) to the signer, cut at
    the copies of the header in it; a truncated Classified By is completed from them."""
    end = signer.start if signer else len(text)
    body = split_body(text, min(head.end, head.first_para), end, head.decl, head.end)
    if head.classified_by is not None and not head.classified_by.reasons:
        better = repeated_classified_by(text, body.duplicates)
        if better is not None:
            head.classified_by = better
            classified_by_fields(head.fields, better)
    return body


def _id_from_source(source: str | None) -> str | None:
    return Path(source).stem if source else None


def _classification(stated: Marking | None, paragraphs: list[Paragraph]) -> Marking:
    if stated is not None:
        return stated
    return overall(p.marking for p in paragraphs) if paragraphs else Marking(Level.U)


def parse_cable(text: str, source: str | None = None) -> Cable:
    """Parse a cable's text. Raises `CableError` if the text is not a cable."""
    _check_text(text, source)
    meta = read_meta(text)
    head = read_header(text, meta.body_start)
    _require_header(meta, head, source)
    entire_text = _entire_text(text, meta.body_start, head)
    stated = _stated_classification(text, meta, head)
    signer = _signer(text, head)
    body = _body(text, head, signer)
    paragraphs = scan_paragraphs(text, body.pieces, entire_text,
                                 stated.level if stated else None)
    return Cable(
        text=text, source=source, id=meta.id or _id_from_source(source), title=meta.title,
        created=meta.created, released=meta.released, origin=meta.origin,
        classification=_classification(stated, paragraphs), entire_text=entire_text,
        decl=head.decl, tags=head.tags, subject=head.subject,
        subject_marking=head.subject_marking, refs=head.refs,
        classified_by=head.classified_by, signer=signer, paragraphs=tuple(paragraphs),
        segments=build_segments(text, meta.end, paragraphs, body.duplicates, signer),
        fields=head.fields,
    )
