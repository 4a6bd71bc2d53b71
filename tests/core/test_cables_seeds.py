"""The two seed cables, pinned field by field."""

from datetime import date, datetime

import pytest

from reviewtool import parse_cable
from reviewtool.core.cable.markings import Level
from tests.conftest import sample_text


@pytest.fixture(scope="module")
def paris174():
    return parse_cable(sample_text("05PARIS174"), source="05PARIS174.txt")


@pytest.fixture(scope="module")
def paris1196():
    return parse_cable(sample_text("05PARIS1196"), source="05PARIS1196.txt")


def test_paris174_header(paris174):
    c = paris174
    assert c.id == "05PARIS174"
    assert c.classification.banner() == "SECRET//NOFORN"
    assert (c.classification.level, c.classification.controls) == (Level.S, ("NF",))
    assert c.created == datetime(2005, 1, 10, 17, 42)
    assert c.released == datetime(2011, 8, 30, 1, 44)
    assert c.origin == "Embassy Paris"
    assert c.decl.order == "12958" and c.decl.kind == "date"
    assert c.decl.date == date(2025, 1, 10)
    assert c.tags == ("PARM", "PREL", "ETTC", "HK", "PK", "CM", "GM", "FR", "MTCRE")
    assert c.subject.value == ("MTAG 04 - 04: DEMARCHE ON FRENCH FIRM'S ASSISTANCE TO "
                               "PAKISTAN'S MISSILE PROGRAM (S)")
    assert c.subject_marking.format() == "S"
    assert c.refs == ("SECSTATE 270425",)
    assert c.signer.value == "Leach"


def test_paris174_classified_by(paris174):
    cb = paris174.classified_by
    assert cb.name == "Robert W. Dry"
    assert cb.title == "EST Counselor"
    assert cb.reasons == ("1.4(b)", "1.4(d)")
    assert cb.reasons_text == "1.5 (b) and (d)"
    assert paris174.text[cb.name_start:cb.name_end] == "Robert W. Dry"


def test_paris174_paragraphs(paris174):
    numbered = [p for p in paris174.paragraphs if p.number]
    assert [p.number for p in numbered] == ["1", "2", "3", "4", "5", "6"]
    assert [p.written for p in numbered] == ["S", "S", "S/NF", "S", "S", "S/NF"]
    assert not any(p.inherited or p.unmarked for p in numbered)
    cont = [p for p in paris174.paragraphs if p.number is None]
    assert [(p.follows, p.marking.format(), p.inherited) for p in cont] == [
        ("4", "S", True), ("6", "S//NF", True)]
    assert cont[0].text.startswith("Bertolotti further remarked")
    assert cont[1].text.startswith("Bertolotti then requested")
    assert cont[1].text.endswith("watchfulness of In'Trad")


def test_paris174_spans_point_at_the_text(paris174):
    t = paris174.text
    for f in paris174.fields.values():
        assert f.start < f.end
    assert t[paris174.fields["decl"].start:paris174.fields["decl"].end] == "DECL: 01/10/2025"
    p3 = paris174.paragraphs[2]
    assert t[p3.marking_start:p3.marking_end] == "(S/NF)"
    assert t[p3.start:p3.start + 2] == "3."


def test_paris1196_header_counted_once(paris1196):
    c = paris1196
    assert c.id == "05PARIS1196"
    assert c.classification.banner() == "SECRET"
    assert c.created == datetime(2005, 2, 24, 17, 47)
    assert c.title == "MISSILE TECHNOLOGY CONTROL REGIME (MTCR) -- SMALL"
    assert c.subject.value == ("MISSILE TECHNOLOGY CONTROL REGIME (MTCR) -- SMALL GROUP "
                               "PROPOSALS FOR 2005 (C)")
    assert c.tags == ("AU", "FR", "KSCA", "PREL", "PARM", "ETTC", "TSPA")
    assert len(c.duplicates) == 1
    dup = c.text[c.duplicates[0].start:c.duplicates[0].end]
    assert dup.startswith("S E C R E T PARIS 001196") and dup.rstrip().endswith("d (H)")
    # The duplicate header sits before paragraph 1 and is no paragraph.
    assert c.duplicates[0].end <= c.paragraphs[0].start


def test_paris1196_reasons_across_broken_line(paris1196):
    cb = paris1196.classified_by
    assert cb.reasons == ("1.4(b)", "1.4(d)", "1.4(h)")
    assert cb.name == "ROBERT W. DRY"


def test_paris1196_paragraphs(paris1196):
    ps = paris1196.paragraphs
    assert [(p.number, p.written) for p in ps] == [("1", "C"), ("2", "C"), ("3", "S"), ("4", "C")]
    assert ps[-1].text.endswith("non-proliferation trends.")
    assert paris1196.signer.value == "Wolff"
