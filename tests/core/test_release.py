"""Release copy: marks from spans, stamp and banner, mirrors, the leak check, writing."""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.release.marks import mark_for, stamp_order, withheld_text
from reviewtool.core.release.model import Release
from reviewtool.core.release.render import render_release
from reviewtool.core.release.write import write_release
from reviewtool.core.review.model import normalize_text, occurrence_pattern
from reviewtool.core.review.outcome import release_input
from reviewtool.core.review.review import Review
from reviewtool.errors import LeakError, ReviewError
from tests.core.handmade import RULES_SHA, Clock, cable, term_suggestions

ON = date(2026, 11, 23)


def render(review: Review, **kw) -> Release:
    """The release copy of ``review`` as it stands."""
    return render_release(release_input(review, **kw))


def open_review(folder, c, terms=None, **kw) -> Review:
    return Review.open(folder, c, term_suggestions(c, terms) if terms is not False else [],
                       reviewer=kw.pop("reviewer", "alice"), rules_sha256=RULES_SHA,
                       clock=Clock())


@pytest.mark.parametrize("codes, style, out", [
    (["(b)(6)"], "state", "[B6]"),
    (["1.4(d)", "(b)(1)"], "state", "[B1 1.4(D)]"),
    (["(b)(6)", "1.4(b)", "(b)(1)"], "state", "[B1 1.4(B) B6]"),
    (["(b)(6)"], "block", "[\u2588\u2588\u2588\u2588\u2588\u2588 B6]"),
    (["(b)(6)"], "wikileaks", "XXXXXXXXXXXX"),
])
def test_marks_never_reveal_length(codes, style, out):
    assert mark_for(codes, style) == out
    assert mark_for(codes, style) == mark_for(codes, style, hidden="a much longer text")


@pytest.mark.parametrize("style, hidden, out", [
    ("state", "Bertolotti", "[B6\u2588\u2588\u2588\u2588\u2588\u2588]"),
    ("block", "Bertolotti", "[B6\u2588\u2588\u2588\u2588\u2588\u2588]"),
    ("wikileaks", "Ab\ncd", "XX\nXX"),
    ("state", "Bo", "[B"),
    ("state", "Dav\nid", "[B6\n\u2588]"),
])
def test_length_preserving_marks(style, hidden, out):
    got = mark_for(["(b)(6)"], style, length=len(hidden), hidden=hidden)
    assert got == out and len(got) == len(hidden)


def test_stamp_order_and_withheld_text():
    codes = ["(b)(6)", "1.4(d)", "(b)(1)", "1.4(b)"]
    assert stamp_order(codes) == ("(b)(1)", "1.4(b)", "1.4(d)", "(b)(6)")
    assert withheld_text(["1.4(d)", "(b)(1)"]) == "[Paragraph withheld: B1, 1.4(D)]"
    with pytest.raises(ReviewError, match="unknown mark style"):
        mark_for(["(b)(6)"], "fancy")


def test_release_in_full(tmp_path):
    r = open_review(tmp_path, cable("05PARIS174"), False)
    rel = render(r, on=ON)
    assert rel.stamp == "RELEASE IN FULL" and rel.disposition == "release in full"
    assert rel.body == r.cable.text  # nothing withheld: the cable unchanged
    assert rel.text.splitlines()[0] == "RELEASE IN FULL"
    r.close()


def test_release_in_part_header_and_withheld_paragraph(tmp_path):
    r = open_review(tmp_path, cable("05PARIS174"))
    for s in r.suggestions:
        r.accept(s.id)
    r.dispose(2, "withhold", ["(b)(1)", "1.4(d)"])
    r.settings.update(case_no="F-2026-00001", doc_no="C0517", authority="IPS/PP")
    rel = render(r, on=ON, seal=r.seal)
    head = rel.text.splitlines()[:6]
    assert head[0] == "RELEASE IN PART B1, 1.4(B), 1.4(D), B6"
    assert head[1] == ("UNCLASSIFIED U.S. Department of State Case No. F-2026-00001 "
                       "Doc No. C0517 Date: 11/23/2026 Reviewer: alice")
    assert head[2] == "Original classification: SECRET//NOFORN; released portions: SECRET//NOFORN"
    assert head[3] == "Declassified: 2026-11-23, alice, IPS/PP"
    assert head[4].startswith(f"Audit seal: {r.seal.count} events, last ")
    assert "\n3.  (S/NF)  [Paragraph withheld: B1, 1.4(D)] \n" in rel.body
    assert "S E C R E T SECTION 01 OF 02 PARIS 000174" in rel.body  # markings kept
    assert "Point of Contact (POC) [B6], MFA" in rel.body
    assert "firm [B1 1.4(B) 1.4(D)] to Pakistan" in rel.body
    assert "Bertolotti" not in rel.text and "In'Trad" not in rel.text
    assert rel.leaks == ()
    r.close()


def test_released_classification_is_recomputed(tmp_path):
    c = cable("05PARIS174")
    r = open_review(tmp_path, c, False)
    for p in c.paragraphs:
        if p.marking and "NF" in p.marking.controls:
            r.dispose(p.index, "withhold", ["(b)(1)", "1.4(d)"])
    rel = render(r, on=ON)
    assert "released portions: SECRET;" not in rel.text
    assert "Original classification: SECRET//NOFORN; released portions: SECRET\n" in rel.text
    r.close()


def test_denied_in_full(tmp_path):
    c = cable("05PARIS1196")
    r = open_review(tmp_path, c, False)
    for p in c.paragraphs:
        r.dispose(p.index, "withhold", ["(b)(1)", "1.4(b)"])
    rel = render(r, on=ON)
    assert rel.stamp == "DENIED IN FULL B1, 1.4(B)" and rel.disposition == "denied in full"
    assert rel.body.count("[Paragraph withheld: B1, 1.4(B)]") == len(c.paragraphs)
    assert rel.banner.startswith("DENIED ")
    r.close()


def test_mirrors_cover_header_subject_title_and_duplicates(tmp_path):
    c = cable("05PARIS1196")
    r = open_review(tmp_path, c, False)
    i = c.text.index("ROBERT W. DRY")  # named only in the header and its repeat
    r.add_manual(i, i + len("ROBERT W. DRY"), ["(b)(6)"], "classifying official")
    for a, b in r.occurrences("small group"):
        r.add_manual(a, b, ["(b)(1)", "1.4(d)"])
    rel = render(r, on=ON)
    assert rel.leaks == ()
    assert "DRY" not in rel.body
    assert rel.body.count("Classified By: EST COUNSELOR [B6] FOR REASONS") == 2
    assert rel.body.count("(MTCR) -- [B1 1.4(D)] PROPOSALS FOR 2005") == 2  # subject + repeat
    kinds = {seg.kind for m in rel.mirrors for seg in c.segments
             if seg.start <= m.start < seg.end}
    assert kinds == {"header", "duplicate"}
    r.close()


def test_mirror_in_title_line(tmp_path):
    c = cable("05PARIS174")
    r = open_review(tmp_path, c, False)
    for a, b in r.occurrences("Pakistan's ballistic missile program"):
        r.add_manual(a, b, ["(b)(1)", "1.4(d)"])
    for a, b in r.occurrences("PAKISTAN'S MISSILE PROGRAM"):
        r.add_manual(a, b, ["(b)(1)", "1.4(d)"])
    a = c.text.index("PAKISTAN'S MISSILE PROGRAM (S) \n")  # the subject line itself
    r.add_manual(a, a + 26, ["(b)(1)", "1.4(d)"])
    rel = render(r, on=ON)
    assert rel.leaks == ()
    assert "Viewing cable 05PARIS174, MTAG 04 - 04: DEMARCHE ON FRENCH FIRM'S ASSISTANCE TO " \
           "[B1 1.4(D)] (S)" in rel.body
    r.close()


def leaks_of(tmp_path, text_edit, accept):
    c = cable("05PARIS174")
    if text_edit:
        c = parse_cable(text_edit(c.text), source="edited.txt")
    r = open_review(tmp_path, c, ["Bertolotti", "David Bertolotti"])
    for s in r.suggestions:
        if accept(s, c):
            r.accept(s.id)
    rel = render(r, on=ON)
    r.close()
    return rel


def test_leak_check_lists_every_place(tmp_path):
    rel = leaks_of(tmp_path, None, lambda s, c: s.paragraph == 0)
    assert rel.leaks
    wheres = {lk.where for lk in rel.leaks}
    assert wheres == {"¶2", "¶3", "¶4", "¶4+", "¶5", "¶6", "¶6+"}
    for lk in rel.leaks:
        line = rel.text.splitlines()[lk.line - 1]
        assert line[lk.col - 1: lk.col - 1 + len(lk.found)] == lk.found
        assert lk.found.casefold() == "bertolotti" and lk.rule == "terms.bertolotti"
    with pytest.raises(LeakError, match=r"¶2, line \d+:\d+: 'Bertolotti' is withheld"):
        write_release(rel, tmp_path / "out.txt", name="05PARIS174")
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("edit, found, where", [
    # case and line break insensitive
    (lambda t: t.replace("the  GOF request", "the DAVID\n BERTOLOTTI request"),
     "DAVID\n BERTOLOTTI", "¶6+"),
    # a near spelling of a name (fuzzy)
    (lambda t: t.replace("the  GOF request", "the Bertolloti request"), "Bertolloti", "¶6+"),
    # in the header: the subject line
    (lambda t: t.replace("MISSILE PROGRAM (S)", "MISSILE PROGRAM BERTOLOTTI (S)", 1),
     None, None),
])
def test_leak_check_is_insensitive_and_fuzzy(tmp_path, edit, found, where):
    rel = leaks_of(tmp_path, edit, lambda s, c: True)
    if found is None:  # the header is mirrored, so it cannot leak
        assert rel.leaks == () and "BERTOLOTTI" not in rel.text.upper()
        return
    [lk] = rel.leaks
    assert (lk.found, lk.where) == (found, where)
    assert (lk.score is None) == (found.casefold().replace("\n ", " ") == "david bertolotti")


def test_write_release_refuses_input_and_is_atomic(tmp_path):
    src = tmp_path / "05PARIS174.txt"
    shutil.copy(cable("05PARIS174").source, src)
    from reviewtool.core.cable.read import read_cable

    c = read_cable(src)
    r = open_review(tmp_path / "rev", c, ["In'Trad"])
    for s in r.suggestions:
        r.accept(s.id)
    rel = render(r, on=ON)
    before = src.read_bytes()
    with pytest.raises(ReviewError, match="input cable"):
        write_release(rel, src, inputs=[c.source])
    assert src.read_bytes() == before
    out = write_release(rel, tmp_path / "out" / "copy.txt", inputs=[c.source])
    assert out.read_text() == rel.text
    assert [p.name for p in out.parent.iterdir()] == ["copy.txt"]  # no temporary left
    r.close()


def test_unknown_style_refused(tmp_path):
    r = open_review(tmp_path, cable("05PARIS174"), False)
    with pytest.raises(ReviewError, match="unknown mark style"):
        render(r, style="nope")
    r.close()


# --------------------------------------------------------------------------- property

PARIS = cable("05PARIS174")
_WORDS = [(p.text_start + a, p.text_start + b) for p in PARIS.paragraphs
          for a, b in ((m.start(), m.end()) for m in
                       re.finditer(r"[A-Za-z][\w'’-]*", PARIS.text[p.text_start:p.end]))]


@st.composite
def phrases(draw):
    """1-3 consecutive words of a paragraph, as a span."""
    i = draw(st.integers(0, len(_WORDS) - 1))
    n = draw(st.integers(1, 3))
    j = min(i + n - 1, len(_WORDS) - 1)
    a, b = _WORDS[i][0], _WORDS[j][1]
    if PARIS.paragraph_at(a) is not PARIS.paragraph_at(b - 1):
        b = _WORDS[i][1]
    return a, b


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spans=st.lists(phrases(), min_size=1, max_size=6),
       style=st.sampled_from(["state", "block", "wikileaks"]),
       preserve=st.booleans())
def test_property_no_hidden_string_survives_and_the_rest_is_unchanged(spans, style, preserve):
    folder = Path(tempfile.mkdtemp())
    try:
        r = open_review(folder, PARIS, False)
        hidden = []
        for a, b in spans:
            hidden.append(PARIS.text[a:b])
            for x, y in r.occurrences(PARIS.text[a:b]):  # the reviewer's "same everywhere"
                r.add_manual(x, y, ["(b)(1)", "1.4(d)"])
        rel = render(r, style=style, preserve_length=preserve, on=ON)
        assert rel.leaks == (), [lk.describe() for lk in rel.leaks]
        body_wo_marks = rel.body
        for m in rel.marks:
            body_wo_marks = body_wo_marks.replace(m.mark, "\x00")
        for h in hidden:
            assert not occurrence_pattern(h).search(body_wo_marks), h
            key = normalize_text(h)
            assert not re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)",
                                 normalize_text(body_wo_marks)), h
        # everything outside the marks is the original, in order
        rebuilt, cursor = [], 0
        for m in rel.marks:
            rebuilt += [PARIS.text[cursor:m.start], m.mark]
            cursor = m.end
        rebuilt.append(PARIS.text[cursor:])
        assert "".join(rebuilt) == rel.body
        # and the marks cover exactly the withheld spans (and their mirrors), nothing more
        covered = set()
        for red in list(r.redactions()) + list(rel.mirrors):
            covered.update(range(red.start, red.end))
        marked = set()
        for m in rel.marks:
            marked.update(range(m.start, m.end))
        assert marked == covered
        if preserve:
            assert len(rel.body) == len(PARIS.text)
        r.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("replacement, found", [
    ("the Berto-\nlotti request", "Berto-\nlotti"),   # hyphenated at a line end
    ("the Bertol\notti request", "Bertol\notti"),      # cut across two lines
])
def test_leak_check_sees_words_cut_across_lines(tmp_path, replacement, found):
    rel = leaks_of(tmp_path, lambda t: t.replace("the  GOF request", replacement),
                   lambda s, c: True)
    [lk] = rel.leaks
    assert (lk.found, lk.where) == (found, "¶6+")


def test_release_renders_from_plain_data_alone(tmp_path):
    """A `ReleaseInput` is all a copy needs: the review closed, the same copy renders,
    and one built by hand (no review at all) renders the same."""
    import dataclasses

    from reviewtool.core.review.outcome import ReleaseInput

    c = cable("05PARIS174")
    r = open_review(tmp_path, c)
    for s in r.suggestions:
        r.accept(s.id)
    inp = release_input(r, on=ON, seal=r.seal)
    before = render_release(inp)
    r.close()
    again = render_release(inp)
    assert again.text == before.text and again.input is inp
    import pickle  # plain data: it can go to another process (a batch worker)

    assert render_release(pickle.loads(pickle.dumps(inp))).text == before.text
    by_hand = ReleaseInput(c, inp.redactions, "alice", ON, dict(inp.settings), seal=inp.seal)
    assert render_release(by_hand).text == before.text
    assert render_release(dataclasses.replace(by_hand, style="wikileaks")).text != before.text
    with pytest.raises(dataclasses.FrozenInstanceError):
        inp.style = "block"  # type: ignore[misc]


def test_release_stage_imports_no_review():
    """release/ reads plain data: none of its modules imports the `Review` class."""
    import ast

    import reviewtool.core.release as release_pkg

    for path in Path(release_pkg.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "reviewtool.core.review.review", path.name
                assert "Review" not in {a.name for a in node.names}, path.name


def test_leak_check_follows_the_privacy_policy(monkeypatch, tmp_path):
    """The leak check's near spellings follow suggest/privacy.py: under a policy that
    treats no code as private a misspelled name is not found; under the real one it is."""
    from reviewtool.core.release import leak

    def edit(t):
        return t.replace("the  GOF request", "the Bertolloti request")

    [lk] = leaks_of(tmp_path / "a", edit, lambda s, c: True).leaks
    assert lk.found == "Bertolloti" and lk.score is not None
    monkeypatch.setattr(leak, "is_private", lambda codes: False)
    assert leaks_of(tmp_path / "b", edit, lambda s, c: True).leaks == ()
    assert not hasattr(leak, "_PRIVACY") and not hasattr(leak, "FUZZY_CUTOFF")


def test_vocabularies_equal_their_strings():
    from reviewtool.core.release.model import STYLES, MarkStyle, ReleaseDisposition
    from reviewtool.core.review.model import (
        Action,
        ParagraphStatus,
        RedactionKind,
        Ruling,
        Verdict,
    )

    assert STYLES == ("state", "block", "wikileaks") and MarkStyle.BLOCK == "block"
    assert [str(x) for x in Ruling] == ["release", "part", "withhold"]
    assert [str(x) for x in ParagraphStatus] == ["to review", "released", "in part",
                                                 "withheld"]
    assert [str(x) for x in RedactionKind] == ["suggestion", "manual", "paragraph", "mirror"]
    assert (Verdict.ACCEPT, Action.ACCEPT_EVERYWHERE) == ("accept", "accept_everywhere")
    assert ReleaseDisposition.DENIED.upper() == "DENIED IN FULL"
    assert f"{RedactionKind.MANUAL} m1" == "manual m1"
