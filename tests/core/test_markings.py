import pytest

from reviewtool.core.cable.markings import (
    Level,
    Marking,
    overall,
    parse_classification,
    parse_marking,
)

SPELLINGS = [
    # written, level, controls, short form
    ("(U)", Level.U, (), "U"),
    ("(u)", Level.U, (), "U"),
    ("(SBU)", Level.U, ("SBU",), "SBU"),
    ("(SBU/NF)", Level.U, ("SBU", "NF"), "SBU//NF"),
    ("(U//FOUO)", Level.U, ("FOUO",), "U//FOUO"),
    ("(C)", Level.C, (), "C"),
    ("(c)", Level.C, (), "C"),
    ("(C )", Level.C, (), "C"),
    ("(C/NF)", Level.C, ("NF",), "C//NF"),
    ("(C NF)", Level.C, ("NF",), "C//NF"),
    ("(C//NF)", Level.C, ("NF",), "C//NF"),
    ("(C/NOFORN)", Level.C, ("NF",), "C//NF"),
    ("(S)", Level.S, (), "S"),
    ("(S/NF)", Level.S, ("NF",), "S//NF"),
    ("(S//NF)", Level.S, ("NF",), "S//NF"),
    ("(S/Noforn)", Level.S, ("NF",), "S//NF"),
    ("(C/REL ISAF)", Level.C, ("REL ISAF",), "C//REL ISAF"),
    ("(S/REL NATO)", Level.S, ("REL NATO",), "S//REL NATO"),
    ("(S/REL TO NATO/AUS)", Level.S, ("REL NATO, AUS",), "S//REL NATO, AUS"),
    ("(S//FGI//NF)", Level.S, ("FGI", "NF"), "S//FGI//NF"),
    ("(TS)", Level.TS, (), "TS"),
    ("(S//ORCON)", Level.S, ("ORCON",), "S//ORCON"),
]


@pytest.mark.parametrize("written,level,controls,short", SPELLINGS)
def test_every_corpus_spelling_parses(written, level, controls, short):
    m = parse_marking(written)
    assert m is not None
    assert (m.level, m.controls, m.format()) == (level, controls, short)
    assert m.text == written.strip("()")


@pytest.mark.parametrize("text", ["(reftel)", "(ref A)", "(MFA)", "(B)", "(d)", "(septel)",
                                  "(protect)", "(S/CT)", "()", "(XXXXXXXXXXXX)"])
def test_non_markings_are_refused(text):
    assert parse_marking(text) is None


def test_entire_text_marking():
    m = parse_marking("(C - ENTIRE TEXT)")
    assert m is not None and m.level == Level.C and m.entire_text


def test_format_with_single_slash_and_banner():
    m = parse_marking("(S//NF)")
    assert m.format("/") == "S/NF"
    assert m.banner() == "SECRET//NOFORN"


@pytest.mark.parametrize("text,level,controls", [
    ("SECRET//NOFORN", Level.S, ("NF",)),
    ("CONFIDENTIAL", Level.C, ()),
    ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", Level.U, ("FOUO",)),
    ("S E C R E T", Level.S, ()),
    ("C O N F I D E N T I A L", Level.C, ()),
])
def test_document_classifications(text, level, controls):
    m = parse_classification(text)
    assert (m.level, m.controls) == (level, controls)


def test_levels_are_ordered():
    assert Level.U < Level.C < Level.S < Level.TS


@pytest.mark.parametrize("portions,expected", [
    (["(U)", "(C)", "(S)"], "S"),
    (["(C)", "(S/NF)"], "S//NF"),
    (["(SBU)", "(U)"], "SBU"),
    (["(SBU)", "(C)"], "C"),                      # SBU does not ride on classified text
    (["(C/REL NATO)", "(S/REL NATO)"], "S//REL NATO"),
    (["(C/REL NATO)", "(S)"], "S"),               # one portion is not releasable: no REL
    (["(S//FGI//NF)", "(C/NF)"], "S//FGI//NF"),
    ([], "U"),
])
def test_overall_is_highest_level_and_union_of_controls(portions, expected):
    assert overall(parse_marking(p) for p in portions).format() == expected


def test_overall_ignores_missing_portions():
    assert overall([None, parse_marking("(C)")]) == Marking(Level.C)
