"""Reports: counts, Vaughn index, pending items, escaping, HTML with raw HTML off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewtool.core.cable.text import squash
from reviewtool.core.finish import finish_review
from reviewtool.core.release.render import render_release
from reviewtool.core.report.cable import CableReport, cable_report
from reviewtool.core.report.html import render_html
from reviewtool.core.report.markdown import build_report, md_escape
from reviewtool.core.review.outcome import release_input, review_summary
from reviewtool.core.review.review import Review
from reviewtool.core.rules.load import load_rules
from reviewtool.core.suggest.engine import suggest
from tests.core.handmade import ROOT, RULES_SHA, Clock, cable, term_suggestions
from tests.core.scenarios import paris174, paris1196


def report(review: Review) -> CableReport:
    """The report of ``review`` as it stands (its copy rendered without near spellings)."""
    return cable_report(render_release(release_input(review, fuzzy=False)),
                        review_summary(review))


@pytest.fixture
def entries(tmp_path):
    reviews = [paris174(tmp_path / "a"), paris1196(tmp_path / "b")]
    out = [report(r) for r in reviews]
    yield out
    for r in reviews:
        r.close()


def test_cable_report_counts_and_vaughn(entries):
    e = entries[0]
    assert (e.cable, e.disposition) == ("05PARIS174", "release in part")
    assert e.stamp == "RELEASE IN PART B1, 1.4(B), 1.4(D), B6"
    assert (e.decided, e.total) == (31, 31) and e.pending == ()
    assert len(e.vaughn) == sum(e.by_marking.values()) == sum(e.by_reviewer.values())
    assert e.by_rule["(paragraph withheld)"] == 1
    [withheld] = [v for v in e.vaughn if v.kind == "paragraph"]
    assert (withheld.paragraph, withheld.marking, withheld.codes) == (
        "¶3", "S//NF", ("(b)(1)", "1.4(d)"))
    assert withheld.justification == "British liaison information throughout; nothing segregable"
    assert "no reasonably segregable portion of ¶3" in withheld.segregability
    # no row for the names inside the withheld paragraph: its row covers them
    assert [v.paragraph for v in e.vaughn].count("¶3") == 1
    assert e.time_spent.total_seconds() > 0


def test_mirror_rows_name_the_repeated_header(entries):
    rows = entries[1].vaughn
    assert [(v.paragraph, v.kind) for v in rows[:2]] == [("Classified By line", "manual"),
                                                         ("repeated header", "mirror")]
    assert rows[1].justification.startswith("same text as m1")


def test_reports_never_show_withheld_text(entries):
    md = build_report(entries)
    assert "Bertolotti" not in md and "In'Trad" not in md and "DRY" not in md
    assert md.startswith("# Review report: 2 cables")
    assert "| Release in part | 2 |" in md
    assert md.count("## 05PARIS") == 2
    assert "| 1 | 05PARIS174 | ¶1 | S | B6 |" in md


def test_pending_items_listed(tmp_path):
    c = cable("05PARIS174")
    r = Review.open(tmp_path, c, term_suggestions(c, ["New Technologies Islamabad"]),
                    reviewer="a", rules_sha256=RULES_SHA, clock=Clock())
    md = build_report([report(r)])
    assert "| 05PARIS174-s1 | ¶1 | B1, 1.4(D) | terms.islamabad |" in md
    assert "Suggestions decided | 0 of 1" in md
    r.close()


@pytest.mark.parametrize("raw, safe", [
    ("a|b", r"a\|b"),
    ("<script>", r"\<script\>"),
    ("*x* _y_ [l](u)", r"\*x\* \_y\_ \[l\](u)"),
    ("line\nbreak\\\n end", "line break end"),
    ("", ""),
])
def test_md_escape(raw, safe):
    assert md_escape(raw) == safe


def test_html_escapes_everything_and_renders_tables(tmp_path):
    r = paris174(tmp_path)
    r.set_note("p2", "<script>alert('x')</script> | **bold** <b>raw</b> &amp;")
    md = build_report([report(r)])
    page = render_html(md, "Report <1>")
    assert "<script>" not in page and "<b>raw</b>" not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert "**bold**" in page and "&amp;amp;" in page
    assert "<title>Report &lt;1&gt;</title>" in page
    assert page.count("<table>") >= 6 and "@media print" in page
    # a raw HTML block in the Markdown itself is shown as text, not passed through
    assert "&lt;div&gt;" in render_html("<div>x</div>\n", "t")
    assert not re.search(r"<(?!/?(?:html|head|meta|title|style|body|h\d|p|table|thead|tbody|"
                         r"tr|th|td|code|em|strong|ul|li|!DOCTYPE)\b)", page)
    r.close()


# Issue 16, item 1: real sample cables whose SUBJECT holds a name the bundled rules
# suggest; with every suggestion accepted the release copy withholds it.
SUBJECT_NAMES = [
    ("05PARIS104", "DJAMEL BEGHAL", "GTMO AND [B6] TRIAL UPDATES"),
    ("05MADRID4026", "CALVO", "MEETING WITH CULTURE MINISTER CARMEN [B6]"),
    ("06BERN2115", "BAKER", "SWISS TO [B6] COMMISSION"),
    ("06BUENOSAIRES903", "CHAVEZ", "ARGENTINA NAMES STRONG [B6] ALLY"),
    ("00HARARE5461", "MUGABE", "THAT INVOLVES [B6]’S DEPARTURE"),
]


def bundled_review(tmp_path: Path, name: str) -> Review:
    c = cable(name)
    return Review.open(tmp_path, c, suggest(c, load_rules(ROOT / "rules")),
                       reviewer="tester", rules_sha256=RULES_SHA, clock=Clock())


@pytest.mark.parametrize(("name", "withheld", "shown"), SUBJECT_NAMES)
def test_report_shows_the_subject_as_the_release_copy_does(tmp_path, name, withheld, shown):
    review = bundled_review(tmp_path / "review", name)
    try:
        for s in review.pending():
            review.accept(s.id, note=f"the name {s.text} is private")  # a note naming it
        result = finish_review(review, tmp_path / "out")
    finally:
        review.close()
    assert withheld not in result.release.text
    assert shown in result.report.subject
    assert squash(result.report.subject) in squash(result.release.body)
    md = result.report_path.read_text(encoding="utf-8") if result.report_path else ""
    html = result.report_path.with_suffix(".html").read_text(encoding="utf-8") \
        if result.report_path else ""
    for text in (md.replace("\\", ""), html):
        assert withheld.casefold() not in text.casefold()
    assert any("the name [B6] is private" in v.justification for v in result.report.vaughn)


def test_subject_without_marks_is_unchanged(entries):
    assert [e.subject for e in entries] == [
        "MTAG 04 - 04: DEMARCHE ON FRENCH FIRM'S ASSISTANCE TO PAKISTAN'S MISSILE PROGRAM (S)",
        "MISSILE TECHNOLOGY CONTROL REGIME (MTCR) -- SMALL GROUP PROPOSALS FOR 2005 (C)"]


def test_cli_apply_and_report_show_no_withheld_subject(tmp_path, capsys):
    # Through the CLI: `apply --accept-all` writes report.md/.html, `reviewtool report`
    # prints the review's report; neither names what the copy withholds.
    from reviewtool.cli import main

    out = tmp_path / "out"
    src = tmp_path / "cables"
    src.mkdir()
    for name, *_ in SUBJECT_NAMES:
        (src / f"{name}.txt").write_bytes((ROOT / "sample_cables" / f"{name}.txt").read_bytes())
    main(["apply", "--rules", str(ROOT / "rules"), "--accept-all", "--out", str(out), str(src)])
    capsys.readouterr()
    main(["report", str(out)])
    printed = capsys.readouterr().out
    texts = [printed, *(p.read_text(encoding="utf-8") for p in out.glob("*report.*"))]
    assert len(texts) >= 3
    for text in texts:
        flat = text.replace("\\", "").upper()
        assert "[B6]" in flat
        for _name, withheld, _shown in SUBJECT_NAMES:
            assert withheld not in flat, withheld
