"""Cable text -> `Cable`: header fields and paragraphs, every one a span of the text.

`parse_cable` reads the formats real cables come in (WikiLeaks page text, the
"Identifier / Created / Classification / Origin" export, tab-separated database rows
with `\\` line ends, telegram routing headers, repeated header blocks, flattened
paragraphs). Offsets are half-open ``(start, end)`` into the exact text given; the
`segments` of a cable partition the whole text, so nothing is lost.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from reviewtool.core.cable.markings import (
    Level,
    Marking,
    overall,
    parse_classification,
    parse_marking,
)
from reviewtool.errors import CableError

# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Field:
    """A header field: its value (normalized: unwrapped, trimmed) and the span of the
    value as written in the text."""

    name: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ClassifiedBy:
    """The ``Classified By`` line. ``reasons`` are normalized (``1.4(b)``);
    ``reasons_text`` keeps what was written (``1.5 (b) and (d)``)."""

    text: str
    name: str | None
    title: str | None
    reasons: tuple[str, ...]
    reasons_text: str
    start: int
    end: int
    name_start: int | None = None
    name_end: int | None = None


@dataclass(frozen=True, slots=True)
class Decl:
    """The E.O. line: which order, the instruction as written, and what it means.

    ``kind`` is one of ``date``, ``exempt`` (X1-X8, 25X, 50X), ``na``, ``gds``,
    ``declassified`` (by NARA and the like), ``event`` or ``unknown``."""

    order: str | None
    text: str
    kind: str
    date: date | None
    exemptions: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the body.

    Attributes:
        index: position in ``Cable.paragraphs``.
        number: the number as written without its dot (``"1"``), or ``None``.
        start, end: span of the whole paragraph (number and marking included).
        text_start: where the text proper begins, after number and marking.
        marking: the effective marking (its own, or inherited), or ``None``.
        written: the marking exactly as written in this paragraph, or ``None``.
        marking_start, marking_end: span of the written marking with parentheses.
        inherited: an unnumbered continuation that takes the previous marking (or the
            cable's ``ENTIRE TEXT`` marking).
        unmarked: no marking at all in a classified cable: needs a reviewer's eye.
    """

    index: int
    number: str | None
    start: int
    end: int
    text_start: int
    marking: Marking | None
    written: str | None
    marking_start: int | None
    marking_end: int | None
    inherited: bool
    unmarked: bool
    text: str
    follows: str | None = None  # for an unnumbered paragraph, the number it comes after

    @property
    def level(self) -> Level | None:
        return self.marking.level if self.marking else None

    @property
    def label(self) -> str:
        """``¶3``; ``¶4+`` for an unnumbered paragraph after 4; ``¶[1]`` before any."""
        if self.number:
            return f"¶{self.number}"
        return f"¶{self.follows}+" if self.follows else f"¶[{self.index + 1}]"


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the text: ``meta`` (site/export header), ``header`` (routing and
    cable header), ``paragraph``, ``duplicate`` (a repeated header or body), ``signer``,
    ``trailer`` (closing banner lines after the body), ``other`` (non-paragraph lines
    between pieces), ``gap`` (blank)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Cable:
    """A parsed cable. Every span is into ``text``, which is never altered."""

    text: str
    source: str | None
    id: str | None
    title: str | None
    created: datetime | None
    released: datetime | None
    origin: str | None
    classification: Marking
    entire_text: Marking | None
    decl: Decl | None
    tags: tuple[str, ...]
    subject: Field | None
    subject_marking: Marking | None
    refs: tuple[str, ...]
    classified_by: ClassifiedBy | None
    signer: Field | None
    paragraphs: tuple[Paragraph, ...]
    segments: tuple[Segment, ...]
    fields: dict[str, Field] = field(default_factory=dict)

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the text (UTF-8), computed once: every audit line carries it."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def duplicates(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.kind == "duplicate")

    @property
    def header_end(self) -> int:
        """Where the first paragraph begins (or the body, if there is none)."""
        if self.paragraphs:
            return self.paragraphs[0].start
        return len(self.text)

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph whose span holds ``offset``, or ``None``."""
        i = bisect.bisect_right(self._paragraph_starts, offset) - 1
        if i >= 0 and offset < self.paragraphs[i].end:
            return self.paragraphs[i]
        return None

    def line_of(self, offset: int) -> int:
        """1-based line number of an offset."""
        return self.text.count("\n", 0, offset) + 1


# --------------------------------------------------------------------------- reading


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_cable_bytes(data: bytes, source: str | None = None) -> str:
    """Bytes -> text: UTF-8, then the 8-bit encodings real exports use; binary refused."""
    name = source or "<input>"
    if not data.strip():
        raise CableError("empty file", source=name)
    if b"\x00" in data[:8192]:
        raise CableError("binary file (NUL bytes), not a cable", source=name)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROL_CHARS.findall(text, 0, 20000))
        if controls > max(3, len(text[:20000]) // 100):
            continue
        return text
    raise CableError("unreadable text: not UTF-8 or a known 8-bit encoding", source=name)


def read_cable(path: str | Path) -> Cable:
    """Read and parse a cable file; `CableError` names the file on any failure."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise CableError("no such file", source=str(p)) from None
    except IsADirectoryError:
        raise CableError("is a directory", source=str(p)) from None
    except OSError as exc:
        raise CableError(f"cannot read: {exc.strerror or exc}", source=str(p)) from None
    return parse_cable(decode_cable_bytes(data, str(p)), source=str(p))


# --------------------------------------------------------------------------- patterns

_CLASS_WORDS = ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "CONFIDENTIAL//NOFORN", "SECRET//NOFORN",
                "TOP SECRET//NOFORN", "TOP SECRET", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET")
_CLASS_ALT = "|".join(re.escape(w) for w in _CLASS_WORDS) + r"|[A-Z]+(?://[A-Z ]+)+"
_DT = r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?"

_VIEWING = re.compile(r"^Viewing cable (\S+?), ?(.*)$", re.M)
_REFHDR = re.compile(r"^Reference ID\s+Created\s+Released\s+Classification\s+Origin[ \t]*\n"
                     rf"(\S+)\s+({_DT})\s+({_DT})\s+({_CLASS_ALT})\s+(.*)$", re.M)
_EXPORT = re.compile(r"^Identifier\s*\nCreated\s*\nClassification\s*\nOrigin\s*\n"
                     rf"(\S+)[ \t]*\n({_DT})[ \t]*\n([^\n]+?)[ \t]*\n([^\n]+?)[ \t]*$", re.M)
_EXPORT_TITLE = re.compile(r"^Cable title:\s*\n*\s*([^\n]+)", re.M)
_DBROW = re.compile(rf"^({_DT})\t(\S+)\t([^\t\n]*)\t([^\t\n]*)\t", re.M)
_BANNER = re.compile(r"^[ \t]*(?:(?:[A-Z] ){4,}[A-Z]\b|UNCLAS(?:SIFIED)?\b|CONFIDENTIAL\b|"
                     r"SECRET\b|TOP SECRET\b|LIMITED OFFICIAL USE\b)[^\n]*$", re.M)
_EO = re.compile(r"E\.?[ \t]?O\.?[ \t]*(1\d{4})\b[ \t]*:?[ \t]*(?P<text>[^\n]*)")
_TAGS = re.compile(r"\bTAGS\b\s*:?[ \t]*(?P<text>[^\n]*)")
_SUBJECT = re.compile(r"\bSUBJ(?:ECT)?\s*:[ \t]*", re.I)
_REF = re.compile(r"^[ \t]*REFS?\b\s*:?[ \t]*", re.M | re.I)
_CLASSIFIED = re.compile(r"\bClassified\s+By\b\s*:?[ \t]*", re.I)
_BLANK = re.compile(r"\n[ \t\\]*\n")
_PARA_LINE = re.compile(
    r"^[ \t]*(?P<lead>(?:¶\s*)?(?P<num>\d{1,3})\s*\.(?!\d)[ \t]*"
    r"(?:\((?P<mark>[^()\n]{1,40})\))?|\((?P<mark2>[^()\n]{1,40})\))", re.M)
_PARA_MID = re.compile(
    r"[.!?\"'”)\]:0-9] [ \t]*(?P<lead>(?P<num>\d{1,3})\s*\.[ \t]*\((?P<mark>[^()\n]{1,40})\)"
    r"|\((?P<mark2>[A-Z][A-Z/ ]{0,20})\)(?= [A-Z\"“]))")
_AFTER_NUMBER = re.compile(r"\d\s*\.[ \t]*$")
_ENTIRE = re.compile(r"\(?\b(UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET|SBU|U|C|S|TS)\s*"
                     r"(?:/+[A-Z ]+?)?\s*-+\s*ENTIRE\s+TEXT\b\)?", re.I)
_SUBSTART = re.compile(r"^[ \t]*(?:[A-Za-z]\.|\(?[a-z0-9]{1,3}\)|-|\*|•|o |\d{1,3}\)|\()")
_TRAILER = re.compile(r"^(?:NNNN|END (?:CABLE )?TEXT\.?|SIPDIS|UNCLAS(?:SIFIED)?|CONFIDENTIAL|"
                      r"SECRET|TOP SECRET|NOFORN|LIMITED OFFICIAL USE|"
                      r"(?:[A-Z] ){4,}[A-Z].*|SENSITIVE BUT UNCLASSIFIED|BT|#\d+)\s*\\?$")
_SIGNER = re.compile(r"^[A-Z][A-Za-z'’\-]+(?:[ ,]+[A-Z][A-Za-z'’\-\.]*){0,2}$")

_TITLE_WORDS = {
    "AMBASSADOR", "AMB", "CHARGE", "CHARGÉ", "D'AFFAIRES", "CDA", "DCM", "A/DCM", "COUNSELOR",
    "COUNSELLOR", "POLCOUNS", "POLOFF", "ECONOFF", "POL", "ECON", "EST", "POLITICAL", "ECONOMIC",
    "MINISTER", "MINCOUNS", "MC", "CHIEF", "DEPUTY", "ACTING", "SECTION", "OFFICER", "CONSUL",
    "GENERAL", "PRINCIPAL", "DIRECTOR", "ASSISTANT", "SECRETARY", "UNDER", "SPECIAL", "ENVOY",
    "MISSION", "OF", "FOR", "AND", "THE", "A/S", "DAS", "PDAS", "PAO", "RSO", "ATTACHE",
    "DEFENSE", "PUBLIC", "AFFAIRS", "MANAGEMENT", "CONSULAR", "ADVISOR", "ADVISER", "HEAD",
    "CG", "PO", "AMBASSADOR-AT-LARGE", "INR", "S/CT", "COORDINATOR", "POLMILOFF", "POL/MIL",
    "POL/ECON", "ECONCOUNS", "POLITICAL/ECONOMIC", "INTERNAL", "EXTERNAL", "UNIT", "DEP",
    "CHIEF,", "COUNSEL", "ACTING,", "ECON/POL", "SENIOR", "LABOR", "ATTACHÉ", "OFFICE", "DIR",
    "EXECUTIVE", "US", "U.S.", "USUN", "PERMANENT", "REPRESENTATIVE", "PERMREP", "ALTERNATE",
    "MILITARY", "ENERGY", "ENVIRONMENT", "SCIENCE", "TECHNOLOGY", "POLECON", "CHARGE'",
    "AFFAIRES", "D'AFFAIRES,", "DE", "A.I.", "AI", "DERIVED", "FROM", "MULTIPLE", "SOURCES",
    "CLASSIFIED", "BY", "BY:", "ECONOMIC/POLITICAL", "RMA", "ESTH", "REFCOORD", "NAS", "DHS",
    "DATT", "LEGATT", "ODC", "USAID", "MISSION,", "CHIEF:", "M-C", "USEU", "USNATO",
}


def _is_title_word(word: str) -> bool:
    w = word.strip(".,:;").upper()
    return w in _TITLE_WORDS or ("-" in w and all(p in _TITLE_WORDS for p in w.split("-")))


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
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


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span past white space (any, U+2028 included) and `\\` line ends."""
    while start < end and (text[start].isspace() or text[start] == "\\"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == "\\"):
        end -= 1
    return start, end


def _unwrap(s: str) -> str:
    s = re.sub(r"[ \t]*\\?[ \t]*\n[ \t]*", " ", s)
    return re.sub(r"[ \t]+", " ", s).strip(" \\")


def _date(value: str) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            pass
    return None


# --------------------------------------------------------------------------- header pieces


def _block_end(text: str, pos: int, limit: int, stop: re.Pattern[str] | None = None) -> int:
    """End of a header block that starts at ``pos``: the next blank line, the next
    paragraph start, or ``stop`` (another header keyword), whichever comes first."""
    ends = [limit]
    m = _BLANK.search(text, pos, limit)
    if m:
        ends.append(m.start())
    for pat in (_PARA_LINE, _PARA_MID):
        for m in pat.finditer(text, max(0, pos - 3), limit):
            if m.start("lead") > pos and _valid_start(m):
                ends.append(m.start("lead"))
                break
    if stop is not None:
        m = stop.search(text, pos + 1, limit)
        if m:
            ends.append(m.start())
    return min(ends)


def _valid_start(m: re.Match[str]) -> bool:
    mark = m.group("mark") if "mark" in m.groupdict() else None
    mark2 = m.groupdict().get("mark2")
    if mark is not None and parse_marking(mark) is not None:
        return True
    if mark2 is not None:
        return mark2.strip()[:1].isupper() and parse_marking(mark2) is not None
    if m.groupdict().get("num") != "1" or mark is not None or mark2 is not None:
        return False
    after = m.string[m.end("lead"):m.end("lead") + 4].lstrip()
    return bool(after) and (after[0].isupper() or after[0] in "\"'“(")


_DECL_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2,4})|(\d{4})-(\d{2})-(\d{2})")


def _parse_decl(order: str, raw: str, start: int, end: int) -> Decl:
    body = raw.strip(" \\\t")
    upper = body.upper()
    exemptions = tuple(dict.fromkeys(
        m.group(0).replace(" ", "") for m in
        re.finditer(r"\b(?:25X\d|50X\d(?:-[A-Z]+)?|X[1-8]|1\.6\s?X\d)\b", upper)))
    d: date | None = None
    m = _DECL_DATE.search(body)
    if m:
        try:
            if m.group(1):
                year = int(m.group(3))
                if year < 100:
                    year += 2000 if year < 70 else 1900
                d = date(year, int(m.group(1)), int(m.group(2)))
            else:
                d = date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
        except ValueError:
            d = None
    if "DECLASSIFIED" in upper:
        kind = "declassified"
    elif exemptions:
        kind = "exempt"
    elif re.search(r"\bN/?A\b", upper):
        kind = "na"
    elif d is not None:
        kind = "date"
    elif re.search(r"\bGDS\b", upper) or re.search(r"\bADS\b", upper):
        kind = "gds"
    elif re.search(r"DECL\s*:?\s*\S", upper) or re.search(r"\b(?:OADR|UPON|AFTER|WHEN)\b", upper):
        kind = "event"
    else:
        kind = "unknown"
    return Decl(order, body, kind, d, exemptions, start, end)


_REASON_LETTERS = re.compile(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")
_REASON_KEY = re.compile(r"(?:\bfor\s+)?\br\s*e\s*a\s*s\s*o\s*n\s*s?\b\s*:?", re.I)
_SECTION = re.compile(r"\b1\s*\.\s*([45])\b")


def _parse_classified_by(text: str, start: int, end: int) -> ClassifiedBy:
    raw = text[start:end]
    # Cables break words across lines here ("reaso \nns", "an\nd"): mend by joining lines.
    joined = re.sub(r"[ \t]*\\?[ \t]*\n[ \t]*", "", raw)
    spaced = _unwrap(raw)
    reasons: list[str] = []
    reasons_text = ""
    sec = _SECTION.search(joined)
    if sec:
        tail = joined[sec.start():]
        stop = re.search(r"\.(?:\s|$)(?!\s*\(?[a-hA-H]\))", tail[4:])
        if stop:
            tail = tail[: stop.start() + 4]
        reasons_text = _unwrap(raw[_SECTION.search(raw).start():]).rstrip(" .") \
            if _SECTION.search(raw) else tail
        for letter in _REASON_LETTERS.findall(tail[sec.end() - sec.start():]):
            r = f"1.4({letter.lower()})"
            if r not in reasons:
                reasons.append(r)
    # Who: the words before "for reasons"/"reasons"/"1.4", minus title words.
    who_end = len(raw)
    k = _REASON_KEY.search(raw)
    if k:
        who_end = k.start()
    s = _SECTION.search(raw)
    if s and s.start() < who_end:
        who_end = s.start()
    who = raw[:who_end]
    name, title, name_span = _split_name(who, start)
    return ClassifiedBy(spaced, name, title, tuple(reasons), reasons_text, start, end,
                        *(name_span or (None, None)))


_TOKEN = re.compile(r"[^\s,;]+")


def _split_name(who: str, base: int) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """Split "EST Counselor Robert W. Dry" into name and title, keeping the name's span."""
    body = who.rstrip(" \t\n\\.,;:")
    repeat = re.match(r"\s*Classified\s+By\s*:?\s*", body, re.I)  # "Classified By: Classified By"
    if repeat:
        body = " " * repeat.end() + body[repeat.end():]
    if "," in body:  # "JOSIAH H. BEEMAN, AMBASSADOR"
        first, _, rest = body.partition(",")
        rest_tokens = rest.replace(".", " ").split()
        if rest_tokens and all(t.upper() in _TITLE_WORDS for t in rest_tokens[:1]):
            name, title = _split_name(first, base)[0:2]
            if name:
                i = who.find(name)
                return name, rest.strip(" .") or title, (base + i, base + i + len(name))
        body = first if _looks_name(first) else body
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(body)]
    name_tokens: list[tuple[int, int, str]] = []
    for tok in reversed(tokens):
        word = tok[2].strip(".")
        if (_is_title_word(word) or not word[:1].isalpha() or not word[:1].isupper()
                or len(name_tokens) >= 4 or "/" in word):
            break
        name_tokens.insert(0, tok)
    # A lone initial or a single title-ish token is no name.
    if not name_tokens or (len(name_tokens) == 1 and len(name_tokens[0][2].strip(".")) < 3):
        title = _unwrap(body) or None
        return None, title, None
    ns, ne = name_tokens[0][0], name_tokens[-1][1]
    name = _unwrap(body[ns:ne])
    title = _unwrap(body[:ns]) or None
    return name, title, (base + ns, base + ne)


def _looks_name(s: str) -> bool:
    words = s.split()
    return 1 < len(words) <= 4 and all(w[:1].isupper() for w in words)


def _split_tags(value: str) -> tuple[str, ...]:
    tags = re.findall(r"[A-Za-z0-9][\w\-/&.]*(?:\s*\([^)]*\))?", value)
    return tuple(t.strip() for t in tags)


def _split_refs(value: str) -> tuple[str, ...]:
    v = _unwrap(value)
    if not v:
        return ()
    parts = re.split(r"(?:^|\s)\(?[A-H]\)?[.)]\s+", " " + v)
    parts = [p.strip(" ;,") for p in parts if p.strip(" ;,") and p.strip(" ;,:").upper() != "REF"]
    if len(parts) <= 1:
        parts = [p.strip() for p in re.split(r";", v) if p.strip()]
    return tuple(parts)


# --------------------------------------------------------------------------- the parser


@dataclass
class _Meta:
    id: str | None = None
    title: str | None = None
    created: datetime | None = None
    released: datetime | None = None
    classification: str | None = None
    origin: str | None = None
    end: int = 0          # where the site/export header ends
    body_start: int = 0   # where the telegram (or its routing header) starts


def _read_meta(text: str) -> _Meta:
    meta = _Meta()
    head = text[:20000]
    m = _VIEWING.search(head)
    if m:
        meta.id, meta.title = m.group(1), m.group(2).rstrip(" \\").strip() or None
        meta.end = m.end()
    m = _REFHDR.search(head)
    if m:
        meta.id = m.group(1)
        meta.created, meta.released = _date(m.group(2)), _date(m.group(3))
        meta.classification, meta.origin = m.group(4), m.group(5).strip() or None
        meta.end = max(meta.end, m.end())
    m = _EXPORT.search(head)
    if m:
        meta.id, meta.created = m.group(1), _date(m.group(2))
        meta.classification, meta.origin = m.group(3).strip(), m.group(4).strip()
        meta.end = max(meta.end, m.end())
        t = _EXPORT_TITLE.search(head, m.end())
        if t:
            meta.title = t.group(1).strip()
        notice = re.search(r"^.*partial extract.*$|^pdf how-to read a cable\s*$", head, re.M)
        if notice:
            meta.end = max(meta.end, notice.end())
    meta.body_start = meta.end
    # A database row: created, id, origin, classification, id, routing header, body.
    m = _DBROW.search(text, meta.end)
    if m:
        meta.id = meta.id or m.group(2)
        meta.created = meta.created or _date(m.group(1))
        meta.origin = meta.origin or m.group(3).strip() or None
        meta.classification = meta.classification or m.group(4).strip() or None
        tabs = [i for i in range(m.start(), min(len(text), m.start() + 20000))
                if text[i] == "\t"][:6]
        meta.body_start = tabs[-1] + 1
    elif meta.end:
        notice = re.compile(r"^.*partial extract.*$", re.M).search(text, meta.end, meta.end + 400)
        if notice:
            meta.body_start = notice.end()
    return meta


def parse_cable(text: str, source: str | None = None) -> Cable:
    """Parse a cable's text. Raises `CableError` if the text is not a cable."""
    if not isinstance(text, str):
        raise CableError("cable text must be str", source=source)
    if not text.strip():
        raise CableError("empty file", source=source)
    n = len(text)
    meta = _read_meta(text)
    pos = meta.body_start

    fields: dict[str, Field] = {}

    # E.O. line: the first one after the site header.
    eo = _EO.search(text, pos)
    decl = None
    if eo:
        raw = eo.group("text")
        cut = re.search(r"\s(?:TAGS|SUBJECT)\b", raw)
        if cut:
            raw = raw[: cut.start()]
        ds, de = _strip_span(text, eo.start("text"), eo.start("text") + len(raw))
        decl = _parse_decl(eo.group(1), text[ds:de], eo.start(), de)
        fields["decl"] = Field("decl", decl.text, ds, de)
    anchor = eo.start() if eo else pos

    # The first paragraph start after the E.O. line bounds the header.
    first_para = n
    for m in _PARA_LINE.finditer(text, eo.end() if eo else pos):
        if _valid_start(m):
            first_para = m.start("lead")
            break

    def header_search(pat: re.Pattern[str]) -> re.Match[str] | None:
        lo = max(pos, anchor - 2000) if eo else pos
        m = pat.search(text, lo, first_para)
        return m

    tags: tuple[str, ...] = ()
    m = header_search(_TAGS)
    header_end = eo.end() if eo else pos
    if m:
        raw = m.group("text")
        cut = re.search(r"\s(?:SUBJECT|E\.O\.)\b", raw)
        if cut:
            raw = raw[: cut.start()]
        ts, te = _strip_span(text, m.start("text"), m.start("text") + len(raw))
        tags = _split_tags(text[ts:te])
        fields["tags"] = Field("tags", " ".join(tags), ts, te)
        header_end = max(header_end, te)

    stop_keys = re.compile(r"^[ \t]*(?:REFS?\b|Classified\s+By|CLASSIFIED\s+BY|E\.O\.)|"
                           r"\s(?:REF:|Classified By:)", re.M | re.I)
    subject = subject_marking = None
    m = header_search(_SUBJECT)
    if m:
        end = _block_end(text, m.end(), min(n, m.end() + 2000), stop_keys)
        ss, se = _strip_span(text, m.end(), end)
        value = _unwrap(text[ss:se])
        subject = Field("subject", value, ss, se)
        fields["subject"] = subject
        sm = re.search(r"\(([A-Za-z/ \-]{1,30})\)\s*$", value)
        if sm:
            subject_marking = parse_marking(sm.group(1))
        header_end = max(header_end, se)

    refs: tuple[str, ...] = ()
    m = header_search(_REF)
    if m:
        end = _block_end(text, m.end(), min(n, m.end() + 3000),
                         re.compile(r"^[ \t]*Classified\s+By|\sClassified By:", re.M | re.I))
        rs, re_ = _strip_span(text, m.end(), end)
        refs = _split_refs(text[rs:re_])
        fields["ref"] = Field("ref", _unwrap(text[rs:re_]), rs, re_)
        header_end = max(header_end, re_)

    classified_by = None
    m = _CLASSIFIED.search(text, max(pos, anchor - 2000) if eo else pos,
                           min(n, max(first_para, header_end) + 3000))
    if m:
        end = _block_end(text, m.end(), min(n, m.end() + 1500))
        cs, ce = _strip_span(text, m.end(), end)
        classified_by = _parse_classified_by(text, cs, ce)
        _classified_by_fields(fields, classified_by)
        if ce <= first_para:
            header_end = max(header_end, ce)

    if not eo and not meta.id and not tags and subject is None and classified_by is None:
        raise CableError("not a cable: no cable header (ID, E.O. line, TAGS or SUBJECT) found",
                         source=source)

    # ENTIRE TEXT marking in the header or subject.
    entire_text = None
    em = _ENTIRE.search(text, pos, min(n, max(header_end, first_para if first_para < n else 0)
                                         + 200))
    if em:
        mk = parse_marking(em.group(0).strip("() "))
        if mk is None:
            mk = parse_classification(em.group(1))
        if mk is not None:
            entire_text = Marking(mk.level, mk.controls, em.group(0).strip(), True)

    # Classification: the site's metadata, else the banner, else the portions.
    classification = parse_classification(meta.classification) if meta.classification else None
    if classification is None:
        b = _BANNER.search(text, pos, eo.start() if eo else min(n, pos + 3000))
        if b:
            word = re.match(r"\s*((?:[A-Z] ){4,}[A-Z]\b|[A-Z]+(?: [A-Z]+)?)", b.group(0))
            classification = parse_classification(word.group(1)) if word else None

    # Repeated header blocks: a later E.O. line with the same instruction.
    body_end = n
    signer = _find_signer(text, max(header_end, first_para if first_para < n else header_end))
    if signer:
        body_end = signer.start
        fields["signer"] = signer
    dups: list[tuple[int, int]] = []
    if eo and decl:
        key = re.sub(r"\s+", " ", decl.text)
        for later in _EO.finditer(text, header_end, body_end):
            if re.sub(r"\s+", " ", later.group("text")).startswith(key):
                dups.append(_dup_region(text, later, header_end, body_end))
    # Merge the regions.
    regions: list[tuple[int, int]] = []
    for a, b in sorted(dups):
        if regions and a <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(b, regions[-1][1]))
        else:
            regions.append((a, b))

    body_start = header_end if header_end > pos else pos
    if first_para < body_start:
        body_start = first_para
    pieces: list[tuple[int, int]] = []
    cursor = body_start
    final_dups: list[tuple[int, int]] = []
    for a, b in regions:
        if a < cursor:
            continue
        pieces.append((cursor, a))
        if any(_has_start(text, s, e) for s, e in pieces) and _repeats(text, pieces, b, body_end):
            # The whole body repeats: everything from here on is the copy.
            final_dups.append((a, body_end))
            cursor = body_end
            break
        final_dups.append((a, b))
        # A truncated first copy ("Summary ... 1.  (C...") that the full copy after the
        # repeated header contains is itself a duplicate, not a paragraph to review.
        before = _squash(" ".join(text[s:e] for s, e in pieces)).rstrip(". ")
        if len(before) >= 8 and before in _squash(text[b:min(body_end, b + 4000)]):
            final_dups.extend(_strip_span(text, s, e) for s, e in pieces if text[s:e].strip())
            pieces = []
        cursor = b
    pieces.append((cursor, body_end))
    final_dups.sort()

    # A truncated first header ("reasons 1...") may be complete in its repeat: prefer that.
    if classified_by is not None and not classified_by.reasons:
        for a, b in final_dups:
            m = _CLASSIFIED.search(text, a, b)
            if m:
                cs, ce = _strip_span(text, m.end(), _block_end(text, m.end(), b))
                better = _parse_classified_by(text, cs, ce)
                if better.reasons:
                    classified_by = better
                    _classified_by_fields(fields, better)
                    break

    level_hint = classification.level if classification else None
    paragraphs: list[Paragraph] = []
    for a, b in pieces:
        _scan_paragraphs(text, a, b, paragraphs, entire_text, level_hint)

    if classification is None:
        classification = overall(p.marking for p in paragraphs) if paragraphs else Marking(Level.U)

    segments = _segments(text, meta.end, paragraphs, final_dups, signer)
    return Cable(
        text=text, source=source, id=meta.id or _id_from_source(source), title=meta.title,
        created=meta.created, released=meta.released, origin=meta.origin,
        classification=classification, entire_text=entire_text, decl=decl, tags=tags,
        subject=subject, subject_marking=subject_marking, refs=refs,
        classified_by=classified_by, signer=signer, paragraphs=tuple(paragraphs),
        segments=segments, fields=fields,
    )


def _classified_by_fields(fields: dict[str, Field], cb: ClassifiedBy) -> None:
    fields["classified_by"] = Field("classified_by", cb.text, cb.start, cb.end)
    fields.pop("classified_by.name", None)
    if cb.name and cb.name_start is not None and cb.name_end is not None:
        fields["classified_by.name"] = Field("classified_by.name", cb.name, cb.name_start,
                                             cb.name_end)


def _id_from_source(source: str | None) -> str | None:
    return Path(source).stem if source else None


def _has_start(text: str, a: int, b: int) -> bool:
    return any(_valid_start(m) for m in _PARA_LINE.finditer(text, a, b))


def _squash(s: str) -> str:
    return re.sub(r"[\s\\]+", " ", s).strip()


def _repeats(text: str, before: list[tuple[int, int]], after: int, end: int) -> bool:
    """Whether the body after a repeated header repeats the body before it (a whole-body
    copy) rather than completing a truncated first copy ("1.  (C...")."""
    probe = _squash(text[after:min(end, after + 400)])[:80]
    if len(probe) < 20:
        return True
    return probe in _squash(" ".join(text[s:e] for s, e in before))


def _dup_region(text: str, eo: re.Match[str], lo: int, hi: int) -> tuple[int, int]:
    """The span of a repeated header block around a later E.O. line."""
    line_start = text.rfind("\n", 0, eo.start()) + 1
    start = eo.start() if text[line_start:eo.start()].strip() and \
        not _BANNER.match(text, line_start) else line_start
    # Walk back over the banner/SIPDIS/distribution lines that precede it.
    back = start
    for _ in range(8):
        prev_end = text.rfind("\n", lo, back - 1) if back > lo else -1
        if prev_end < 0:
            break
        prev_start = text.rfind("\n", lo, prev_end) + 1
        line = text[prev_start:prev_end].strip(" \t\\")
        if prev_start < lo:
            break
        if _BANNER.match(text[prev_start:prev_end]):
            start = prev_start
            break
        if line and not re.match(r"^(?:SIPDIS|NOFORN|[A-Z/ ,]+ FOR\b.*|FOR .*|[A-Z][A-Z/ ,.]*)$",
                                 line):
            break
        back = prev_start
    # Flattened copy: the banner begins the same line.
    ls = text.rfind("\n", 0, start) + 1
    if _BANNER.match(text, ls) and ls >= lo and ls < start and "E.O." in text[ls:eo.start() + 5]:
        start = ls
    # It ends where its Classified By (or its SUBJECT/REF block) ends.
    end = eo.end()
    window = min(hi, eo.end() + 3000)
    for m in _PARA_LINE.finditer(text, eo.end(), window):
        if _valid_start(m):
            window = m.start("lead")
            break
    for m in _PARA_MID.finditer(text, eo.end(), window):
        if _valid_start(m):
            window = m.start("lead")
            break
    cb = _CLASSIFIED.search(text, eo.end(), window)
    if cb:
        end = _block_end(text, cb.end(), window)
    else:
        for pat in (_REF, _SUBJECT, _TAGS):
            k = pat.search(text, eo.end(), window)
            if k:
                end = max(end, _block_end(text, k.end(), window))
    return start, _strip_span(text, start, end)[1]


def _find_signer(text: str, lo: int) -> Field | None:
    """The signer's surname on one of the last lines (``Leach``, ``WOLFF``)."""
    lines = _lines(text, lo, len(text))
    checked = 0
    for s, e in reversed(lines):
        s2, e2 = _strip_span(text, s, e)
        line = text[s2:e2]
        if not line:
            continue
        checked += 1
        if checked > 4:
            return None
        if _TRAILER.match(line):
            continue
        if len(line) <= 40 and _SIGNER.match(line) and not line.upper().startswith("END"):
            # A surname line follows a paragraph, never a sentence fragment.
            return Field("signer", line, s2, e2)
        return None
    return None


def _scan_paragraphs(text: str, a: int, b: int, out: list[Paragraph],
                     entire: Marking | None, level_hint: Level | None) -> None:
    """Find paragraph starts in ``text[a:b]`` and append the paragraphs to ``out``."""
    starts: list[tuple[int, int, str | None, str | None, int | None, int | None]] = []
    # (start, text_start, number, marking text, marking start, marking end)
    last_num = int(out[-1].number) if out and out[-1].number and out[-1].number.isdigit() else 0
    cands: list[re.Match[str]] = list(_PARA_LINE.finditer(text, a, b))
    # The mid-line pattern consumes the punctuation before it: look a little behind ``a``.
    cands += [m for m in _PARA_MID.finditer(text, max(0, a - 3), b) if m.start("lead") >= a]
    cands.sort(key=lambda m: m.start("lead"))
    seen: set[int] = set()
    for m in cands:
        st = m.start("lead")
        if st in seen:
            continue
        gd = m.groupdict()
        num = gd.get("num")
        mark_group = "mark" if gd.get("mark") is not None else (
            "mark2" if gd.get("mark2") is not None else None)
        mark_text = m.group(mark_group) if mark_group else None
        marking = parse_marking(mark_text) if mark_text is not None else None
        if mark_group == "mark2" and (marking is None or not mark_text.strip()[:1].isupper()
                                      or _AFTER_NUMBER.search(text, max(0, st - 8), st)
                                      or _enumerated(text, st)):
            continue
        if marking is None and mark_text is not None:
            mark_group = None  # "(reftel)" etc.: not a marking
        if num is not None:
            n_ = int(num)
            if marking is None and not (n_ == last_num + 1 or (last_num == 0 and n_ == 1)):
                continue
            if marking is None:
                # An unmarked number must begin a sentence, not sit in one.
                after = text[m.end("lead"):m.end("lead") + 3].lstrip()
                if not after or not (after[0].isupper() or after[0] in "\"'“(["):
                    continue
            if n_ < last_num and marking is not None and n_ != 1:
                pass
            last_num = n_
        ms = m.start(mark_group) - 1 if mark_group else None
        me = m.end(mark_group) + 1 if mark_group else None
        ts = m.end("lead")
        while ts < b and text[ts] in " \t":
            ts += 1
        seen.add(st)
        starts.append((st, ts, num, mark_text if mark_group else None, ms, me))

    # Leading text before the first start is a paragraph if it has prose in it.
    bounds: list[tuple[int, int]] = []
    if starts:
        if _has_prose(text, a, starts[0][0]):
            starts.insert(0, (_strip_span(text, a, starts[0][0])[0],) * 2 + (None,) * 4)
    elif _has_prose(text, a, b):
        s0 = _strip_span(text, a, b)[0]
        starts.append((s0, s0, None, None, None, None))
    for i, st in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else b
        bounds.append((st[0], end))

    for (st, ts, num, mark_text, ms, me), (_, end) in zip(starts, bounds, strict=True):
        # Split off unnumbered continuations inside the paragraph.
        sub = _continuations(text, ts, end)
        pieces = [(st, sub[0] if sub else end)]
        for i, cs in enumerate(sub):
            pieces.append((cs, sub[i + 1] if i + 1 < len(sub) else end))
        for k, (ps, pe) in enumerate(pieces):
            ps, pe = _strip_span(text, ps, pe)
            if pe <= ps:
                continue
            prev = out[-1] if out else None
            if k == 0 and mark_text is not None:
                marking = parse_marking(mark_text)
                para = Paragraph(len(out), num, ps, pe, min(ts, pe), marking, mark_text, ms, me,
                                 False, False, text[ps:pe])
            elif k == 0 and num is not None or (k == 0 and prev is None):
                # Numbered but unmarked (or the leading text).
                if entire is not None:
                    para = Paragraph(len(out), num, ps, pe, min(max(ts, ps), pe), entire,
                                     None, None, None, True, False, text[ps:pe])
                else:
                    unmarked = level_hint is not None and level_hint > Level.U
                    para = Paragraph(len(out), num, ps, pe, min(max(ts, ps), pe), None, None, None,
                                     None, False, unmarked, text[ps:pe])
            else:
                inherited_from = prev.marking if prev and prev.marking else entire
                para = Paragraph(len(out), None, ps, pe, ps, inherited_from, None, None, None,
                                 inherited_from is not None,
                                 inherited_from is None and level_hint is not None
                                 and level_hint > Level.U, text[ps:pe],
                                 prev.number or prev.follows if prev else None)
            out.append(para)


def _enumerated(text: str, st: int) -> bool:
    """A mid-line "(C)" that is item C of a list ("(A) MADRID 3785 (B) ... (C) SECSTATE")."""
    line_start = text.rfind("\n", 0, st) + 1
    return bool(re.search(r"\((?:A|B)\)", text[line_start:st]))


def _has_prose(text: str, a: int, b: int) -> bool:
    chunk = text[a:b]
    return bool(re.search(r"[a-z]{3,}", chunk)) or len(chunk.strip()) >= 80


def _continuations(text: str, a: int, b: int) -> list[int]:
    """Starts of unnumbered prose blocks inside ``text[a:b]`` that begin after a blank
    line, or after a long unwrapped line that ends a sentence."""
    out: list[int] = []
    lines = _lines(text, a, b)
    prev_blank = False
    prev_long_end = False
    first = True
    for s, e in lines:
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
    if _SUBSTART.match(line) or _TRAILER.match(line):
        return False
    if not (line[0].isupper() or line[0] in "\"'“"):
        return False
    letters = [c for c in line if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(line) < 70:
        return False  # an all-caps heading stays with its paragraph
    if re.match(r"^(?:PAGE \d+|END (?:SUMMARY|COMMENT|NOTE)|SUMMARY|COMMENT|BEGIN)", line, re.I) \
            and len(line) < 40:
        return False
    return len(line) >= 25 and bool(re.search(r"[a-z]", line) or len(line) >= 60)


def _segments(text: str, meta_end: int, paragraphs: list[Paragraph],
              dups: list[tuple[int, int]], signer: Field | None) -> tuple[Segment, ...]:
    n = len(text)
    spans: list[tuple[int, int, str]] = [(p.start, p.end, "paragraph") for p in paragraphs]
    spans += [(a, b, "duplicate") for a, b in dups]
    if signer:
        spans.append((signer.start, signer.end, "signer"))
    spans.sort()
    out: list[Segment] = []
    if meta_end:
        out.append(Segment("meta", 0, meta_end))
    cursor = meta_end
    first_content = spans[0][0] if spans else n
    if first_content > cursor:
        out.append(Segment("header", cursor, first_content))
        cursor = first_content
    def filler(a: int, b: int, after_body: bool) -> Segment:
        # Blank leftovers are gaps; lines after the last paragraph (the closing banner,
        # "NNNN") are the trailer.
        blank = not text[a:b].replace("\\", " ").strip()
        return Segment("gap" if blank else ("trailer" if after_body else "other"), a, b)

    for a, b, kind in spans:
        a = max(a, cursor)
        if b <= a:
            continue
        if a > cursor:
            out.append(filler(cursor, a, False))
        out.append(Segment(kind, a, b))
        cursor = b
    if cursor < n:
        out.append(filler(cursor, n, True))
    return tuple(out)
