"""The batch's corpus-level outputs: triage.csv, errors.jsonl, consistency.csv, and the
corpus report (report.md, report.html).

The Markdown and HTML report may be shared: it names no withheld text (a term is its
row in consistency.csv, which holds the terms for the reviewer; a refused draft says
where its leak is, not what). `ReportBuilder` is fed the manifest's records one at a
time (memory grows with the number of distinct origins, codes, rules and withheld terms,
not with the corpus), then the consistency scan's hits; `write` streams the records
again for the per-cable files.
Everything but the report's last section ("This run") is a function of the records, so
it is identical whatever the workers, the executor or the interruptions.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from reviewtool.core.batch.types import (
    BatchOptions,
    CableSummary,
    Executor,
    FailedCable,
    Hit,
    ManifestRecord,
    Mode,
    RunFacts,
)
from reviewtool.core.cable.codes import code_sort_key
from reviewtool.core.files import write_atomic
from reviewtool.core.outputs import SET_REPORT_HTML, SET_REPORT_MD
from reviewtool.core.report.html import render_html
from reviewtool.core.report.markdown import md_escape as esc
from reviewtool.core.rules.model import RuleSet

_Row = TypeVar("_Row", bound=tuple[str, ...])
# A cable in the "most suggestions" heap: suggestions, reversed file (ties: earlier file
# first), file, cable, classification, main codes.
_Top = tuple[int, tuple[int, ...], str, str, str, str]

TOP = 20  # rows in the report's "most" lists; the CSV files hold everything
LEVELS = ("U", "C", "S", "TS", "unmarked")


@dataclass(frozen=True, slots=True)
class ReportFacts:
    cables: int
    ok: int
    failed: tuple[FailedCable, ...]
    suggestions: int
    withheld: int
    inconsistent_terms: int
    drafts_written: int
    drafts_refused: int


@dataclass(slots=True)
class _Term:
    display: str
    cables: int = 0
    examples: tuple[str, ...] = ()
    open_cables: int = 0
    open_count: int = 0
    open_examples: tuple[tuple[str, int], ...] = ()


def next_year(on: date) -> date:
    try:
        return on.replace(year=on.year + 1)
    except ValueError:  # 29 February
        return on + timedelta(days=365)


class ReportBuilder:
    """Aggregates the manifest records of one run into the corpus report."""

    def __init__(self, out: Path, opts: BatchOptions, rules: RuleSet) -> None:
        self.out = out
        self.opts = opts
        self.rules = rules
        self.cables = 0
        self.ok = 0
        self.ok_bytes = 0
        self.failed: list[FailedCable] = []
        self.by_class: Counter[str] = Counter()
        self.by_origin: Counter[str] = Counter()
        self.by_year: Counter[str] = Counter()
        self.by_marking: Counter[str] = Counter()
        self.levels: Counter[str] = Counter()
        self.paragraphs = 0
        self.codes: Counter[str] = Counter()
        self.code_cables: Counter[str] = Counter()
        self.rule_hits: Counter[str] = Counter()
        self.rule_cables: Counter[str] = Counter()
        self.suggestions = 0
        self.withheld = 0
        self.with_suggestions = 0
        self.status: Counter[str] = Counter()
        self.past: list[tuple[str, str, str, str]] = []  # (decl date, id, class, file)
        self.past_count = 0
        self.soon: list[tuple[str, str, str, str, str]] = []
        self.soon_count = 0
        self.horizon = next_year(opts.on)
        self.most: list[_Top] = []  # min-heap of the top cables
        self.terms: dict[str, _Term] = {}
        self.drafts_written = 0
        self.drafts_refused = 0
        self.refused: list[tuple[str, str]] = []  # the first few (cable, reason)

    # ------------------------------------------------------------------ feeding

    def add(self, rec: ManifestRecord) -> None:
        self.cables += 1
        if rec.get("status") != "ok":
            self.failed.append(FailedCable(rec["file"], rec.get("error") or "failed"))
            return
        self.ok += 1
        self.ok_bytes += int(rec.get("size") or 0)
        s = rec["summary"]
        cid = s.get("id") or rec["name"] or ""
        self._count(s)
        self._draft(cid, s)
        self._declass(rec["file"], cid, s)
        item = (s["suggestions"], _neg(rec["file"]), rec["file"], cid, s["classification"],
                _top_codes(s["codes"]))
        if s["suggestions"]:
            if len(self.most) < TOP:
                heapq.heappush(self.most, item)
            else:
                heapq.heappushpop(self.most, item)
        for norm, display in s["terms"]:
            t = self.terms.get(norm)
            if t is None:
                t = self.terms[norm] = _Term(display)
            t.cables += 1
            if len(t.examples) < 3:
                t.examples += (cid,)

    def _count(self, s: CableSummary) -> None:
        """The counts of one cable's summary."""
        self.by_class[s["classification"]] += 1
        self.by_origin[s.get("origin") or "(unknown)"] += 1
        self.by_year[str(s["year"]) if s.get("year") else "(unknown)"] += 1
        for marking, n in s["paragraphs"].items():
            self.by_marking[marking] += n
            self.paragraphs += n
        for level, n in s["levels"].items():
            self.levels[level] += n
        for code, n in s["codes"].items():
            self.codes[code] += n
            self.code_cables[code] += 1
        for rule, n in s["rules"].items():
            self.rule_hits[rule] += n
            self.rule_cables[rule] += 1
        self.suggestions += s["suggestions"]
        self.withheld += s["withheld"]
        self.with_suggestions += bool(s["suggestions"])

    def _draft(self, cid: str, s: CableSummary) -> None:
        """Draft mode: whether the copy was written or refused."""
        if "draft" in s:
            if s["draft"] == "written":
                self.drafts_written += 1
            else:
                self.drafts_refused += 1
                if len(self.refused) < TOP:
                    self.refused.append((cid, s["draft"]))

    def _declass(self, file: str, cid: str, s: CableSummary) -> None:
        """Past their DECL date, and reaching the 25-year date within the year."""
        d = s["declass"]
        self.status[d["status"]] += 1
        decl = d.get("date")
        if d["status"] == "passed" and decl:
            self.past_count += 1
            _keep_smallest(self.past, (decl, cid, s["classification"], file), TOP)
        auto = d.get("automatic")
        if (auto and s["level"] != "U" and d["status"] not in ("declassified", "unclassified")
                and self.opts.on.isoformat() < auto <= self.horizon.isoformat()):
            self.soon_count += 1
            _keep_smallest(self.soon, (auto, cid, s["classification"], d["status"], file), 50)

    def terms_withheld(self) -> list[str]:
        """Every withheld term (normalized), for the consistency scan's index."""
        return list(self.terms)

    def add_unredacted(self, cable: str, hits: Iterable[Hit]) -> None:
        """Record where withheld terms stand unredacted (``cable`` is its output name)."""
        for term, line, count in hits:
            t = self.terms.get(term)
            if t is None:
                continue
            t.open_cables += 1
            t.open_count += count
            if len(t.open_examples) < 5:
                t.open_examples += ((cable, line),)

    # ------------------------------------------------------------------ writing

    def inconsistent(self) -> list[tuple[str, _Term]]:
        """Terms withheld somewhere and unredacted somewhere, the likeliest leaks first:
        by the share of their cables that withhold them, then by how many do. A term
        withheld nearly everywhere that stands in a few places is a slip to fix; one
        withheld once and standing in hundreds of cables is more likely a suggestion to
        reject (a common word, a public name)."""
        out = [(k, t) for k, t in self.terms.items() if t.open_cables]
        out.sort(key=lambda kv: (-_share(kv[1]), -kv[1].cables, kv[1].open_cables, kv[0]))
        return out

    def write(self, records: Callable[[], Iterator[ManifestRecord]],
              run: RunFacts) -> ReportFacts:
        write_atomic(self.out / "triage.csv", self._triage(records()))
        write_atomic(self.out / "errors.jsonl", "".join(
            json.dumps({"file": f.file, "reason": f.reason}, ensure_ascii=False) + "\n"
            for f in self.failed).encode("utf-8"))
        inconsistent = self.inconsistent()
        write_atomic(self.out / "consistency.csv", self._consistency_csv(inconsistent))
        md = self.markdown(inconsistent, run)
        write_atomic(self.out / SET_REPORT_MD, md.encode("utf-8"))
        write_atomic(self.out / SET_REPORT_HTML, render_html(md, "Batch report").encode("utf-8"))
        return ReportFacts(self.cables, self.ok, tuple(self.failed), self.suggestions,
                           self.withheld, len(inconsistent), self.drafts_written,
                           self.drafts_refused)

    def _triage(self, records: Iterator[ManifestRecord]) -> bytes:
        codes = sorted(self.codes, key=code_sort_key)
        draft = self.opts.mode == Mode.DRAFT
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["id", "file", "classification", "origin", "created", "paragraphs",
                    *(f"paragraphs_{lv}" for lv in LEVELS), "suggestions",
                    *(["withheld", "draft"] if draft else []), *codes, "declass_status",
                    "decl_date", "automatic_date", "error"])
        for rec in records:
            if rec.get("status") != "ok":
                w.writerow([rec.get("name") or "", rec["file"], *[""] * (8 + len(LEVELS)
                            + 2 * draft + len(codes)), rec.get("error") or "failed"])
                continue
            s = rec["summary"]
            d = s["declass"]
            w.writerow([s.get("id") or rec["name"], rec["file"], s["classification"],
                        s.get("origin") or "", s.get("created") or "",
                        sum(s["paragraphs"].values()), *(s["levels"].get(lv, 0) for lv in LEVELS),
                        s["suggestions"],
                        *([s["withheld"], s.get("draft", "")] if draft else []),
                        *(s["codes"].get(c, 0) for c in codes), d["status"], d.get("date") or "",
                        d.get("automatic") or "", ""])
        return buf.getvalue().encode("utf-8")

    def _consistency_csv(self, rows: list[tuple[str, _Term]]) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["term", "withheld_in_cables", "withheld_examples", "unredacted_in_cables",
                    "unredacted_occurrences", "unredacted_examples", "withheld_share"])
        for _norm, t in rows:
            w.writerow([t.display, t.cables, " ".join(t.examples), t.open_cables, t.open_count,
                        " ".join(f"{c}:{line}" for c, line in t.open_examples),
                        f"{_share(t):.3f}"])
        return buf.getvalue().encode("utf-8")

    # ------------------------------------------------------------------ the report

    def markdown(self, inconsistent: list[tuple[str, _Term]], run: RunFacts) -> str:
        out = self._overview(inconsistent)
        out += self._breakdowns()
        out += self._declass_tables()
        most = sorted(self.most, key=lambda x: (-x[0], x[2]))
        out += _table("Cables with the most suggestions",
                      ["Cable", "Classification", "Suggestions", "Main codes"],
                      [(esc(c), esc(k), f"{n:,}", esc(codes)) for n, _k, _f, c, k, codes in most])
        out += self._consistency(inconsistent)
        if self.drafts_refused:
            out += _table(f"Drafts refused by the leak check ({self.drafts_refused:,}; up to "
                          f"{TOP} shown; settle them in their reviews: reviewtool review "
                          "CABLES_DIR --review-dir OUT/review)",
                          ["Cable", "Why"], [(esc(c), esc(r)) for c, r in self.refused])
        if self.failed:
            out += _table(f"Errors ({len(self.failed):,}; up to {TOP} shown, all in "
                          "errors.jsonl)", ["File", "Reason"],
                          [(esc(f.file), esc(f.reason)) for f in self.failed[:TOP]])
        out += _run_section(run)
        return "\n".join(out)

    def _overview(self, inconsistent: list[tuple[str, _Term]]) -> list[str]:
        """The title, what was run, and the table of totals."""
        o = self.opts
        names = ", ".join(self.rules.names) or "rules"
        out: list[str] = [
            f"# Batch report: {self.cables:,} cables",
            "",
            f"Rule sets {esc(names)} (SHA-256 `{o.rules_sha256[:12]}`), mode **{o.mode}**, "
            f"declassification judged on {o.on.isoformat()}.",
            "",
            "| | |",
            "|---|---:|",
            f"| Cables | {self.cables:,} |",
            f"| Processed without error | {self.ok:,} |",
            f"| Failed (errors.jsonl) | {len(self.failed):,} |",
            f"| Paragraphs | {self.paragraphs:,} ("
            + ", ".join(f"{lv} {self.levels[lv]:,}" for lv in LEVELS) + ") |",
            f"| Suggestions | {self.suggestions:,} in {self.with_suggestions:,} cables |",
        ]
        if o.mode == Mode.DRAFT:
            out += [f"| Accepted in drafts (policy) | {self.withheld:,} |",
                    f"| Draft release copies written | {self.drafts_written:,} |",
                    f"| Drafts refused by the leak check | {self.drafts_refused:,} |"]
        out += [
            f"| Past their DECL date | {self.past_count:,} |",
            f"| Reaching the 25-year date by {self.horizon.isoformat()} | {self.soon_count:,} |",
            f"| Terms withheld in one place and unredacted in another | {len(inconsistent):,} |",
            "",
        ]
        return out

    def _breakdowns(self) -> list[str]:
        """Cables by classification, origin and year; paragraphs by marking; suggestions
        by code and by rule."""
        total = self.ok or 1
        out = _table("Cables by classification", ["Classification", "Cables", "Share"],
                     [(esc(k), f"{v:,}", f"{100 * v / total:.1f}%")
                      for k, v in _most(self.by_class)])
        origins = _most(self.by_origin)
        rows = [(esc(k), f"{v:,}") for k, v in origins[:25]]
        if len(origins) > 25:
            rest = sum(v for _k, v in origins[25:])
            rows.append((f"{len(origins) - 25} other origins", f"{rest:,}"))
        out += _table("Cables by origin", ["Origin", "Cables"], rows)
        out += _table("Cables by year", ["Year", "Cables"],
                      [(k, f"{v:,}") for k, v in sorted(self.by_year.items())])
        out += _table("Paragraphs by marking", ["Marking", "Paragraphs"],
                      [(esc(k), f"{v:,}") for k, v in _most(self.by_marking)])
        out += _table("Suggestions by code", ["Code", "Suggestions", "Cables"],
                      [(esc(k), f"{v:,}", f"{self.code_cables[k]:,}") for k, v in
                       sorted(self.codes.items(), key=lambda kv: code_sort_key(kv[0]))])
        out += _table("Suggestions by rule", ["Rule", "Rule set", "Suggestions", "Cables"],
                      [(esc(k), esc(self._ruleset(k)), f"{v:,}", f"{self.rule_cables[k]:,}")
                       for k, v in _most(self.rule_hits)])
        return out

    def _declass_tables(self) -> list[str]:
        """Declassification status, past their DECL date, reaching the 25-year date."""
        out = _table("Declassification status", ["Status", "Cables"],
                     [(esc(k), f"{v:,}") for k, v in _most(self.status)])
        out += _table(f"Past their DECL date ({self.past_count:,}; the oldest "
                      f"{min(TOP, self.past_count)} shown, all in triage.csv)",
                      ["Cable", "DECL date", "Classification"],
                      [(esc(c), d, esc(k)) for d, c, k, _f in sorted(self.past)])
        out += _table(f"Reaching the 25-year date by {self.horizon.isoformat()} "
                      f"({self.soon_count:,}; up to 50 shown)",
                      ["Cable", "25-year date", "Classification", "Status"],
                      [(esc(c), d, esc(k), esc(st)) for d, c, k, st, _f in sorted(self.soon)])
        return out

    def _consistency(self, inconsistent: list[tuple[str, _Term]]) -> list[str]:
        """The terms withheld in one place and unredacted in another."""
        withheld_word = ("accepted by the draft policy" if self.opts.mode == Mode.DRAFT
                         else "suggested")
        out = [
            "## Consistency across cables",
            "",
            f"A term {withheld_word} in one cable that stands unredacted elsewhere (in "
            "another cable, or elsewhere in the same one) undoes the redaction: the "
            "\"mosaic\" risk. Matching is on whole words, ignoring case, spacing and punctuation "
            "between words. "
            f"{len(inconsistent):,} terms. Sorted by the share of their cables that withhold "
            "them: at the top, terms withheld almost everywhere that stand in a few places "
            "(the likeliest leaks); at the bottom, terms withheld once that stand in many "
            "cables (more likely suggestions to reject). The first "
            f"{min(50, len(inconsistent))} are shown, all in consistency.csv. The terms "
            "themselves are withheld text: they are only in consistency.csv (for the "
            "reviewer, never to be shared); here each is its row there and its length.",
            "",
        ]
        if not inconsistent:
            return out + ["No term withheld in one place stands unredacted in another.", ""]
        out += ["| Term (row of consistency.csv) | Withheld in | Unredacted in (cable:line) "
                "| Withheld share |",
                "|---|---|---|---:|"]
        for row, (_norm, t) in enumerate(inconsistent[:50], 1):
            held = ", ".join(esc(c) for c in t.examples)
            if t.cables > len(t.examples):
                held += f" (+{t.cables - len(t.examples)})"
            open_ = ", ".join(f"{esc(c)}:{line}" for c, line in t.open_examples)
            if t.open_cables > len(t.open_examples):
                open_ += f" (+{t.open_cables - len(t.open_examples)})"
            out.append(f"| {term_label(row, t.display)} | {t.cables:,}: {held} | "
                       f"{t.open_cables:,}: {open_} | {100 * _share(t):.0f}% |")
        out.append("")
        return out

    def _ruleset(self, rule_id: str) -> str:
        try:
            return self.rules.rule(rule_id).ruleset
        except KeyError:
            return ""


RUN_HEADING = "## This run"


def _run_section(run: RunFacts) -> list[str]:
    """Timings: the only part of the outputs that differs between equivalent runs."""
    secs = run.seconds
    rate = run.processed / secs if secs > 0 else 0.0
    mbs = run.nbytes / 1e6 / secs if secs > 0 else 0.0
    how = (f"{run.workers} local worker(s)" if run.executor == Executor.LOCAL
           else "a Dask cluster")
    return [RUN_HEADING, "",
            f"Processed {run.processed:,} cables ({run.nbytes / 1e6:,.1f} MB) on {how} "
            f"in {secs:,.1f} s: {rate:,.1f} cables/s, {mbs:,.2f} MB/s; "
            f"{run.skipped:,} already done were skipped. Consistency scan "
            + ("reused (nothing changed)" if run.scan_cached
               else f"{run.scan_seconds:,.1f} s") + ".", ""]


# --------------------------------------------------------------------------- helpers


def term_label(row: int, term: str) -> str:
    """A withheld term as the corpus report names it: its row in consistency.csv and its
    length, never its text (nor a hash, which a dictionary of names would undo)."""
    words = len(term.split())
    return f"#{row} ({words} word{'s' if words != 1 else ''}, {len(term)} characters)"


def _share(t: _Term) -> float:
    """Of the cables where a term occurs, the share that withhold it (a cable that
    withholds it in one place and not another counts on both sides)."""
    return t.cables / (t.cables + t.open_cables)


def _keep_smallest(items: list[_Row], item: _Row, n: int) -> None:
    """Keep the ``n`` smallest items, sorted (``n`` is small)."""
    items.append(item)
    items.sort()
    del items[n:]


def _neg(s: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, for ties broken by earlier file first."""
    return tuple(-ord(c) for c in s) + (1,)


def _top_codes(codes: dict[str, int]) -> str:
    return ", ".join(k for k, _v in sorted(codes.items(), key=lambda kv: (-kv[1],
                                                                         code_sort_key(kv[0])))[:3])


def _most(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _table(title: str, head: list[str], rows: Sequence[tuple[str, ...]]) -> list[str]:
    out = [f"## {title}", ""]
    if not rows:
        return out + ["None.", ""]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join("---" if i == 0 else "---:" if _numeric(rows, i) else "---"
                              for i in range(len(head))) + "|")
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _numeric(rows: Sequence[tuple[str, ...]], i: int) -> bool:
    return all(re.fullmatch(r"[\d,.%]+", r[i] or "0") for r in rows)
