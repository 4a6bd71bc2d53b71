"""``kind: names``: persons' names found by the names recognizer, at or above a score."""

from __future__ import annotations

from reviewtool.core.rules.validators.spec import KindFields, KindInput, KindSpec


def validate(k: KindInput) -> KindFields:
    got = k.rd.num("min_score", 0.0, 1.0)
    return {"min_score": 0.75 if got is None else got}


SPEC = KindSpec(frozenset({"min_score"}), 0.0, validate, propagate=True)
