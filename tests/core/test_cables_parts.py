"""The parser's steps one by one: paragraphs, repeated headers, segments, segment kinds."""

import pickle

import pytest

from reviewtool import parse_cable
from reviewtool.core.cable.duplicates import split_body
from reviewtool.core.cable.markings import Level, Marking
from reviewtool.core.cable.model import Segment, SegmentKind
from reviewtool.core.cable.paragraphs import PARA_LINE, PARA_MID, has_start, scan_paragraphs
from reviewtool.core.cable.segments import build_segments
from reviewtool.core.cable.text import lines, squash, strip_span, unwrap

BODY = ("Lead text with prose before anything.\n\n"
        "1. (C) First paragraph here.\n\n"
        "2. Second one unmarked.\n\n"
        "This continuation block is long enough to count as prose.\n\n"
        "3. (S//NF) Third. 4. (C) Flattened fourth. (U) A bare marking here.\n")

HEAD = ("CONFIDENTIAL\nSIPDIS\nE.O. 12958: DECL: 11/27/2016\nTAGS: PREL\nSUBJECT: TALKS\n\n"
        "Classified By: Ambassador Ross Wilson for reasons 1.4 (b) and (d).\n\n")
PARAS = "1. (C) First paragraph of the body here.\n\n2. (C) Second paragraph of the body.\n\n"


def kinds(text: str) -> list[tuple[str, str]]:
    c = parse_cable(text)
    return [(s.kind, text[s.start:s.end][:12]) for s in c.segments if s.kind != "gap"]


# --------------------------------------------------------------------------- paragraphs


def test_paragraphs_numbers_markings_and_continuations():
    got = [(p.label, p.written, p.marking.format() if p.marking else None, p.inherited,
            p.unmarked, p.text_start - p.start)
           for p in scan_paragraphs(BODY, [(0, len(BODY))], None, Level.C)]
    assert got == [
        ("¶[1]", None, None, False, True, 0),      # leading prose, unmarked in a C cable
        ("¶1", "C", "C", False, False, 7),
        ("¶2", None, None, False, True, 3),        # numbered, no marking
        ("¶2+", None, None, False, True, 0),       # continuation of an unmarked paragraph
        ("¶3", "S//NF", "S//NF", False, False, 11),
        ("¶4", "C", "C", False, False, 7),         # a number mid-line, after a sentence
        ("¶[7]", "U", "U", False, False, 4),       # a bare marking mid-line
    ]


def test_paragraphs_inherit_the_entire_text_marking():
    entire = Marking(Level.C, (), "C - ENTIRE TEXT", True)
    got = [(p.label, p.marking.format() if p.marking else None, p.inherited, p.unmarked)
           for p in scan_paragraphs(BODY, [(0, len(BODY))], entire, Level.C)]
    assert got[:4] == [("¶[1]", "C", True, False), ("¶1", "C", False, False),
                       ("¶2", "C", True, False), ("¶2+", "C", True, False)]


def test_unmarked_numbers_must_follow_on_and_begin_a_sentence():
    text = "1. Hello there.\n\n3. Not next.\n\n2. next one\n\n2. Next one.\n"
    got = [(p.number, p.text) for p in scan_paragraphs(text, [(0, len(text))], None, Level.U)]
    assert got == [("1", "1. Hello there.\n\n3. Not next.\n\n2. next one"), ("2", "2. Next one.")]
    assert not any(p.unmarked for p in scan_paragraphs(text, [(0, len(text))], None, Level.U))


def test_paragraph_numbers_run_on_across_pieces():
    text = "1. First one here.\n\nXXXX\n\n2. Second one here.\n"
    a = text.index("XXXX")
    got = scan_paragraphs(text, [(0, a), (a + 4, len(text))], None, None)
    assert [(p.index, p.number) for p in got] == [(0, "1"), (1, "2")]


@pytest.mark.parametrize("line,starts", [
    ("1. (C) Text", True),
    ("1. Text", True),          # "1." unmarked, before a sentence
    ("2. Text", False),         # a later number needs a marking to be sure
    ("1. text", False),
    ("(S//NF) Text", True),
    ("(reftel) Text", False),
])
def test_has_start(line, starts):
    assert has_start(line, 0, len(line)) is starts


@pytest.mark.parametrize("text,paragraphs", [
    ("1. (C) The talks ended. 2. (C) Next they met.",
     ["1. (C) The talks ended.", "2. (C) Next they met."]),
    # Mid-line, a number starts a paragraph only after the end of a sentence.
    ("1. (C) The talks ended 4. (C) Next they met.",
     ["1. (C) The talks ended 4. (C) Next they met."]),
])
def test_mid_line_starts(text, paragraphs):
    assert [p.text for p in scan_paragraphs(text, [(0, len(text))], None, None)] == paragraphs
    assert PARA_MID.search(text) is not None
    assert PARA_LINE.match("  ¶ 3. (C) Text") is not None


# --------------------------------------------------------------------------- repeats


def test_a_repeated_body_is_one_duplicate():
    text = HEAD + PARAS + HEAD + PARAS + "WILSON\n"
    assert kinds(text) == [("header", "CONFIDENTIAL"), ("paragraph", "1. (C) First"),
                           ("paragraph", "2. (C) Secon"), ("duplicate", "CONFIDENTIAL"),
                           ("signer", "WILSON")]


def test_a_repeated_header_mid_body_is_left_out_of_the_paragraphs():
    text = HEAD + PARAS[:42] + HEAD + "2. (C) Second paragraph only after the repeat.\n\nWILSON\n"
    assert kinds(text) == [("header", "CONFIDENTIAL"), ("paragraph", "1. (C) First"),
                           ("duplicate", "CONFIDENTIAL"), ("paragraph", "2. (C) Secon"),
                           ("signer", "WILSON")]


def test_a_truncated_first_copy_is_a_duplicate():
    text = HEAD + "1. (C) First para\n\n" + HEAD + PARAS + "WILSON\n"
    assert kinds(text) == [("header", "CONFIDENTIAL"), ("duplicate", "1. (C) First"),
                           ("duplicate", "CONFIDENTIAL"), ("paragraph", "1. (C) First"),
                           ("paragraph", "2. (C) Secon"), ("signer", "WILSON")]


def test_a_truncated_classified_by_is_completed_from_its_repeat():
    first = HEAD.replace("for reasons 1.4 (b) and (d).", "reasons 1...")
    text = first + PARAS[:42] + HEAD + "2. (C) Second paragraph after the repeat.\n\nWILSON\n"
    c = parse_cable(text)
    assert c.classified_by is not None and c.classified_by.reasons == ("1.4(b)", "1.4(d)")
    assert c.classified_by.start > text.index("reasons 1...")
    assert list(c.fields) == ["decl", "tags", "subject", "classified_by", "signer",
                              "classified_by.name"]


def test_split_body_without_an_eo_line_is_one_piece():
    text = PARAS + PARAS
    body = split_body(text, 0, len(text), None, 0)
    assert (body.pieces, body.duplicates) == ([(0, len(text))], [])


# --------------------------------------------------------------------------- segments


def test_segments_partition_the_text():
    text = "Viewing cable 1, T\n" + HEAD + PARAS + "junk line\n" + "WILSON\n\nNNNN\n"
    c = parse_cable(text)
    pos = 0
    for s in c.segments:
        assert s.start == pos < s.end
        pos = s.end
    assert pos == len(text)
    assert [s.kind for s in c.segments if s.kind != SegmentKind.GAP] == [
        SegmentKind.META, SegmentKind.HEADER, SegmentKind.PARAGRAPH, SegmentKind.PARAGRAPH,
        SegmentKind.SIGNER, SegmentKind.TRAILER]


def test_build_segments_fills_between_pieces():
    text = "HEAD\n\nbody\n\nother\n\nEND\n"
    got = build_segments(text, 0, [], [(6, 10)], None)
    assert [(s.kind, text[s.start:s.end]) for s in got] == [
        ("header", "HEAD\n\n"), ("duplicate", "body"), ("trailer", "\n\nother\n\nEND\n")]


def test_segment_kind_equals_its_string():
    assert SegmentKind.PARAGRAPH == "paragraph"
    assert f"{SegmentKind.DUPLICATE}" == "duplicate"
    assert {"header": 1}[SegmentKind.HEADER] == 1
    assert sorted(k.value for k in SegmentKind) == sorted(
        ["meta", "header", "paragraph", "duplicate", "signer", "trailer", "other", "gap"])
    c = parse_cable(HEAD + PARAS + HEAD + PARAS)
    assert all(isinstance(s.kind, SegmentKind) for s in c.segments)
    assert c.duplicates == tuple(s for s in c.segments if s.kind == "duplicate")
    assert pickle.loads(pickle.dumps(Segment(SegmentKind.GAP, 0, 1))).kind is SegmentKind.GAP


# --------------------------------------------------------------------------- text helpers


def test_text_helpers():
    text = "ab\ncd\n\nef"
    assert lines(text, 0, len(text)) == [(0, 2), (3, 5), (6, 6), (7, 9)]
    assert strip_span(" \\ x y \\\n", 0, 9) == (3, 6)
    assert unwrap("PM ERDOGAN \\\n   ON  THE\tROAD ") == "PM ERDOGAN ON THE ROAD"
    assert squash(" a\n\\ b  c ") == "a b c"
