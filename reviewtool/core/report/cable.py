"""What a report says about one cable's review: a `CableReport`, from plain data.

Built from the release copy (`Release`, which carries its `ReleaseInput`) and the
review's facts (`ReviewSummary`): disposition, counts by code, rule, marking and
reviewer, time spent, pending items, and the Vaughn index, one row per withholding.
No withheld text ever appears in it: the SUBJECT is the copy's (with its marks), and any
reviewer's note passes the leak check's reading with withheld strings
replaced by their marks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from reviewtool.core.cable.codes import short_code
from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.text import unwrap
from reviewtool.core.release.leak import leak_check
from reviewtool.core.release.marks import mark_for, short_codes
from reviewtool.core.release.model import Mark, Release
from reviewtool.core.release.places import place_label
from reviewtool.core.review.model import Redaction, RedactionKind
from reviewtool.core.review.outcome import ReviewSummary


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


_NO_RULE = {RedactionKind.PARAGRAPH: "(paragraph withheld)",
            RedactionKind.MIRROR: "(repeated text)"}


def _label(cable: Cable, r: Redaction) -> tuple[str, str]:
    """Where a withholding is (paragraph label or header part) and its marking."""
    p = cable.paragraphs[r.paragraph] if r.paragraph is not None else cable.paragraph_at(r.start)
    if p is not None:
        return p.label, p.marking.format() if p.marking else "unmarked"
    where = place_label(cable, r.start)
    if where == "subject line" and cable.subject_marking:
        return where, cable.subject_marking.format()
    return where, cable.classification.format()


def _segregability(r: Redaction, label: str) -> str:
    label = label if label.startswith("¶") else f"the {label}"
    if r.kind == RedactionKind.PARAGRAPH:
        return (f"Withheld in full: no reasonably segregable portion of {label} could be "
                "released without revealing the exempt information.")
    if r.kind == RedactionKind.MIRROR:
        return (f"Repeats text withheld under {r.origin}; withheld at each occurrence so it "
                "cannot be pieced together. The rest of the text is released.")
    return (f"Only the withheld words are redacted; the remainder of {label} is reasonably "
            "segregable and released.")


def _main(reds: list[Redaction]) -> Redaction:
    """The redaction a merged mark is listed under: a withheld paragraph, else the first
    that is not a mirror."""
    return next((r for r in reds if r.kind == RedactionKind.PARAGRAPH), None) or \
        next((r for r in reds if r.kind != RedactionKind.MIRROR), reds[0])


class _Tally:
    """The Vaughn rows of a copy, and its withholdings counted four ways."""

    def __init__(self) -> None:
        self.rows: list[VaughnRow] = []
        self.by_code: Counter[str] = Counter()
        self.by_rule: Counter[str] = Counter()
        self.by_marking: Counter[str] = Counter()
        self.by_reviewer: Counter[str] = Counter()

    def add(self, release: Release, m: Mark, reds: list[Redaction]) -> None:
        cable = release.input.cable
        main = _main(reds)
        label, marking = _label(cable, main)
        # A reviewer's note may name what it withholds; a rule's reason is its author's
        # public justification and stays as written.
        reason = "; ".join(dict.fromkeys(
            released_text(release, r.reason) if r.note and r.reason == r.note else r.reason
            for r in reds if r.reason))
        self.rows.append(VaughnRow(cable.id or "", label, marking, m.codes, reason,
                                   _segregability(main, label), main.kind, m.ids[0]))
        self.by_code.update(short_code(c) for c in m.codes)
        rules = dict.fromkeys(x for r in reds for x in r.rules)
        self.by_rule.update(list(rules) or [_NO_RULE.get(main.kind, "(manual)")])
        self.by_marking[marking] += 1
        self.by_reviewer.update(list(dict.fromkeys(r.reviewer or "-" for r in reds)))


def _tally(release: Release) -> _Tally:
    """One row per withholding: a mark may merge overlapping spans."""
    cable = release.input.cable
    tally = _Tally()
    by_id = {r.id: r for r in list(release.redactions) + list(release.mirrors)}
    for m in release.marks:
        reds = [by_id[i] for i in m.ids if i in by_id]
        if reds:
            tally.add(release, m, reds)
    labels = [p.label for p in cable.paragraphs]
    tally.rows.sort(key=lambda v: (labels.index(v.paragraph) if v.paragraph in labels
                                   else -1, v.id))
    return tally


def _paragraphs(release: Release, summary: ReviewSummary) -> list[tuple[str, str, str, str]]:
    """Each paragraph's label, marking, status and codes (its disposition's, else those
    of the marks in it)."""
    out = []
    for p, facts in zip(release.input.cable.paragraphs, summary.paragraphs, strict=True):
        codes = short_codes(facts.codes)
        if not codes:
            codes = short_codes(c for m in release.marks for c in m.codes
                                if p.start <= m.start < p.end)
        out.append((p.label, p.marking.format() if p.marking else "unmarked",
                    str(facts.status), codes))
    return out


def _pending(cable: Cable, summary: ReviewSummary) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((s.id, cable.paragraphs[s.paragraph].label if s.paragraph is not None
                  else "-", short_codes(s.codes), ", ".join(s.rules))
                 for s in summary.pending)


def released_text(release: Release, text: str) -> str:
    """``text`` (a reviewer's note, a line of the cable) with every withheld string the
    leak check finds in it replaced by its mark: what a report prints beside the copy."""
    if not text:
        return text
    cable = release.input.cable
    hidden = [(r, cable.text[r.start:r.end])
              for r in (*release.redactions, *release.mirrors) if r.kind != RedactionKind.PARAGRAPH]
    out, pos = [], 0
    for f in leak_check(text, hidden, fuzzy=release.input.fuzzy):
        if f.start >= pos:
            out += [text[pos:f.start], mark_for(f.redaction.codes, release.style)]
            pos = f.end
    return "".join(out) + text[pos:]


def released_subject(release: Release) -> str:
    """The SUBJECT line as the release copy shows it: each mark over it in place of what
    it withholds (a report shows only released text). Without a SUBJECT, the export's
    title if the copy releases it word for word, else nothing."""
    cable = release.input.cable
    f = cable.subject
    if f is None:
        title = " ".join((cable.title or "").split())
        return title if title and title in " ".join(release.body.split()) else ""
    parts, pos = [], f.start
    for m in sorted(release.marks, key=lambda m: m.start):
        if m.end <= pos or m.start >= f.end:
            continue
        parts += [cable.text[pos:m.start], m.mark]
        pos = m.end
    parts.append(cable.text[pos:f.end])
    # A copy the leak check refuses may still show a withheld name in its SUBJECT.
    return released_text(release, unwrap("".join(parts)))


def cable_report(release: Release, summary: ReviewSummary, *,
                 audit_log: str = "", seal: str = "") -> CableReport:
    """Summarize a review from its release copy and its facts."""
    cable = release.input.cable
    tally = _tally(release)
    return CableReport(
        cable=cable.id or "", subject=released_subject(release),
        classification=cable.classification.banner(), disposition=release.disposition,
        stamp=release.stamp, released_classification=release.classification.banner(),
        paragraphs=tuple(_paragraphs(release, summary)),
        by_code=dict(tally.by_code.most_common()), by_rule=dict(tally.by_rule.most_common()),
        by_marking=dict(tally.by_marking.most_common()),
        by_reviewer=dict(tally.by_reviewer.most_common()), time_spent=summary.time_spent,
        decided=summary.decided, total=summary.total, pending=_pending(cable, summary),
        vaughn=tuple(tally.rows), seal=seal, audit_log=audit_log, reviewers=summary.reviewers)
