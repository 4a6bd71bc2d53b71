"""The documented JSON form of a parsed cable (``inspect --json``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from reviewtool.core.cable.declass import declassification_status
from reviewtool.core.cable.model import Cable


def cable_to_json(cable: Cable, on: date | None = None) -> dict[str, Any]:
    """One JSON object per cable; the keys are documented in the README."""
    cb = cable.classified_by
    decl = cable.decl
    status = declassification_status(cable, on)
    return {
        "id": cable.id,
        "source": cable.source,
        "sha256": cable.sha256,
        "classification": cable.classification.banner(),
        "level": cable.classification.level.name,
        "controls": list(cable.classification.controls),
        "created": cable.created.isoformat(sep=" ") if cable.created else None,
        "released": cable.released.isoformat(sep=" ") if cable.released else None,
        "origin": cable.origin,
        "title": cable.title,
        "tags": list(cable.tags),
        "subject": cable.subject.value if cable.subject else None,
        "subject_marking": cable.subject_marking.format() if cable.subject_marking else None,
        "refs": list(cable.refs),
        "classified_by": None if cb is None else {
            "name": cb.name, "title": cb.title, "reasons": list(cb.reasons),
            "reasons_text": cb.reasons_text, "text": cb.text,
            "start": cb.start, "end": cb.end,
        },
        "decl": None if decl is None else {
            "order": decl.order, "text": decl.text, "kind": decl.kind,
            "date": decl.date.isoformat() if decl.date else None,
            "exemptions": list(decl.exemptions),
        },
        "entire_text": cable.entire_text.format() if cable.entire_text else None,
        "declassification": status.to_json(),
        "paragraphs": [
            {
                "number": p.number,
                "marking": p.written if p.written is not None else (
                    p.marking.text or p.marking.format() if p.marking else None),
                "level": p.level.name if p.level is not None else None,
                "controls": list(p.marking.controls) if p.marking else [],
                "inherited": p.inherited,
                "unmarked": p.unmarked,
                "start": p.start,
                "end": p.end,
            }
            for p in cable.paragraphs
        ],
        "duplicates": [{"start": s.start, "end": s.end} for s in cable.duplicates],
        "signer": cable.signer.value if cable.signer else None,
    }
