"""The header readers one by one: each field from a line of text, with its span."""

from datetime import date, datetime

import pytest

from reviewtool.core.cable import header as H
from reviewtool.core.cable.markings import Level

HEADER = (
    "SUBJECT: (C) TURKEY: PM ERDOGAN\n  ON THE ROAD (C)\n\n"
    "REF: A. STATE 123 B. ANKARA 456\n\n"
    "Classified By: Ambassador Ross Wilson for reasons 1.4 (b) and (d).\n\n"
    "1. (C) Summary. Text here.\n"
)


def span(text: str, f) -> str:
    return text[f.start:f.end]


@pytest.mark.parametrize("raw,kind,day,exemptions", [
    ("DECL: 11/27/2016", "date", date(2016, 11, 27), ()),
    ("DECL: 11/27/16", "date", date(2016, 11, 27), ()),
    ("DECL: 2016-11-27", "date", date(2016, 11, 27), ()),
    ("DECL: 1.4 25X1", "exempt", None, ("25X1",)),
    ("DECL: X1, X6", "exempt", None, ("X1", "X6")),
    ("N/A", "na", None, ()),
    ("DECLASSIFIED BY NARA 2009-09-02", "declassified", date(2009, 9, 2), ()),
    ("GDS", "gds", None, ()),
    ("DECL: OADR", "event", None, ()),
    ("DECL: 13/45/16", "event", None, ()),  # not a date: still a DECL instruction
    ("whatever", "unknown", None, ()),
])
def test_parse_decl(raw, kind, day, exemptions):
    d = H.parse_decl("12958", f" {raw} \\", 3, 40)
    assert (d.order, d.text, d.kind, d.date, d.exemptions, d.start, d.end) == \
        ("12958", raw, kind, day, exemptions, 3, 40)


def test_read_decl_stops_at_tags_on_the_same_line():
    text = "E.O. 12958: DECL: 11/27/2016 TAGS: PREL, PGOV\n"
    decl, f = H.read_decl(text, H.EO.search(text))
    assert (decl.order, decl.kind, decl.start, decl.end) == ("12958", "date", 0, 28)
    assert (f.name, f.value, span(text, f)) == ("decl", "DECL: 11/27/2016", "DECL: 11/27/2016")


def test_read_tags():
    text = "TAGS: PREL, PGOV, KJUS (SMITH, JOHN) SUBJECT: X\n"
    tags, f = H.read_tags(text, H.TAGS.search(text))
    assert tags == ("PREL", "PGOV", "KJUS (SMITH, JOHN)")
    assert (f.name, f.value, span(text, f)) == ("tags", "PREL PGOV KJUS (SMITH, JOHN)",
                                                "PREL, PGOV, KJUS (SMITH, JOHN)")


def test_read_subject_unwraps_and_finds_its_marking():
    f, marking = H.read_subject(HEADER, H.SUBJECT.search(HEADER))
    assert f.value == "(C) TURKEY: PM ERDOGAN ON THE ROAD (C)"
    assert span(HEADER, f) == "(C) TURKEY: PM ERDOGAN\n  ON THE ROAD (C)"
    assert marking is not None and marking.level == Level.C


def test_read_refs():
    refs, f = H.read_refs(HEADER, H.REF.search(HEADER))
    assert refs == ("STATE 123", "ANKARA 456")
    assert (f.name, span(HEADER, f)) == ("ref", "A. STATE 123 B. ANKARA 456")


@pytest.mark.parametrize("value,refs", [
    ("A. STATE 123 B. MADRID 456", ("STATE 123", "MADRID 456")),
    ("(A) STATE 1 (B) STATE 2", ("STATE 1", "STATE 2")),
    ("STATE 1; STATE 2", ("STATE 1", "STATE 2")),
    ("STATE 1", ("STATE 1",)),
    ("", ()),
])
def test_split_refs(value, refs):
    assert H.split_refs(value) == refs


def test_read_classified_by():
    cb = H.read_classified_by(HEADER, H.CLASSIFIED.search(HEADER))
    assert (cb.name, cb.title, cb.reasons, cb.reasons_text) == \
        ("Ross Wilson", "Ambassador", ("1.4(b)", "1.4(d)"), "1.4 (b) and (d)")
    assert HEADER[cb.start:cb.end] == cb.text
    assert HEADER[cb.name_start:cb.name_end] == "Ross Wilson"


def test_classified_by_mends_words_broken_across_lines():
    text = "Classified By: DCM John Smith, rea\nsons 1.4 (b) an\nd (d).\n"
    cb = H.read_classified_by(text, H.CLASSIFIED.search(text))
    assert cb.reasons == ("1.4(b)", "1.4(d)")
    assert cb.name == "John Smith"


@pytest.mark.parametrize("who,name,title,at", [
    ("EST Counselor Robert W. Dry", "Robert W. Dry", "EST Counselor", 14),
    ("JOSIAH H. BEEMAN, AMBASSADOR", "JOSIAH H. BEEMAN", "AMBASSADOR", 0),
    ("Ambassador Ross Wilson ", "Ross Wilson", "Ambassador", 11),
    ("POLOFF", None, "POLOFF", None),
    ("Ambassador J.", None, "Ambassador J", None),  # a lone initial is no name
])
def test_split_name(who, name, title, at):
    got_name, got_title, got_span = H.split_name(who, 100)
    assert (got_name, got_title) == (name, title)
    if at is None:
        assert got_span is None
    else:
        assert got_span == (100 + at, 100 + at + len(name))


@pytest.mark.parametrize("word,title", [
    ("A/DCM", True), ("POL-ECON", True), ("Ambassador,", True), ("Smith", False),
])
def test_is_title_word(word, title):
    assert H.is_title_word(word) is title


def test_classified_by_fields_replace_the_name():
    fields = {}
    text = "Classified By: Ambassador Ross Wilson, reasons 1.4 (b)\n"
    cb = H.read_classified_by(text, H.CLASSIFIED.search(text))
    H.classified_by_fields(fields, cb)
    assert list(fields) == ["classified_by", "classified_by.name"]
    assert fields["classified_by.name"].value == "Ross Wilson"
    H.classified_by_fields(fields, H.parse_classified_by("POLOFF", 0, 6))
    assert list(fields) == ["classified_by"]


def test_find_entire_text_and_banner():
    entire = H.find_entire_text("SUBJECT: X (C - ENTIRE TEXT)\n", 0, 40)
    assert entire is not None and entire.level == Level.C and entire.entire_text
    assert entire.text == "(C - ENTIRE TEXT)"
    assert H.find_entire_text("SUBJECT: X\n", 0, 11) is None
    banner = H.banner_classification("S E C R E T\nSIPDIS\n", 0, 20)
    assert banner is not None and banner.level == Level.S
    assert H.banner_classification("no banner here\n", 0, 15) is None


@pytest.mark.parametrize("tail,signer", [
    ("1. (C) Hello world.\n\nLEACH\n", "LEACH"),
    ("1. (C) Hello world.\n\nLeach\n\nNNNN\n", "Leach"),
    ("1. (C) Hello world.\n", None),
    ("1. (C) Hello world.\n\nEND TEXT\n", None),
])
def test_find_signer(tail, signer):
    f = H.find_signer(tail, 0)
    assert (f.value if f else None) == signer
    if f:
        assert span(tail, f) == signer


def test_read_meta_site_page():
    meta = H.read_meta("Viewing cable 06BERN2115, SWISS THINGS\nbody")
    assert (meta.id, meta.title, meta.end, meta.body_start) == ("06BERN2115", "SWISS THINGS",
                                                                 38, 38)


def test_read_meta_export():
    text = ("Identifier\nCreated\nClassification\nOrigin\n06X1\n2006-01-02 10:00\nSECRET\n"
            "Embassy Bern\nCable title: BIG\n")
    meta = H.read_meta(text)
    assert (meta.id, meta.title, meta.created, meta.classification, meta.origin) == \
        ("06X1", "BIG", datetime(2006, 1, 2, 10, 0), "SECRET", "Embassy Bern")


def test_read_meta_database_row():
    text = "2006-01-02 10:00\t06X1\tEmbassy Bern\tSECRET\t06X1\tR 1Z\tbody here"
    meta = H.read_meta(text)
    assert (meta.id, meta.origin, meta.classification, meta.end) == \
        ("06X1", "Embassy Bern", "SECRET", 0)
    assert text[meta.body_start:] == "body here"


@pytest.mark.parametrize("value,expected", [
    ("2006-11-27 14:05:00", datetime(2006, 11, 27, 14, 5)),
    ("2006-11-27 14:05", datetime(2006, 11, 27, 14, 5)),
    (" 2006-11-27 ", datetime(2006, 11, 27)),
    ("27/11/2006", None),
])
def test_parse_datetime(value, expected):
    assert H.parse_datetime(value) == expected


def test_read_header_collects_the_fields_in_order():
    text = "E.O. 12958: DECL: 11/27/2016\nTAGS: PREL\n" + HEADER
    head = H.read_header(text, 0)
    assert head.found
    assert head.decl is not None and head.decl.kind == "date"
    assert list(head.fields) == ["decl", "tags", "subject", "ref", "classified_by",
                                 "classified_by.name"]
    assert text[head.first_para:].startswith("1. (C) Summary")
    assert text[:head.end].endswith("(b) and (d).")


def test_read_header_finds_nothing_in_prose():
    head = H.read_header("just some text, no header at all\n", 0)
    assert not head.found
