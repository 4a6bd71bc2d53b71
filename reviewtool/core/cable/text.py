"""Span helpers over a cable's raw text: lines, trimming, unwrapping.

Every helper takes the exact text and half-open offsets into it, and returns offsets
into the same text (or a normalized copy of a piece of it, for values and comparison).
"""

from __future__ import annotations

import re

# A blank line: the end of a header block. Database exports end lines with `\`.
BLANK = re.compile(r"\n[ \t\\]*\n")

_WRAP = re.compile(r"[ \t]*\\?[ \t]*\n[ \t]*")
_RUNS = re.compile(r"[ \t]+")
_SPACE_RUNS = re.compile(r"[\s\\]+")


def lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the lines in ``text[start:end]``, newline excluded."""
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append((pos, stop))
        if nl < 0:
            break
        pos = nl + 1
    return out


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span past white space (any, U+2028 included) and `\\` line ends."""
    while start < end and (text[start].isspace() or text[start] == "\\"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == "\\"):
        end -= 1
    return start, end


def unwrap(s: str) -> str:
    """A wrapped value on one line: line breaks (and `\\` line ends) become one space."""
    s = _WRAP.sub(" ", s)
    return _RUNS.sub(" ", s).strip(" \\")


def squash(s: str) -> str:
    """All white space (and `\\`) as single spaces, for comparing two copies of a text."""
    return _SPACE_RUNS.sub(" ", s).strip()
