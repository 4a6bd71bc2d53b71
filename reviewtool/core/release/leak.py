"""The leak check: every withheld string that is still in the copy.

Always on. It reads the final text case-, whitespace- and line-break-insensitively
(a second reading joins words cut across two lines), outside the marks and the release
header, and for the names the privacy policy protects also near spellings
(`reviewtool.core.suggest.privacy`, the same policy the engine suggests by). Writers
refuse a copy with leaks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from reviewtool.core.cable.model import Cable
from reviewtool.core.release.model import Leak
from reviewtool.core.release.places import place_label
from reviewtool.core.review.model import Redaction, RedactionKind, normalize_text
from reviewtool.core.suggest.privacy import NEAR_CUTOFF, is_name, is_private, near_spelling

_RUNS = re.compile(r"[\s\\]+|[^\s\\]+")
_WORD = re.compile(r"[\w'’.-]+")
_WORD_RE = re.compile(r"\w+")

# (body offset, original offset) where each run copied from the cable begins
Copied = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Found:
    """A withheld string found in the text: where, which redaction hides it, and for
    a near spelling its score."""

    start: int
    end: int
    redaction: Redaction
    score: float | None


def _normalized(text: str, skip: Sequence[tuple[int, int]], *,
                join_lines: bool = False) -> tuple[str, list[int]]:
    """Casefolded text with every run of whitespace (or ``\\`` line end) as one space and
    the ``skip`` spans (the marks) as NUL; and each character's offset in ``text``.
    ``join_lines``: a run holding a line break (with a hyphen before it) is removed."""
    out: list[str] = []
    where: list[int] = []
    last_space = False
    cursor = 0
    for a, b in sorted(skip) + [(len(text), len(text))]:
        for m in _RUNS.finditer(text, cursor, max(a, cursor)):
            tok = m.group()
            if tok[0].isspace() or tok[0] == "\\":
                if join_lines and "\n" in tok:
                    if out and out[-1].endswith("-"):  # a word hyphenated at the line end
                        out[-1] = out[-1][:-1]
                        where.pop()
                    continue
                if not last_space:
                    out.append(" ")
                    where.append(m.start())
                last_space = True
                continue
            _fold(tok, m.start(), out, where)
            last_space = False
        if a < b:
            out.append("\x00")
            where.append(a)
            last_space = False
        cursor = max(cursor, b)
    return "".join(out), where


def _fold(tok: str, start: int, out: list[str], where: list[int]) -> None:
    """Append ``tok`` casefolded, with the offset of each character it became."""
    low = tok.casefold()
    if len(low) == len(tok):
        out.append(low)
        where.extend(range(start, start + len(tok)))
        return
    for i, ch in enumerate(tok):  # a letter that casefolds to two ("ß" -> "ss")
        f = ch.casefold()
        out.append(f)
        where.extend([start + i] * len(f))


def _is_name(r: Redaction, hidden: str) -> bool:
    """A person's name: withheld for privacy and shaped like a name. Only names get the
    fuzzy check: near spellings of other words are other words."""
    return is_private(r.codes) and is_name(hidden)


def leak_check(text: str, hidden: Sequence[tuple[Redaction, str]], *,
               skip: Sequence[tuple[int, int]] = (), fuzzy: bool = True) -> list[Found]:
    """Every place in ``text`` (outside ``skip``) where a withheld string occurs, case-,
    whitespace- and line-break-insensitively; for names also near spellings (rapidfuzz
    ratio >= `NEAR_CUTOFF`)."""
    norm, where = _normalized(text, skip)
    # A second reading with the line breaks taken out: a word cut across two lines
    # ("Berto-\nlotti", "an\nd") is whole again there.
    joined, jwhere = _normalized(text, skip, join_lines=True)
    keys: dict[str, Redaction] = {}
    for r, raw in hidden:
        keys.setdefault(normalize_text(raw), r)
    keys.pop("", None)
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for n, w in ((norm, where), (joined, jwhere)):
        found += _exact(n, w, keys, taken)
    if fuzzy:
        found += _fuzzy_names(text, norm, where, hidden, taken)
    # one place, one leak: a match inside a longer one ("Smith" in "John Smith") goes
    found.sort(key=lambda f: (f.start, -f.end, f.redaction.id))
    out: list[Found] = []
    for f in found:
        if out and out[-1].start <= f.start and f.end <= out[-1].end:
            continue
        out.append(f)
    return out


def _exact(norm: str, where: list[int], keys: dict[str, Redaction],
           taken: list[tuple[int, int]]) -> list[Found]:
    """The whole-word occurrences of ``keys`` in one reading not inside one ``taken``."""
    index: dict[str, list[int]] = {}  # word -> where it starts in ``norm``
    for m in _WORD_RE.finditer(norm):
        index.setdefault(m.group(), []).append(m.start())
    found = []
    for key, r in keys.items():
        for a, b in _find(norm, key, index):
            s, e = where[a], where[b - 1] + 1
            if not any(x <= s and e <= y for x, y in taken):
                found.append(Found(s, e, r, None))
                taken.append((s, e))
    return found


def _find(norm: str, key: str, index: dict[str, list[int]]) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``key`` (normalized) in ``norm``: candidates from the
    word index by the key's first word, else a regex scan."""
    lead = re.match(r"\w+", key)
    tail = r"(?!\w)" if re.search(r"\w$", key) else ""
    if lead is None:
        return [(m.start(), m.end()) for m in re.finditer(re.escape(key) + tail, norm)]
    out = []
    n = len(key)
    for pos in index.get(lead.group(), ()):
        if norm.startswith(key, pos) and not (tail and pos + n < len(norm)
                                              and (norm[pos + n].isalnum()
                                                   or norm[pos + n] == "_")):
            out.append((pos, pos + n))
    return out


def _fuzzy_names(text: str, norm: str, where: list[int],
                 hidden: Sequence[tuple[Redaction, str]],
                 taken: list[tuple[int, int]]) -> list[Found]:
    names: dict[str, Redaction] = {}
    for r, raw in hidden:
        if r.kind != RedactionKind.PARAGRAPH and _is_name(r, raw):
            names.setdefault(normalize_text(raw), r)
    if not names:
        return []
    words = [(m.start(), m.end()) for m in _WORD.finditer(norm)]
    out: list[Found] = []
    by_k: dict[int, tuple[list[tuple[int, int]], list[str]]] = {}
    for key, r in names.items():
        k = len(key.split())
        if k not in by_k:  # the word windows of each length, built once
            windows = [(words[i][0], words[i + k - 1][1]) for i in range(len(words) - k + 1)]
            by_k[k] = windows, [norm[a:b].strip(".'’-") for a, b in windows]
        windows, choices = by_k[k]
        for _choice, _score, idx in process.extract(key, choices, scorer=fuzz.ratio,
                                                    score_cutoff=NEAR_CUTOFF, limit=None):
            score = near_spelling(key, choices[idx])
            if score is None:
                continue  # another word: "Russian", "U.S. Administration"
            a, b = windows[idx]
            s, e = where[a], where[b - 1] + 1
            if not any(ch.isupper() for ch in text[s:e]):
                continue  # "presidential", "media": a name is written with capitals
            if any(x < e and s < y for x, y in taken):
                continue
            taken.append((s, e))
            out.append(Found(s, e, r, round(score, 1)))
    return out


def place_leak(cable: Cable, full: str, body_offset: int, copied: Copied, f: Found) -> Leak:
    """The leak ``f`` found in the copy ``full``, placed for a reviewer: line and column
    of the copy, and where in the cable the text it shows came from."""
    line = full.count("\n", 0, f.start) + 1
    col = f.start - (full.rfind("\n", 0, f.start) + 1) + 1
    where = "release header"
    if f.start >= body_offset:
        pos = f.start - body_offset
        i = bisect.bisect_right([c[0] for c in copied], pos) - 1
        orig = copied[i][1] + (pos - copied[i][0]) if i >= 0 else 0
        where = place_label(cable, orig)
    r = f.redaction
    return Leak(where, line, col, full[f.start:f.end], f"{r.kind} {r.id}",
                ",".join(r.rules) or None, f.score)
