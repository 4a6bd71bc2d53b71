"""Batch: streaming walk, resumable manifest, ordered output for any worker count and for
Dask, errors report, consistency across cables, draft mode. Real cables, small corpora."""

from __future__ import annotations

import json
import re
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewtool.core.batch import work
from reviewtool.core.batch.consistency import TermIndex, scan_text, withheld_term
from reviewtool.core.batch.manifest import Manifest
from reviewtool.core.batch.report import RUN_HEADING
from reviewtool.core.batch.run import run_batch
from reviewtool.core.batch.types import FORMAT, BatchRequest, Executor, Mode, NullProgress
from reviewtool.core.batch.work import suggestions_jsonl
from reviewtool.core.cable.read import read_cable
from reviewtool.core.files import walk_cables
from reviewtool.errors import ReviewToolError
from tests.core.rulehelp import NAME_RULES

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_cables"
ON = date(2026, 11, 23)

RULES = r"""
ruleset: batch-test
description: Small rule set for the batch tests.
policy:
  min_score: 0.5
  codes: [b6]
rules:
""" + NAME_RULES + r"""
  - id: missile-programs
    kind: terms
    codes: [b1, 1.4(h)]
    reason: Missile programs.
    terms: [ballistic missile program, MTCR]
"""

SMALL = ["05PARIS174.txt", "05PARIS1196.txt", "05PARIS104.txt", "06TUNIS55.txt",
         "08WARSAW953.txt", "09USNATO30.txt", "10CAIRO384.txt", "79TEHRAN8980.txt"]


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    p = tmp_path / "rules" / "test.yaml"
    p.parent.mkdir()
    p.write_text(RULES, encoding="utf-8")
    return p


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "cables"
    d.mkdir()
    for name in SMALL:
        shutil.copy(SAMPLES / name, d / name)
    return d


def tree(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, the report's timing section cut off."""
    files = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.name in ("report.md", "report.html"):
                data = _without_run(data.decode("utf-8")).encode("utf-8")
            files[p.relative_to(out).as_posix()] = data
    return files


def _without_run(text: str) -> str:
    cut = text.find(RUN_HEADING) if RUN_HEADING in text else text.find("<h2>This run</h2>")
    return text[:cut] if cut >= 0 else text


def run(corpus: Path, rules: Path | None, out: Path, progress=None, **kw):
    kw.setdefault("on", ON)
    return run_batch(BatchRequest(corpus, [rules] if rules else None, out, **kw), progress)


# --------------------------------------------------------------------------- pieces


def test_walk_is_sorted_depth_first_and_skips_hidden_and_output(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", ".hidden.txt", ".git/x.txt", "out/o.txt",
                "a.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    got = [p.relative_to(tmp_path).as_posix()
           for p in walk_cables(tmp_path, exclude=tmp_path / "out")]
    assert got == ["a/b/c.txt", "a/z.txt", "a.txt", "b.txt"]
    assert got == sorted(got, key=lambda r: tuple(r.split("/")))


@pytest.mark.parametrize("text, term", [
    ("Bertolotti", "bertolotti"),
    ("David\n   Bertolotti", "david bertolotti"),
    ("XXXXXXXXXXXX", None),
    ("1234", None),
    ("Li", None),  # too short to be meaningful across cables
    ("one two three four five six seven", None),  # a passage, not a term
    ("New Technologies Islamabad", "new technologies islamabad"),
])
def test_withheld_term(text: str, term: str | None) -> None:
    assert withheld_term(text) == term


@pytest.mark.parametrize("text, spans, expected", [
    # Whole words, any case and spacing; the first line of each is reported.
    ("A\nBertolotti said.\nbertolotti's aide", [], [("bertolotti", 2, 2)]),
    ("David\n  Bertolotti came", [], [("david bertolotti", 1, 1)]),
    # Covered by what the cable itself withholds: not a finding.
    ("Bertolotti said", [(0, 10)], []),
    ("x Bertolotti, then Bertolotti", [(2, 12)], [("bertolotti", 1, 1)]),
    # Part of a longer word is not the term.
    ("Bertolottis and unBertolotti", [], []),
    # The longest indexed term wins where terms overlap; a partly hidden one is hidden.
    ("David Bertolotti said", [], [("david bertolotti", 1, 1)]),
    ("David Bertolotti", [(6, 16)], []),
])
def test_scan_text(text: str, spans: list[tuple[int, int]], expected: list) -> None:
    index = TermIndex.build(["bertolotti", "david bertolotti"])
    assert scan_text(text, spans, index) == expected


WORDS = ["alpha", "Beta", "gamma", "DELTA", "x", "beta"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40),
       st.lists(st.sampled_from([" ", "\n", ", ", "  "]), min_size=1, max_size=40),
       st.data())
def test_scan_text_matches_a_reference(words: list[str], seps: list[str], data) -> None:
    text = "".join(w + seps[i % len(seps)] for i, w in enumerate(words))
    spans = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 8))
                               .map(lambda t: (t[0], t[0] + t[1])), max_size=4))
    index = TermIndex.build(["beta", "gamma delta"])
    got = {t: n for t, _line, n in scan_text(text, spans, index)}
    # Reference: regex occurrences not overlapping any span, "gamma delta" taking priority.
    want: dict[str, int] = {}
    taken: list[tuple[int, int]] = []
    for term, pattern in [("gamma delta", r"\bgamma[\W_]+delta\b"), ("beta", r"\bbeta\b")]:
        for m in re.finditer(pattern, text, re.I):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            if not any(m.start() < e and s < m.end() for s, e in spans):
                want[term] = want.get(term, 0) + 1
    assert got == want


def test_manifest_ignores_a_torn_last_line(tmp_path: Path) -> None:
    rec = {"file": "a.txt", "format": FORMAT, "sha256": "s", "rules_sha256": "r",
           "mode": "suggest", "on": "2026-11-23", "status": "ok", "name": "A",
           "outputs": {}, "size": 1}
    (tmp_path / "manifest.jsonl").write_text(json.dumps(rec) + "\n" + '{"file": "b.t')
    m = Manifest(tmp_path)
    assert list(m.index) == ["a.txt"]
    m.close()
    assert (tmp_path / "manifest.jsonl").read_text().count("\n") == 1


# --------------------------------------------------------------------------- runs


def test_outputs_for_a_small_corpus(corpus: Path, rules: Path, tmp_path: Path) -> None:
    from reviewtool.core.rules.load import load_rules
    from reviewtool.core.suggest.engine import suggest

    out = tmp_path / "out"
    s = run(corpus, rules, out, workers=1)
    assert (s.cables, s.ok, s.skipped, s.failed) == (len(SMALL), len(SMALL), 0, ())
    ruleset = load_rules([rules])
    for name in SMALL:
        cable = read_cable(corpus / name)
        got = (out / "cables" / f"{cable.id}.suggestions.jsonl").read_bytes()
        # Exactly the `suggest --json` objects (the source is the file, not the path).
        assert got == suggestions_jsonl(suggest(cable, ruleset))
    lines = (out / "triage.csv").read_text().splitlines()
    assert lines[0].startswith("id,file,classification,origin,created,paragraphs,")
    assert [ln.split(",")[1] for ln in lines[1:]] == sorted(SMALL)
    paris = next(ln for ln in lines if ln.startswith("05PARIS174,"))
    assert ",SECRET//NOFORN," in paris and ",passed,2025-01-10,2030-12-31," in paris
    assert (out / "errors.jsonl").read_bytes() == b""
    md = (out / "report.md").read_text()
    for section in ["Cables by classification", "Cables by origin", "Cables by year",
                    "Paragraphs by marking", "Suggestions by code", "Suggestions by rule",
                    "Past their DECL date", "Reaching the 25-year date by 2027-11-23",
                    "Cables with the most suggestions", "Consistency across cables",
                    RUN_HEADING]:
        assert section in md
    assert f"| Cables | {len(SMALL)} |" in md
    assert "| secret\\_names |" not in md and "| secret-names | batch-test |" in md
    html = (out / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html and "<script" not in html


def test_consistency_finds_a_name_withheld_in_one_cable_and_not_another(
        corpus: Path, rules: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s = run(corpus, rules, out, workers=1)
    assert s.inconsistent_terms >= 1
    rows = {r.split(",")[0]: r for r in (out / "consistency.csv").read_text().splitlines()}
    # Withheld in the Secret 05PARIS174, standing in the Confidential 05PARIS1196.
    row = rows["David Bertolotti"]
    assert ",05PARIS174," in row and "05PARIS1196:46" in row
    assert "05PARIS1196:49" in rows["Bertolotti"]
    md = (out / "report.md").read_text()
    section = md[md.index("## Consistency across cables"):]
    # The shared report names the term by its row in consistency.csv and its length,
    # never in clear (issue 16, item 1).
    row_no = list(rows).index("David Bertolotti")  # the header is row 0
    assert re.search(rf"\| #{row_no} \(2 words, 16 characters\) \| 1: 05PARIS174 \| "
                     r"1: 05PARIS1196:46 \| 50% \|", section)
    assert "Bertolotti" not in md and "Bertolotti" not in (out / "report.html").read_text()


def test_errors_report_with_a_broken_cable_and_a_binary_file(
        corpus: Path, rules: Path, tmp_path: Path) -> None:
    (corpus / "zz-binary.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02" + bytes(range(256)) * 8)
    (corpus / "notes.txt").write_text("Lunch order: two sandwiches.\nNo cable here.\n")
    (corpus / "empty.txt").write_bytes(b"")
    broken = (SAMPLES / "06TUNIS55.txt").read_bytes()[:40]  # cut off inside the header
    (corpus / "broken.txt").write_bytes(broken)
    out = tmp_path / "out"
    s = run(corpus, rules, out, workers=2)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert [e["file"] for e in errors] == ["broken.txt", "empty.txt", "notes.txt",
                                           "zz-binary.pdf"]
    reasons = {e["file"]: e["reason"] for e in errors}
    assert reasons["zz-binary.pdf"] == "binary file (NUL bytes), not a cable"
    assert reasons["empty.txt"] == "empty file"
    assert reasons["notes.txt"].startswith("not a cable")
    assert s.ok == len(SMALL) and len(s.failed) == 4
    assert "## Errors (4" in (out / "report.md").read_text()
    triage = (out / "triage.csv").read_text()
    assert "\nnotes.txt" not in triage and ",notes.txt," in triage  # a row, with the error


def test_a_cable_that_takes_too_long_is_an_error_and_the_run_goes_on(
        corpus: Path, rules: Path, tmp_path: Path, monkeypatch) -> None:
    real = work._suggest

    def slow(cable, ruleset):
        if cable.id == "06TUNIS55":
            time.sleep(5)
        return real(cable, ruleset)

    monkeypatch.setattr(work, "_suggest", slow)
    s = run(corpus, rules, tmp_path / "out", workers=1, timeout=0.3)
    assert [(f.file, f.reason) for f in s.failed] == [
        ("06TUNIS55.txt", "timed out after 0.3 s while applying rules")]
    assert s.ok == len(SMALL) - 1


class Phases(NullProgress):
    def __init__(self) -> None:
        self.phases: list[str] = []

    def start(self, phase: str, total: int, total_bytes: int) -> None:
        self.phases.append(phase)


def test_same_output_for_one_and_two_workers_and_resume(corpus: Path, rules: Path,
                                                        tmp_path: Path) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    run(corpus, rules, one, workers=1, chunk_size=3)
    run(corpus, rules, two, workers=2, chunk_size=2)
    assert tree(one) == tree(two)
    # A rerun skips everything, the consistency scan included, and changes nothing.
    before = tree(two)
    s = run(corpus, rules, two, workers=2, progress=(seen := Phases()))
    assert (s.skipped, s.processed) == (len(SMALL), 0)
    assert seen.phases == ["cables"]
    assert tree(two) == before
    # A changed cable is done again, and only it; a removed one takes its outputs along.
    text = (corpus / "05PARIS104.txt").read_text()
    (corpus / "05PARIS104.txt").write_text(text.replace("Paris", "Lyon", 1))
    (corpus / "10CAIRO384.txt").unlink()
    s = run(corpus, rules, two, workers=2)
    assert (s.processed, s.skipped, s.cables) == (1, len(SMALL) - 2, len(SMALL) - 1)
    assert not (two / "cables" / "10CAIRO384.suggestions.jsonl").exists()
    assert "10CAIRO384" not in (two / "triage.csv").read_text()
    # Another date or rule set is another piece of work.
    s = run(corpus, rules, two, workers=2, on=date(2027, 1, 1))
    assert s.skipped == 0


def test_draft_mode_is_identical_for_one_and_two_workers(corpus: Path, rules: Path,
                                                         tmp_path: Path) -> None:
    one = run(corpus, rules, tmp_path / "one", workers=1, mode="draft")
    run(corpus, rules, tmp_path / "two", workers=2, mode="draft", chunk_size=1)
    # Release copies, audit logs and review stores too: the draft clock is the batch date.
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert one.drafts_written + one.drafts_refused == len(SMALL)
    assert (tmp_path / "one" / "review" / "05PARIS174.review.sqlite").exists()


def _withheld_terms(out: Path) -> dict[str, list[str]]:
    """Each cable's withheld terms (as written), from the manifest."""
    terms: dict[str, list[str]] = {}
    for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("status") == "ok" and rec.get("name"):
            terms[rec["name"]] = [shown for _norm, shown in rec["summary"]["terms"]]
    return terms


CORPUS = ROOT.parent / "shared" / "corpus" / "cables"


@pytest.mark.parametrize("source", ["small", "corpus"])
def test_refused_drafts_log_where_the_leak_is_never_the_text(
        corpus: Path, rules: Path, tmp_path: Path, source: str) -> None:
    # Issue 16, item 5: the refusal in the audit log, the draft status, triage.csv and the
    # corpus report say where the leak is (place, line, the redaction's id and codes).
    if source == "corpus":
        if not CORPUS.is_dir():
            pytest.skip("no corpus")
        corpus = tmp_path / "real"
        corpus.mkdir()
        for name in sorted(p.name for p in CORPUS.iterdir())[:40]:
            shutil.copy(CORPUS / name, corpus / name)
        rules = ROOT / "rules"
    out = tmp_path / "out"
    s = run(corpus, rules, out, workers=1, mode="draft")
    assert s.drafts_refused > 0
    terms = _withheld_terms(out)
    refused = 0
    shared = [(out / n).read_text(encoding="utf-8") for n in ("report.md", "report.html")]
    for name, held in terms.items():
        logs = [(out / d / f"{name}.audit.jsonl").read_text(encoding="utf-8")
                for d in ("cables", "review")]
        events = [json.loads(line) for line in logs[0].splitlines()]
        refusals = [e for e in events if e["action"] == "release_refused"]
        if not refusals:
            continue
        refused += 1
        [ev] = refusals
        assert "withheld elsewhere by" in ev["note"] and "'" not in ev["note"].split("first:")[1]
        assert all({"where", "line", "col", "redaction", "codes"} <= set(lk) and lk["codes"]
                   for lk in ev["leaks"])
        assert re.search(r"by \w+ \w+ \([^)]+\)", ev["note"])  # the redaction and its codes
        for text in [*logs, *shared]:
            found = [t for t in held if len(t) > 3 and re.search(
                rf"(?<!\w){re.escape(t)}(?!\w)", text.replace("\\", ""), re.IGNORECASE)]
            assert not found, (name, found)
    assert refused == s.drafts_refused


def test_same_output_on_a_dask_cluster(corpus: Path, rules: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local"
    run(corpus, rules, local, workers=2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        s = run(corpus, rules, tmp_path / "dask", executor="dask",
                scheduler=cluster.scheduler_address)
    assert s.ok == len(SMALL)
    assert tree(local) == tree(tmp_path / "dask")
    assert "on a Dask cluster" in (tmp_path / "dask" / "report.md").read_text()


def test_duplicate_cable_ids_are_reported(corpus: Path, rules: Path, tmp_path: Path) -> None:
    (corpus / "copy").mkdir()
    shutil.copy(corpus / "05PARIS174.txt", corpus / "copy" / "05PARIS174.txt")
    s = run(corpus, rules, tmp_path / "out", workers=2)
    assert [(f.file, f.reason) for f in s.failed] == [
        ("copy/05PARIS174.txt", "same cable ID 05PARIS174 as 05PARIS174.txt; "
                                "not processed twice")]


def test_modes_and_executors_are_their_strings() -> None:
    # StrEnums: equal to, formatted and written to JSON as their values, so the manifest,
    # the report and the CLI say what they said when these were bare strings.
    assert [m.value for m in Mode] == ["suggest", "draft"]
    assert [e.value for e in Executor] == ["local", "dask"]
    assert Mode.DRAFT == "draft" and f"{Mode.DRAFT}" == "draft" and str(Executor.DASK) == "dask"
    assert json.dumps({"mode": Mode.DRAFT}) == '{"mode": "draft"}'


def test_a_request_takes_enums_or_their_strings(corpus: Path, rules: Path,
                                                tmp_path: Path) -> None:
    a = run(corpus, rules, tmp_path / "a", workers=1, mode=Mode.SUGGEST,
            executor=Executor.LOCAL)
    b = run(corpus, rules, tmp_path / "b", workers=1, mode="suggest", executor="local")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert a.mode is b.mode is Mode.SUGGEST


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "fast"}, "unknown mode 'fast'"),
    ({"executor": "ray"}, "unknown executor 'ray'"),
    ({"executor": "dask"}, "needs a scheduler address"),
])
def test_bad_arguments(corpus: Path, rules: Path, tmp_path: Path, kwargs, message) -> None:
    with pytest.raises(ReviewToolError, match=message):
        run(corpus, rules, tmp_path / "out", **kwargs)


def test_bad_folders(corpus: Path, rules: Path, tmp_path: Path) -> None:
    with pytest.raises(ReviewToolError, match="no such folder"):
        run(tmp_path / "nope", rules, tmp_path / "out")
    with pytest.raises(ReviewToolError, match="must not be the cables folder"):
        run(corpus, rules, corpus)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".DS_Store").write_bytes(b"\x00")
    with pytest.raises(ReviewToolError, match="no files in this folder"):
        run(tmp_path / "empty", rules, tmp_path / "out")
    assert not (tmp_path / "out").exists()
