"""A report in Markdown: one cable, or a set (summary, totals, then each cable).

Every piece of cable text in it is escaped (`md_escape`), so nothing in a cable can
become markup.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from reviewtool.core.cable.codes import short_code
from reviewtool.core.report.cable import CableReport, VaughnRow

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")


def md_escape(text: str | None) -> str:
    """Text safe inside a Markdown paragraph or table cell: punctuation backslash-escaped,
    line breaks flattened."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"[\s\\]*\n[\s\\]*", " ", str(text)).strip())


def _duration(t: timedelta) -> str:
    s = int(t.total_seconds())
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _counts(title: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    return _table([title, "Withholdings"], [[md_escape(k), str(v)] for k, v in counts.items()])


def _vaughn(rows: Sequence[VaughnRow]) -> list[str]:
    if not rows:
        return ["Nothing is withheld.", ""]
    return _table(
        ["#", "Document", "Paragraph", "Marking", "Codes", "Justification", "Segregability"],
        [[str(i), md_escape(v.document), md_escape(v.paragraph), md_escape(v.marking),
          md_escape(", ".join(short_code(c) for c in v.codes)), md_escape(v.justification),
          md_escape(v.segregability)] for i, v in enumerate(rows, 1)])


_COUNTS = (("Code", "by_code"), ("Rule", "by_rule"), ("Marking", "by_marking"),
           ("Reviewer", "by_reviewer"))


def _cable_section(e: CableReport, level: int) -> list[str]:
    h = "#" * level
    out = [f"{h} {md_escape(e.cable)}", ""]
    out += _table(["", ""], [
        ["Subject", md_escape(e.subject)],
        ["Classification", md_escape(e.classification)],
        ["Disposition", md_escape(e.stamp)],
        ["Released portions", md_escape(e.released_classification)],
        ["Reviewers", md_escape(", ".join(e.reviewers))],
        ["Time spent", _duration(e.time_spent)],
        ["Suggestions decided", f"{e.decided} of {e.total}"],
        ["Audit log", md_escape(f"{e.audit_log} {e.seal}".strip())],
    ])
    out += [f"{h}# Paragraphs", ""]
    out += _table(["Paragraph", "Marking", "Status", "Codes"],
                  [[md_escape(x) for x in row] for row in e.paragraphs])
    out += [f"{h}# Withholdings", ""]
    for title, attr in _COUNTS:
        out += _counts(title, getattr(e, attr))
    if not e.vaughn:
        out += ["Nothing is withheld.", ""]
    out += [f"{h}# Pending items", ""]
    if e.pending:
        out += _table(["Suggestion", "Paragraph", "Codes", "Rules"],
                      [[md_escape(x) for x in row] for row in e.pending])
    else:
        out += ["None.", ""]
    if level == 1:  # a set's report lists every cable's rows once, in its own index
        out += [f"{h}# Vaughn index", ""] + _vaughn(e.vaughn)
    return out


def _set_summary(entries: Sequence[CableReport]) -> list[str]:
    disp = Counter(e.disposition for e in entries)
    total = timedelta()
    for e in entries:
        total += e.time_spent
    return _table(["", ""], [
        ["Cables", str(len(entries))],
        *[[md_escape(k.capitalize()), str(v)] for k, v in sorted(disp.items())],
        ["Withholdings", str(sum(len(e.vaughn) for e in entries))],
        ["Pending items", str(sum(len(e.pending) for e in entries))],
        ["Time spent", _duration(total)],
    ])


def build_report(entries: Sequence[CableReport], title: str | None = None) -> str:
    """Markdown for one cable, or for a set (summary, totals, then each cable)."""
    if len(entries) == 1 and title is None:
        return "\n".join([f"# Review report: {md_escape(entries[0].cable)}", ""]
                         + _cable_section(entries[0], 1)[2:]).rstrip() + "\n"
    out = [f"# {md_escape(title or f'Review report: {len(entries)} cables')}", ""]
    out += _set_summary(entries)
    out += ["## Cables", ""]
    out += _table(["Cable", "Disposition", "Withholdings", "Pending", "Time spent"],
                  [[md_escape(e.cable), md_escape(e.stamp), str(len(e.vaughn)),
                    str(len(e.pending)), _duration(e.time_spent)] for e in entries])
    out += ["## Withholdings in the set", ""]
    for title_, attr in _COUNTS:
        c: Counter[str] = Counter()
        for e in entries:
            c.update(getattr(e, attr))
        out += _counts(title_, dict(c.most_common()))
    out += ["## Vaughn index", ""] + _vaughn([v for e in entries for v in e.vaughn])
    for e in entries:
        out += _cable_section(e, 2)
    return "\n".join(out).rstrip() + "\n"
