"""Audit reports: Markdown, and HTML rendered from it with raw HTML off.

A `CableReport` summarizes one review (disposition, counts by code, rule, marking and
reviewer, time spent, pending items, the Vaughn index); `build_report(entries)` makes
the Markdown for one cable or a set, `render_html(md, title)` the HTML. No withheld text
ever appears in a report; every piece of cable text in it is escaped.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from reviewtool.core.cable.codes import short_code
from reviewtool.core.release.render import Release, place_label, render_release, stamp_order

if TYPE_CHECKING:
    from reviewtool.core.review.review import Redaction, Review

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")


def md_escape(text: str | None) -> str:
    """Text safe inside a Markdown paragraph or table cell: punctuation backslash-escaped,
    line breaks flattened."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"[\s\\]*\n[\s\\]*", " ", str(text)).strip())


@dataclass(frozen=True, slots=True)
class VaughnRow:
    document: str
    paragraph: str
    marking: str
    codes: tuple[str, ...]
    justification: str
    segregability: str
    kind: str
    id: str


@dataclass(frozen=True)
class CableReport:
    """What a report says about one cable's review."""

    cable: str
    subject: str
    classification: str
    disposition: str
    stamp: str
    released_classification: str
    paragraphs: tuple[tuple[str, str, str, str], ...]  # label, marking, status, codes
    by_code: dict[str, int]
    by_rule: dict[str, int]
    by_marking: dict[str, int]
    by_reviewer: dict[str, int]
    time_spent: timedelta
    decided: int
    total: int
    pending: tuple[tuple[str, str, str, str], ...]  # id, paragraph, codes, rules
    vaughn: tuple[VaughnRow, ...]
    seal: str = ""
    audit_log: str = ""
    reviewers: tuple[str, ...] = field(default_factory=tuple)


_NO_RULE = {"paragraph": "(paragraph withheld)", "mirror": "(repeated text)"}


def _label(review: Review, r: Redaction) -> tuple[str, str]:
    cable = review.cable
    p = cable.paragraphs[r.paragraph] if r.paragraph is not None else cable.paragraph_at(r.start)
    if p is not None:
        return p.label, p.marking.format() if p.marking else "unmarked"
    where = place_label(cable, r.start)
    if where == "subject line" and cable.subject_marking:
        return where, cable.subject_marking.format()
    return where, cable.classification.format()


def _segregability(review: Review, r: Redaction, label: str) -> str:
    label = label if label.startswith("¶") else f"the {label}"
    if r.kind == "paragraph":
        return (f"Withheld in full: no reasonably segregable portion of {label} could be "
                "released without revealing the exempt information.")
    if r.kind == "mirror":
        return (f"Repeats text withheld under {r.origin}; withheld at each occurrence so it "
                "cannot be pieced together. The rest of the text is released.")
    return (f"Only the withheld words are redacted; the remainder of {label} is reasonably "
            "segregable and released.")


def cable_report(review: Review, release: Release | None = None, *,
                 audit_log: str = "", seal: str = "") -> CableReport:
    """Summarize ``review`` (its release copy is rendered if not given)."""
    rel = release or render_release(review, fuzzy=False)
    cable = review.cable
    rows: list[VaughnRow] = []
    by_code: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    by_marking: Counter[str] = Counter()
    by_reviewer: Counter[str] = Counter()
    by_id = {r.id: r for r in list(rel.redactions) + list(rel.mirrors)}
    for m in rel.marks:  # one row per withholding: a mark may merge overlapping spans
        reds = [by_id[i] for i in m.ids if i in by_id]
        if not reds:
            continue
        main = next((r for r in reds if r.kind == "paragraph"), None) or \
            next((r for r in reds if r.kind != "mirror"), reds[0])
        label, marking = _label(review, main)
        reason = "; ".join(dict.fromkeys(r.reason for r in reds if r.reason))
        rows.append(VaughnRow(cable.id or "", label, marking, m.codes, reason,
                              _segregability(review, main, label), main.kind, m.ids[0]))
        by_code.update(short_code(c) for c in m.codes)
        rules = dict.fromkeys(x for r in reds for x in r.rules)
        by_rule.update(list(rules) or [_NO_RULE.get(main.kind, "(manual)")])
        by_marking[marking] += 1
        by_reviewer.update(list(dict.fromkeys(r.reviewer or "-" for r in reds)))
    rows.sort(key=lambda v: (_order(review, v), v.id))
    pars = []
    for p in cable.paragraphs:
        d = review.disposition_record(p.index)
        codes = ", ".join(short_code(c) for c in stamp_order(d.codes)) if d else ""
        if not codes:
            codes = ", ".join(short_code(c) for c in stamp_order(
                c for m in rel.marks for c in m.codes if p.start <= m.start < p.end))
        pars.append((p.label, p.marking.format() if p.marking else "unmarked",
                     review.paragraph_status(p.index), codes))
    pending = tuple((s.id, cable.paragraphs[s.paragraph].label if s.paragraph is not None
                     else "-", ", ".join(short_code(c) for c in stamp_order(s.codes)),
                     ", ".join(s.rules)) for s in review.pending())
    decided, total = review.progress()
    return CableReport(
        cable=cable.id or "", subject=cable.subject.value if cable.subject else (cable.title or ""),
        classification=cable.classification.banner(), disposition=rel.disposition,
        stamp=rel.stamp, released_classification=rel.classification.banner(),
        paragraphs=tuple(pars), by_code=dict(by_code.most_common()),
        by_rule=dict(by_rule.most_common()), by_marking=dict(by_marking.most_common()),
        by_reviewer=dict(by_reviewer.most_common()), time_spent=review.time_spent(),
        decided=decided, total=total, pending=pending, vaughn=tuple(rows), seal=seal,
        audit_log=audit_log, reviewers=tuple(review.reviewers()))


def _order(review: Review, v: VaughnRow) -> int:
    labels = [p.label for p in review.cable.paragraphs]
    return labels.index(v.paragraph) if v.paragraph in labels else -1


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
    for title, counts in (("Code", e.by_code), ("Rule", e.by_rule),
                          ("Marking", e.by_marking), ("Reviewer", e.by_reviewer)):
        out += _counts(title, counts)
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


def build_report(entries: Sequence[CableReport], title: str | None = None) -> str:
    """Markdown for one cable, or for a set (summary, totals, then each cable)."""
    if len(entries) == 1 and title is None:
        return "\n".join([f"# Review report: {md_escape(entries[0].cable)}", ""]
                         + _cable_section(entries[0], 1)[2:]).rstrip() + "\n"
    out = [f"# {md_escape(title or f'Review report: {len(entries)} cables')}", ""]
    disp = Counter(e.disposition for e in entries)
    total = timedelta()
    for e in entries:
        total += e.time_spent
    out += _table(["", ""], [
        ["Cables", str(len(entries))],
        *[[md_escape(k.capitalize()), str(v)] for k, v in sorted(disp.items())],
        ["Withholdings", str(sum(len(e.vaughn) for e in entries))],
        ["Pending items", str(sum(len(e.pending) for e in entries))],
        ["Time spent", _duration(total)],
    ])
    out += ["## Cables", ""]
    out += _table(["Cable", "Disposition", "Withholdings", "Pending", "Time spent"],
                  [[md_escape(e.cable), md_escape(e.stamp), str(len(e.vaughn)),
                    str(len(e.pending)), _duration(e.time_spent)] for e in entries])
    out += ["## Withholdings in the set", ""]
    for title_, attr in (("Code", "by_code"), ("Rule", "by_rule"), ("Marking", "by_marking"),
                         ("Reviewer", "by_reviewer")):
        c: Counter[str] = Counter()
        for e in entries:
            c.update(getattr(e, attr))
        out += _counts(title_, dict(c.most_common()))
    out += ["## Vaughn index", ""] + _vaughn([v for e in entries for v in e.vaughn])
    for e in entries:
        out += _cable_section(e, 2)
    return "\n".join(out).rstrip() + "\n"


STYLESHEET = """
body { font: 11pt/1.4 Georgia, serif; max-width: 60em; margin: 2em auto; color: #111; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
table { border-collapse: collapse; margin: 0.5em 0 1.2em; width: 100%; }
th, td { border: 1px solid #888; padding: 0.2em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  h2 { page-break-before: auto; } tr, td { page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def markdown_renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_html(md: str, title: str) -> str:
    """A standalone HTML page for ``md``: raw HTML in the Markdown is shown as text."""
    body = markdown_renderer().render(md)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{STYLESHEET}</style>\n</head>\n"
            f"<body>\n{body}</body>\n</html>\n")
