"""``kind: field``: a header field's value (the classifying official's name, the
signer ...), and its mentions elsewhere in the cable."""

from __future__ import annotations

from reviewtool.core.rules.validators.spec import KindFields, KindInput, KindSpec

FIELDS = ("classified_by.name", "classified_by", "signer", "subject", "tags", "ref", "decl")


def validate(k: KindInput) -> KindFields:
    fname = k.rd.str_("field", required=True)
    if fname is not None and fname not in FIELDS:
        k.rd.err("field", f"unknown field {fname!r} (one of {', '.join(FIELDS)})")
    return {"field": fname}


SPEC = KindSpec(frozenset({"field"}), 0.95, validate, propagate=True)
