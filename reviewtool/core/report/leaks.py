"""Where the leak check found withheld text, said without the text: for the audit log,
a draft's status and the corpus report, which may be shared (the reviewer sees the text
itself in the review, and in the refusal on the terminal)."""

from __future__ import annotations

from reviewtool.core.release.marks import short_codes
from reviewtool.core.release.model import Leak, Release


def _id(leak: Leak) -> str:
    """The redaction's id (`Leak.hidden_by` is ``<kind> <id>``)."""
    return leak.hidden_by.rsplit(" ", 1)[-1]


def _codes(release: Release, leak: Leak) -> tuple[str, ...]:
    rid = _id(leak)
    for r in (*release.redactions, *release.mirrors):
        if r.id == rid:
            return r.codes
    return ()


def leak_place(release: Release, leak: Leak) -> str:
    """``¶6, line 35:378: withheld elsewhere by suggestion s2c (B6), rule persons.names``."""
    codes = short_codes(_codes(release, leak))
    by = leak.hidden_by + (f" ({codes})" if codes else "") + (
        f", rule {leak.rule}" if leak.rule else "")
    how = f" (near spelling, {leak.score:.0f})" if leak.score is not None else ""
    return f"{leak.where}, line {leak.line}:{leak.col}: withheld elsewhere{how} by {by}"


def leak_fields(release: Release, leak: Leak) -> dict[str, object]:
    """A leak as an audit event lists it: place, line, column, the redaction's id and
    codes, the rule; never the text found."""
    return {"where": leak.where, "line": leak.line, "col": leak.col,
            "redaction": _id(leak), "codes": list(_codes(release, leak)),
            "rule": leak.rule}
