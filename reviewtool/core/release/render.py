"""Review -> release copy: marks in place of the withheld spans, stamp, banner, leak check.

The copy is built from the original text and the review's spans, never by search and
replace. Text outside the paragraphs (the site's title line, the header with its
SUBJECT, repeated header blocks and bodies, the signer) is redacted wherever it holds,
ignoring case and whitespace, a string withheld elsewhere: these are ``mirror``
redactions, so a repeated copy never leaks. Then the leak check, always on, looks for
every withheld string in the final text (case-, whitespace- and line-break-insensitive,
fuzzy for names); writers refuse to write a copy with leaks. Writes are atomic.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from reviewtool.core.audit import Seal
from reviewtool.core.cable.codes import code_sort_key, short_code
from reviewtool.core.cable.markings import Marking, overall
from reviewtool.core.files import Holds, write_atomic
from reviewtool.core.review.review import Redaction, normalize_text, occurrence_pattern
from reviewtool.errors import LeakError, ReviewError

if TYPE_CHECKING:
    from reviewtool.core.cable.model import Cable
    from reviewtool.core.review.review import Review

STYLES = ("state", "block", "wikileaks")
WIKILEAKS_MARK = "XXXXXXXXXXXX"
BLOCK = "\u2588" * 6
FUZZY_CUTOFF = 88.0  # rapidfuzz ratio (0-100) at which a near spelling of a name is a leak
DEFAULT_AUTHORITY = "E.O. 13526"
RULE = "=" * 72

_NAME = re.compile(r"^[A-Z][\w'’.-]+(?:[ \t\n]+[A-Z][\w'’.-]+){0,3}$")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Mark:
    """One replacement in the copy: ``text[start:end]`` of the original became ``mark``.
    ``ids`` are the redactions merged into it; ``withheld`` is a whole paragraph."""

    start: int
    end: int
    mark: str
    codes: tuple[str, ...]
    ids: tuple[str, ...]
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class Leak:
    """Withheld text found in the copy: where (paragraph label or header part, line and
    column of the copy), what was found, and the redaction that hides it elsewhere."""

    where: str
    line: int
    col: int
    found: str
    hidden_by: str
    rule: str | None = None
    score: float | None = None

    def describe(self) -> str:
        how = f" (fuzzy {self.score:.0f})" if self.score is not None else ""
        by = self.hidden_by + (f", rule {self.rule}" if self.rule else "")
        return (f"{self.where}, line {self.line}:{self.col}: {self.found!r}{how} is withheld "
                f"elsewhere by {by}")


@dataclass(frozen=True)
class Release:
    """A release copy. ``text`` is the whole copy (release header, then the cable);
    ``body_offset`` where the cable begins in it. ``disposition`` is ``release in
    full``, ``release in part`` or ``denied in full``; ``classification`` the overall
    marking of the released portions (before declassification)."""

    text: str
    stamp: str
    codes: tuple[str, ...]
    disposition: str
    classification: Marking
    marks: tuple[Mark, ...]
    mirrors: tuple[Redaction, ...]
    leaks: tuple[Leak, ...]
    body_offset: int
    banner: str
    style: str = "state"
    redactions: tuple[Redaction, ...] = field(default_factory=tuple)

    @property
    def body(self) -> str:
        return self.text[self.body_offset:]


# --------------------------------------------------------------------------- codes, marks


def stamp_order(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes in the order of a State stamp: B1 then its 1.4 reasons and 25X/50X, then
    the other exemptions (``B1, 1.4(B), 1.4(D), B6``)."""
    uniq = list(dict.fromkeys(codes))
    b1 = [c for c in uniq if short_code(c) == "B1"]
    eo = [c for c in uniq if re.match(r"(1\.4|25X|50X)", short_code(c))]
    rest = [c for c in uniq if c not in b1 and c not in eo]
    return tuple(b1 + sorted(eo, key=code_sort_key) + sorted(rest, key=code_sort_key))


def mark_for(codes: Sequence[str], style: str = "state", *, length: int | None = None,
             hidden: str = "") -> str:
    """The mark that replaces a withheld span. It never reveals the length of what it
    hides unless ``length`` is given (length-preserving marks keep line breaks)."""
    label = " ".join(short_code(c) for c in stamp_order(codes))
    if style == "state":
        mark = f"[{label}]"
    elif style == "block":
        mark = f"[{BLOCK} {label}]"
    elif style == "wikileaks":
        mark = WIKILEAKS_MARK
    else:
        raise ReviewError(f"unknown mark style {style!r} (one of {', '.join(STYLES)})")
    if length is None:
        return mark
    n = length
    if style == "wikileaks":
        base = "X" * n
    else:  # the label, then blocks up to the hidden length, inside the brackets
        base = ("[" + label + "\u2588" * max(n - len(label) - 2, 0) + "]")
        base = base if len(base) <= n else base[:n]  # a label longer than the text is cut
    # line breaks stay where they were, so the layout of the copy is kept
    return "".join("\n" if i < len(hidden) and hidden[i] == "\n" else ch
                   for i, ch in enumerate(base))


def withheld_text(codes: Sequence[str]) -> str:
    return "[Paragraph withheld: " + ", ".join(short_code(c) for c in stamp_order(codes)) + "]"


# --------------------------------------------------------------------------- mirrors


def mirror_redactions(review: Review, redactions: Sequence[Redaction]) -> list[Redaction]:
    """Redactions of every place outside the paragraphs (title line, header, SUBJECT,
    repeated headers and bodies, signer) that holds a string withheld elsewhere."""
    cable = review.cable
    text = cable.text
    # Runs of text outside the paragraphs (blank gaps between paragraphs skipped).
    outside: list[tuple[int, int]] = []
    for seg in cable.segments:
        if seg.kind == "paragraph" or not text[seg.start:seg.end].strip(" \t\r\n\\"):
            continue
        if outside and outside[-1][1] == seg.start:
            outside[-1] = (outside[-1][0], seg.end)
        else:
            outside.append((seg.start, seg.end))
    if not outside:
        return []
    out: list[Redaction] = []
    seen: set[tuple[int, int]] = {(r.start, r.end) for r in redactions}
    done: set[str] = set()
    for r in redactions:
        hidden = text[r.start:r.end]
        key = normalize_text(hidden)
        if key in done:  # the same text was searched for already
            continue
        done.add(key)
        pat = occurrence_pattern(hidden)
        if pat is None:
            continue
        for a, b in outside:
            for m in pat.finditer(text, a, b):
                if (m.start(), m.end()) in seen:
                    continue
                seen.add((m.start(), m.end()))
                out.append(Redaction(f"{r.id}@{m.start()}", "mirror", m.start(), m.end(),
                                     r.codes, None, f"same text as {r.id}: {r.reason}",
                                     r.rules, None, r.reviewer, r.time, r.id))
    return out


# --------------------------------------------------------------------------- render


def render_release(review: Review, *, style: str = "state", on: date | None = None,
                   preserve_length: bool = False, seal: Seal | None = None,
                   fuzzy: bool = True) -> Release:
    """Build the release copy of ``review``; ``leaks`` lists withheld text still in it.

    ``on`` is the declassification date (default: the review's clock); ``seal`` the
    audit seal to print in the release header.
    """
    if style not in STYLES:
        raise ReviewError(f"unknown mark style {style!r} (one of {', '.join(STYLES)})")
    cable = review.cable
    text = cable.text
    reds = review.redactions()
    withheld = {r.paragraph: r for r in reds if r.kind == "paragraph"}
    spans = [r for r in reds if r.kind != "paragraph"]
    mirrors = mirror_redactions(review, spans + list(withheld.values()))
    marks = _marks(text, spans + mirrors, withheld, style, preserve_length)

    pieces: list[str] = []
    copied: list[tuple[int, int]] = []  # (body offset, original offset) of copied runs
    mark_spans: list[tuple[int, int]] = []
    cursor = 0
    pos = 0
    for m in marks:
        if m.start > cursor:
            copied.append((pos, cursor))
            pieces.append(text[cursor:m.start])
            pos += m.start - cursor
        mark_spans.append((pos, pos + len(m.mark)))
        pieces.append(m.mark)
        pos += len(m.mark)
        cursor = m.end
    copied.append((pos, cursor))
    pieces.append(text[cursor:])
    body = "".join(pieces)

    codes = stamp_order(c for m in marks for c in m.codes)
    n_par = len(cable.paragraphs)
    if n_par and len(withheld) == n_par:
        disposition = "denied in full"
        stamp = "DENIED IN FULL " + ", ".join(short_code(c) for c in codes)
    elif marks:
        disposition = "release in part"
        stamp = "RELEASE IN PART " + ", ".join(short_code(c) for c in codes)
    else:
        disposition, stamp = "release in full", "RELEASE IN FULL"
    stamp = stamp.strip()

    released = [p.marking for p in cable.paragraphs if p.index not in withheld]
    classification = overall(released) if released else Marking(cable.classification.level,
                                                                 cable.classification.controls)
    when = on or review.clock().date()
    settings = review.settings
    banner = format_banner(settings, review=review, when=when,
                           classification="DENIED" if disposition == "denied in full"
                           else "UNCLASSIFIED")
    authority = settings.get("authority") or DEFAULT_AUTHORITY
    orig = cable.classification.banner() if cable.classification else "UNCLASSIFIED"
    head = [
        stamp,
        banner,
        f"Original classification: {orig}; released portions: {classification.banner()}",
        f"Declassified: {when.isoformat()}, {review.reviewer}, {authority}",
    ]
    if seal is not None:
        head.append(seal.format())
    header = "\n".join(head) + "\n" + RULE + "\n"
    full = header + body

    leaks: tuple[Leak, ...] = ()
    hidden = [(r, text[r.start:r.end]) for r in spans]
    hidden += [(r, text[r.start:r.end]) for r in withheld.values()]
    # The release header is our own template (stamp, banner, dates), not cable text.
    skip = [(0, len(header))] + [(a + len(header), b + len(header)) for a, b in mark_spans]
    found = leak_check(full, hidden, skip=skip, fuzzy=fuzzy)
    if found:
        leaks = tuple(_place(review, full, len(header), copied, f) for f in found)
    return Release(full, stamp, codes, disposition, classification, tuple(marks),
                   tuple(mirrors), leaks, len(header), banner, style, tuple(reds))


def _marks(text: str, spans: Sequence[Redaction], withheld: dict[int | None, Redaction],
           style: str, preserve_length: bool) -> list[Mark]:
    """Merge overlapping or touching spans into one mark each; spans inside a withheld
    paragraph vanish into its ``[Paragraph withheld: ...]``."""
    items: list[tuple[int, int, tuple[str, ...], tuple[str, ...], bool]] = []
    for r in withheld.values():
        items.append((r.start, r.end, r.codes, (r.id,), True))
    blocked = sorted((r.start, r.end) for r in withheld.values())
    for r in spans:
        if any(a <= r.start and r.end <= b for a, b in blocked):
            continue
        items.append((r.start, r.end, r.codes, (r.id,), False))
    items.sort()
    merged: list[list[Any]] = []
    for start, end, codes, ids, whole in items:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            last[2] = tuple(dict.fromkeys(last[2] + codes))
            last[3] = last[3] + ids
            last[4] = last[4] or whole
        else:
            merged.append([start, end, codes, ids, whole])
    out = []
    for start, end, codes, ids, whole in merged:
        if whole:
            mark = withheld_text(codes)
        else:
            hidden = text[start:end]
            mark = mark_for(codes, style, length=len(hidden) if preserve_length else None,
                            hidden=hidden)
        out.append(Mark(start, end, mark, stamp_order(codes), tuple(ids), whole))
    return out


def format_banner(settings: dict[str, Any], *, review: Review, when: date,
                  classification: str) -> str:
    """The banner line from the review's template (``{classification}``, ``{case_no}``,
    ``{doc_no}``, ``{date}``, ``{reviewer}``, ``{cable}``); unknown fields stay as written."""
    template = str(settings.get("banner") or "")
    fmt = str(settings.get("date_format") or "%m/%d/%Y")
    values = {**{k: (v if v not in ("", None) else "-") for k, v in settings.items()
                 if isinstance(v, str | int | None)},
              "classification": classification, "date": when.strftime(fmt),
              "reviewer": review.reviewer, "cable": review.cable.id or ""}

    class _Keep(dict):  # type: ignore[type-arg]
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        line = template.format_map(_Keep(values))
    except (ValueError, IndexError) as exc:
        raise ReviewError(f"banner template is not valid: {exc}") from None
    return re.sub(r"[ \t]+", " ", line).strip()


# --------------------------------------------------------------------------- leak check


@dataclass(frozen=True, slots=True)
class _Found:
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
            low = tok.casefold()
            if len(low) == len(tok):
                out.append(low)
                where.extend(range(m.start(), m.end()))
            else:  # a letter that casefolds to two ("ß" -> "ss")
                for i, ch in enumerate(tok):
                    f = ch.casefold()
                    out.append(f)
                    where.extend([m.start() + i] * len(f))
            last_space = False
        if a < b:
            out.append("\x00")
            where.append(a)
            last_space = False
        cursor = max(cursor, b)
    return "".join(out), where


_RUNS = re.compile(r"[\s\\]+|[^\s\\]+")


_PRIVACY = {"B6", "B7(C)"}


def _is_name(r: Redaction, hidden: str) -> bool:
    """A person's name: withheld for privacy (B6, B7(C)) and shaped like a name. Only
    names get the fuzzy check: near spellings of other words are other words."""
    privacy = any(short_code(c) in _PRIVACY for c in r.codes)
    return privacy and len(hidden.strip()) >= 5 and bool(_NAME.match(hidden.strip()))


def leak_check(text: str, hidden: Sequence[tuple[Redaction, str]], *,
               skip: Sequence[tuple[int, int]] = (), fuzzy: bool = True) -> list[_Found]:
    """Every place in ``text`` (outside ``skip``) where a withheld string occurs, case-,
    whitespace- and line-break-insensitively; for names also near spellings (rapidfuzz
    ratio >= `FUZZY_CUTOFF`)."""
    norm, where = _normalized(text, skip)
    # A second reading with the line breaks taken out: a word cut across two lines
    # ("Berto-\nlotti", "an\nd") is whole again there.
    joined, jwhere = _normalized(text, skip, join_lines=True)
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    keys: dict[str, Redaction] = {}
    for r, raw in hidden:
        keys.setdefault(normalize_text(raw), r)
    keys.pop("", None)
    for n, w in ((norm, where), (joined, jwhere)):
        index: dict[str, list[int]] = {}  # word -> where it starts in ``n``
        for m in _WORD_RE.finditer(n):
            index.setdefault(m.group(), []).append(m.start())
        for key, r in keys.items():
            for a, b in _find(n, key, index):
                s, e = w[a], w[b - 1] + 1
                if not any(x <= s and e <= y for x, y in taken):
                    found.append(_Found(s, e, r, None))
                    taken.append((s, e))
    if fuzzy:
        found += _fuzzy_names(text, norm, where, hidden, taken)
    # one place, one leak: a match inside a longer one ("Smith" in "John Smith") goes
    found.sort(key=lambda f: (f.start, -f.end, f.redaction.id))
    out: list[_Found] = []
    for f in found:
        if out and out[-1].start <= f.start and f.end <= out[-1].end:
            continue
        out.append(f)
    return out


_WORD = re.compile(r"[\w'’.-]+")
_WORD_RE = re.compile(r"\w+")


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
                 taken: list[tuple[int, int]]) -> list[_Found]:
    names: dict[str, Redaction] = {}
    for r, raw in hidden:
        if r.kind != "paragraph" and _is_name(r, raw):
            names.setdefault(normalize_text(raw), r)
    if not names:
        return []
    words = [(m.start(), m.end()) for m in _WORD.finditer(norm)]
    out: list[_Found] = []
    by_k: dict[int, tuple[list[tuple[int, int]], list[str]]] = {}
    for key, r in names.items():
        k = len(key.split())
        if k not in by_k:  # the word windows of each length, built once
            windows = [(words[i][0], words[i + k - 1][1]) for i in range(len(words) - k + 1)]
            by_k[k] = windows, [norm[a:b].strip(".'’-") for a, b in windows]
        windows, choices = by_k[k]
        for _choice, score, idx in process.extract(key, choices, scorer=fuzz.ratio,
                                                   score_cutoff=FUZZY_CUTOFF, limit=None):
            a, b = windows[idx]
            short, long_ = sorted((key, choices[idx]), key=len)
            if long_.startswith(short):
                continue  # "Russia"/"Russian": another word, not a misspelling
            if k > 1 and any(fuzz.ratio(x, y) < FUZZY_CUTOFF - 13 for x, y in
                             zip(key.split(), choices[idx].split(), strict=False)):
                continue  # "Bush Administration"/"U.S. Administration": each word must be near
            s, e = where[a], where[b - 1] + 1
            if not any(ch.isupper() for ch in text[s:e]):
                continue  # "presidential", "media": a name is written with capitals
            if any(x < e and s < y for x, y in taken):
                continue
            taken.append((s, e))
            out.append(_Found(s, e, r, round(score, 1)))
    return out


_FIELD_LABELS = {"subject": "subject line", "classified_by": "Classified By line",
                 "classified_by.name": "Classified By line", "tags": "TAGS line",
                 "ref": "REF line", "decl": "E.O. line", "signer": "signature"}


def place_label(cable: Cable, offset: int) -> str:
    """Where an offset of the cable is, for a reviewer: ``¶3``, ``subject line``,
    ``Classified By line``, ``title line``, ``repeated header``, ``header``..."""
    p = cable.paragraph_at(offset)
    if p is not None:
        return p.label
    seg = next((s for s in cable.segments if s.start <= offset < s.end), None)
    kind = seg.kind if seg else "text"
    if kind in ("header", "signer"):
        for name, f in cable.fields.items():
            if name in _FIELD_LABELS and f.start <= offset < max(f.end, f.start + 1):
                return _FIELD_LABELS[name]
        cb = cable.classified_by
        if cb is not None and cb.start <= offset < cb.end:
            return "Classified By line"
    return {"meta": "title line", "duplicate": "repeated header", "gap": "between paragraphs",
            "signer": "signature"}.get(kind, kind)


def _place(review: Review, full: str, body_offset: int, copied: list[tuple[int, int]],
           f: _Found) -> Leak:
    line = full.count("\n", 0, f.start) + 1
    col = f.start - (full.rfind("\n", 0, f.start) + 1) + 1
    where = "release header"
    if f.start >= body_offset:
        pos = f.start - body_offset
        i = bisect.bisect_right([c[0] for c in copied], pos) - 1
        orig = copied[i][1] + (pos - copied[i][0]) if i >= 0 else 0
        where = place_label(review.cable, orig)
    r = f.redaction
    return Leak(where, line, col, full[f.start:f.end], f"{r.kind} {r.id}",
                ",".join(r.rules) or None, f.score)


# --------------------------------------------------------------------------- writing


def refuse_inputs(path: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """Refuse to write over an input (the original cable is never modified)."""
    out = Path(path)
    for raw in inputs:
        if raw is None:
            continue
        src = Path(raw)
        same = out.resolve() == src.resolve()
        if not same and out.exists() and src.exists():
            same = os.path.samefile(out, src)
        if same:
            raise ReviewError(f"output path is the input cable {src}; refusing to overwrite it",
                              source=str(out))


def leak_error(release: Release, name: str | None) -> LeakError:
    lines = [f"leak check refused the release copy of {name or 'the cable'}: "
             f"{len(release.leaks)} place(s) still show withheld text"]
    lines += ["  " + leak.describe() for leak in release.leaks]
    return LeakError("\n".join(lines))


def write_release(release: Release, path: str | Path, *,
                  inputs: Iterable[str | Path | None] = (), name: str | None = None) -> Path:
    """Write a release copy atomically; `LeakError` (nothing written) if it leaks."""
    if release.leaks:
        raise leak_error(release, name)
    refuse_inputs(path, inputs)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(p, release.text, Holds.RELEASE)
    return p
