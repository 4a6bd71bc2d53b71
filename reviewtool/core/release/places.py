"""Where an offset of the cable is, in words a reviewer knows: ``¶3``, ``subject line``."""

from __future__ import annotations

from reviewtool.core.cable.model import Cable, SegmentKind

_FIELD_LABELS = {"subject": "subject line", "classified_by": "Classified By line",
                 "classified_by.name": "Classified By line", "tags": "TAGS line",
                 "ref": "REF line", "decl": "E.O. line", "signer": "signature"}

_SEGMENT_LABELS = {"meta": "title line", "duplicate": "repeated header",
                   "gap": "between paragraphs", "signer": "signature"}


def place_label(cable: Cable, offset: int) -> str:
    """Where an offset of the cable is, for a reviewer: ``¶3``, ``subject line``,
    ``Classified By line``, ``title line``, ``repeated header``, ``header``..."""
    p = cable.paragraph_at(offset)
    if p is not None:
        return p.label
    seg = next((s for s in cable.segments if s.start <= offset < s.end), None)
    kind = seg.kind if seg else "text"
    if kind in (SegmentKind.HEADER, SegmentKind.SIGNER):
        field = _field_at(cable, offset)
        if field is not None:
            return field
    return _SEGMENT_LABELS.get(kind, kind)


def _field_at(cable: Cable, offset: int) -> str | None:
    """The header field (or the Classified By line) holding ``offset``, if any."""
    for name, f in cable.fields.items():
        if name in _FIELD_LABELS and f.start <= offset < max(f.end, f.start + 1):
            return _FIELD_LABELS[name]
    cb = cable.classified_by
    if cb is not None and cb.start <= offset < cb.end:
        return "Classified By line"
    return None
