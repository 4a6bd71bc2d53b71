"""The body of a cable -> `Paragraph`s: where each starts, its marking, what it inherits.

A paragraph starts at a number (``3.``), a portion marking (``(C)``) or both, at the
start of a line or mid-line in flattened text; an unnumbered prose block inside one is a
continuation that inherits its marking. A classified cable's paragraph with no marking
at all (and no ``ENTIRE TEXT`` marking to fall back on) is flagged ``unmarked``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reviewtool.core.cable.markings import Level, Marking, parse_marking
from reviewtool.core.cable.model import Paragraph
from reviewtool.core.cable.text import lines, strip_span

# A paragraph start at the beginning of a line: "3.", "3. (C)", "¶ 3.", "(C)".
PARA_LINE = re.compile(
    r"^[ \t]*(?P<lead>(?:¶\s*)?(?P<num>\d{1,3})\s*\.(?!\d)[ \t]*"
    r"(?:\((?P<mark>[^()\n]{1,40})\))?|\((?P<mark2>[^()\n]{1,40})\))", re.M)
# A paragraph start in flattened text, after the end of a sentence: "... end. 4. (C) Next".
PARA_MID = re.compile(
    r"[.!?\"'”)\]:0-9] [ \t]*(?P<lead>(?P<num>\d{1,3})\s*\.[ \t]*\((?P<mark>[^()\n]{1,40})\)"
    r"|\((?P<mark2>[A-Z][A-Z/ ]{0,20})\)(?= [A-Z\"“]))")
# Closing lines after the body: end-of-text markers and banners.
TRAILER = re.compile(r"^(?:NNNN|END (?:CABLE )?TEXT\.?|SIPDIS|UNCLAS(?:SIFIED)?|CONFIDENTIAL|"
                     r"SECRET|TOP SECRET|NOFORN|LIMITED OFFICIAL USE|"
                     r"(?:[A-Z] ){4,}[A-Z].*|SENSITIVE BUT UNCLASSIFIED|BT|#\d+)\s*\\?$")

_AFTER_NUMBER = re.compile(r"\d\s*\.[ \t]*$")
_SUBSTART = re.compile(r"^[ \t]*(?:[A-Za-z]\.|\(?[a-z0-9]{1,3}\)|-|\*|•|o |\d{1,3}\)|\()")
_LIST_ITEM = re.compile(r"\((?:A|B)\)")
_PROSE = re.compile(r"[a-z]{3,}")
_LOWER = re.compile(r"[a-z]")
_HEADING = re.compile(r"^(?:PAGE \d+|END (?:SUMMARY|COMMENT|NOTE)|SUMMARY|COMMENT|BEGIN)",
                      re.I)
_SENTENCE_START = "\"'“("


# --------------------------------------------------------------------------- starts


def valid_start(m: re.Match[str]) -> bool:
    """Whether a `PARA_LINE` or `PARA_MID` match really starts a paragraph: its marking
    parses, or (unmarked) it is "1." followed by the start of a sentence."""
    groups = m.groupdict()
    mark = groups.get("mark")
    mark2 = groups.get("mark2")
    if mark is not None and parse_marking(mark) is not None:
        return True
    if mark2 is not None:
        return mark2.strip()[:1].isupper() and parse_marking(mark2) is not None
    if groups.get("num") != "1" or mark is not None:
        return False
    after = m.string[m.end("lead"):m.end("lead") + 4].lstrip()
    return bool(after) and (after[0].isupper() or after[0] in _SENTENCE_START)


def first_start(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """Where the first valid paragraph start of ``pattern`` in ``text[lo:hi]`` begins."""
    for m in pattern.finditer(text, lo, hi):
        if valid_start(m):
            return m.start("lead")
    return None


def has_start(text: str, a: int, b: int) -> bool:
    """Whether a line of ``text[a:b]`` starts a paragraph."""
    return first_start(PARA_LINE, text, a, b) is not None


@dataclass(frozen=True, slots=True)
class _Start:
    """A paragraph start found in the text: its number and marking as written."""

    start: int
    text_start: int                 # after number and marking
    number: str | None = None
    mark: str | None = None         # the written marking, when it parses
    marking: Marking | None = None  # ``mark`` parsed
    mark_start: int | None = None   # span of ``mark`` with its parentheses
    mark_end: int | None = None


def _candidates(text: str, a: int, b: int) -> list[re.Match[str]]:
    """Every possible paragraph start in ``text[a:b]``, in order of their lead."""
    cands = list(PARA_LINE.finditer(text, a, b))
    # The mid-line pattern consumes the punctuation before it: look a little behind ``a``.
    cands += [m for m in PARA_MID.finditer(text, max(0, a - 3), b) if m.start("lead") >= a]
    cands.sort(key=lambda m: m.start("lead"))
    return cands


def _enumerated(text: str, st: int) -> bool:
    """A mid-line "(C)" that is item C of a list ("(A) MADRID 3785 (B) ... (C) SECSTATE")."""
    line_start = text.rfind("\n", 0, st) + 1
    return bool(_LIST_ITEM.search(text[line_start:st]))


def _bare_marking_starts(text: str, st: int, mark: str, marking: Marking | None) -> bool:
    """Whether a marking with no number, ``(C)``, starts a paragraph at ``st``: it parses,
    is written in capitals, and is neither after a number nor an item of a list."""
    return (marking is not None and mark.strip()[:1].isupper()
            and not _AFTER_NUMBER.search(text, max(0, st - 8), st)
            and not _enumerated(text, st))


def _number_starts(text: str, m: re.Match[str], number: int, marked: bool,
                   last_num: int) -> bool:
    """Whether a number starts a paragraph. A marked one always does; an unmarked one
    must be the next number and begin a sentence, not sit in one."""
    if marked:
        return True
    if not (number == last_num + 1 or (last_num == 0 and number == 1)):
        return False
    after = text[m.end("lead"):m.end("lead") + 3].lstrip()
    return bool(after) and (after[0].isupper() or after[0] in "\"'“([")


def _start_at(text: str, m: re.Match[str], b: int, last_num: int) -> _Start | None:
    """The paragraph start that ``m`` is, or ``None`` if it is not one."""
    st = m.start("lead")
    num = m.group("num")
    group = "mark" if m.group("mark") is not None else (
        "mark2" if m.group("mark2") is not None else None)
    mark = m.group(group) if group else None
    marking = parse_marking(mark) if mark is not None else None
    if group == "mark2" and mark is not None and not _bare_marking_starts(text, st, mark,
                                                                            marking):
        return None
    if num is not None and not _number_starts(text, m, int(num), marking is not None,
                                              last_num):
        return None
    ts = m.end("lead")
    while ts < b and text[ts] in " \t":
        ts += 1
    if group is None or marking is None:  # "(reftel)" and the like: not a marking
        return _Start(st, ts, num)
    return _Start(st, ts, num, mark, marking, m.start(group) - 1, m.end(group) + 1)


def _starts(text: str, a: int, b: int, last_num: int) -> list[_Start]:
    """The paragraph starts in ``text[a:b]``; numbers must follow on from ``last_num``."""
    starts: list[_Start] = []
    seen: set[int] = set()
    for m in _candidates(text, a, b):
        if m.start("lead") in seen:
            continue
        start = _start_at(text, m, b, last_num)
        if start is None:
            continue
        if start.number is not None:
            last_num = int(start.number)
        seen.add(start.start)
        starts.append(start)
    # Leading text before the first start is a paragraph if it has prose in it.
    first = starts[0].start if starts else b
    if _has_prose(text, a, first):
        s0 = strip_span(text, a, first)[0]
        starts.insert(0, _Start(s0, s0))
    return starts


def _has_prose(text: str, a: int, b: int) -> bool:
    chunk = text[a:b]
    return bool(_PROSE.search(chunk)) or len(chunk.strip()) >= 80


# --------------------------------------------------------------------------- continuations


def _continuations(text: str, a: int, b: int) -> list[int]:
    """Starts of unnumbered prose blocks inside ``text[a:b]`` that begin after a blank
    line, or after a long unwrapped line that ends a sentence."""
    out: list[int] = []
    prev_blank = False
    prev_long_end = False
    first = True
    for s, e in lines(text, a, b):
        line = text[s:e]
        stripped = line.strip(" \t\\\r")
        if not stripped:
            prev_blank = True
            continue
        if not first and (prev_blank or prev_long_end) and _is_prose_block_start(stripped):
            # The block must itself be prose, not a heading.
            out.append(s + (len(line) - len(line.lstrip(" \t"))))
        first = False
        prev_blank = False
        prev_long_end = len(stripped) > 150 and stripped[-1:] in ".!?\"'”)"
    return out


def _is_prose_block_start(line: str) -> bool:
    if _SUBSTART.match(line) or TRAILER.match(line):
        return False
    if not (line[0].isupper() or line[0] in "\"'“"):
        return False
    if _is_caps_heading(line):
        return False  # an all-caps heading stays with its paragraph
    if _HEADING.match(line) and len(line) < 40:
        return False
    return len(line) >= 25 and bool(_LOWER.search(line) or len(line) >= 60)


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8 \
        and len(line) < 70


def _pieces(text: str, start: _Start, end: int) -> list[tuple[int, int]]:
    """The paragraph from ``start`` to ``end`` split at its continuations."""
    sub = _continuations(text, start.text_start, end)
    pieces = [(start.start, sub[0] if sub else end)]
    for i, cs in enumerate(sub):
        pieces.append((cs, sub[i + 1] if i + 1 < len(sub) else end))
    return pieces


# --------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True, slots=True)
class _Body:
    """What every paragraph of one cable is read against."""

    text: str
    entire: Marking | None  # the cable's ENTIRE TEXT marking
    classified: bool        # the cable is above UNCLASSIFIED: unmarked text needs a look


def _marked(body: _Body, index: int, start: _Start, ps: int, pe: int) -> Paragraph:
    """A paragraph with its own marking."""
    return Paragraph(index, start.number, ps, pe, min(start.text_start, pe), start.marking,
                     start.mark, start.mark_start, start.mark_end, False, False,
                     body.text[ps:pe])


def _unmarked(body: _Body, index: int, start: _Start, ps: int, pe: int) -> Paragraph:
    """A numbered paragraph with no marking (or the leading text): it takes the ENTIRE
    TEXT marking, or is flagged unmarked in a classified cable."""
    ts = min(max(start.text_start, ps), pe)
    if body.entire is not None:
        return Paragraph(index, start.number, ps, pe, ts, body.entire, None, None, None,
                         True, False, body.text[ps:pe])
    return Paragraph(index, start.number, ps, pe, ts, None, None, None, None, False,
                     body.classified, body.text[ps:pe])


def _continuation(body: _Body, index: int, prev: Paragraph | None, ps: int,
                  pe: int) -> Paragraph:
    """An unnumbered block: it inherits the previous paragraph's marking."""
    inherited_from = prev.marking if prev and prev.marking else body.entire
    return Paragraph(index, None, ps, pe, ps, inherited_from, None, None, None,
                     inherited_from is not None, inherited_from is None and body.classified,
                     body.text[ps:pe], prev.number or prev.follows if prev else None)


def _last_number(out: list[Paragraph]) -> int:
    number = out[-1].number if out else None
    return int(number) if number and number.isdigit() else 0


def _scan(body: _Body, a: int, b: int, out: list[Paragraph]) -> None:
    """Find the paragraphs in ``text[a:b]`` and append them to ``out``."""
    text = body.text
    starts = _starts(text, a, b, _last_number(out))
    for i, start in enumerate(starts):
        end = starts[i + 1].start if i + 1 < len(starts) else b
        for k, (ps, pe) in enumerate(_pieces(text, start, end)):
            ps, pe = strip_span(text, ps, pe)
            if pe <= ps:
                continue
            prev = out[-1] if out else None
            if k == 0 and start.mark is not None:
                para = _marked(body, len(out), start, ps, pe)
            elif k == 0 and (start.number is not None or prev is None):
                para = _unmarked(body, len(out), start, ps, pe)
            else:
                para = _continuation(body, len(out), prev, ps, pe)
            out.append(para)


def scan_paragraphs(text: str, pieces: Iterable[tuple[int, int]], entire: Marking | None,
                    level: Level | None) -> list[Paragraph]:
    """The paragraphs of the body ``pieces`` (spans of ``text``, in order), numbered on
    across pieces. ``entire`` is the cable's ENTIRE TEXT marking, ``level`` its level."""
    body = _Body(text, entire, level is not None and level > Level.U)
    out: list[Paragraph] = []
    for a, b in pieces:
        _scan(body, a, b, out)
    return out
