"""``kind: paragraph``: withhold whole paragraphs, those where other rules matched
(``when``) or those of a marking (the rule's scope)."""

from __future__ import annotations

from reviewtool.core.rules.validators.spec import KindFields, KindInput, KindSpec


def validate(k: KindInput) -> KindFields:
    got = k.rd.str_list("when")
    when = tuple(got[0]) if got else ()
    if not when and not k.scope.by_marking:
        k.rd.err(None, "a 'paragraph' rule needs 'when' (rule ids) or a scope with "
                 "'markings' or 'min_level'; otherwise it would withhold every paragraph")
    # Whether the rules named exist is checked across files, once all are loaded.
    return {"when": when}


SPEC = KindSpec(frozenset({"when"}), 0.7, validate)
