"""The header of a cable: site metadata, E.O. line, TAGS, SUBJECT, REF, Classified By,
the ENTIRE TEXT marking, the banner, and the signer at the end.

One reader per field: each takes the text and where its keyword matched and returns the
value with its span (a `Field`), so each can be tested, and rewritten, on its own.
`read_header` finds them in order and says where the header ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from reviewtool.core.cable.markings import Marking, parse_classification, parse_marking
from reviewtool.core.cable.model import ClassifiedBy, Decl, DeclKind, Field
from reviewtool.core.cable.paragraphs import PARA_LINE, PARA_MID, TRAILER, first_start, valid_start
from reviewtool.core.cable.text import BLANK, lines, strip_span, unwrap

# --------------------------------------------------------------------------- patterns

_CLASS_WORDS = ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "CONFIDENTIAL//NOFORN", "SECRET//NOFORN",
                "TOP SECRET//NOFORN", "TOP SECRET", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET")
_CLASS_ALT = "|".join(re.escape(w) for w in _CLASS_WORDS) + r"|[A-Z]+(?://[A-Z ]+)+"
_DT = r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?"

# Site and export headers (see `read_meta`).
_VIEWING = re.compile(r"^Viewing cable (\S+?), ?(.*)$", re.M)
_REFHDR = re.compile(r"^Reference ID\s+Created\s+Released\s+Classification\s+Origin[ \t]*\n"
                     rf"(\S+)\s+({_DT})\s+({_DT})\s+({_CLASS_ALT})\s+(.*)$", re.M)
_EXPORT = re.compile(r"^Identifier\s*\nCreated\s*\nClassification\s*\nOrigin\s*\n"
                     rf"(\S+)[ \t]*\n({_DT})[ \t]*\n([^\n]+?)[ \t]*\n([^\n]+?)[ \t]*$", re.M)
_EXPORT_TITLE = re.compile(r"^Cable title:\s*\n*\s*([^\n]+)", re.M)
_EXPORT_NOTICE = re.compile(r"^.*partial extract.*$|^pdf how-to read a cable\s*$", re.M)
_PARTIAL_NOTICE = re.compile(r"^.*partial extract.*$", re.M)
_DBROW = re.compile(rf"^({_DT})\t(\S+)\t([^\t\n]*)\t([^\t\n]*)\t", re.M)

# The telegram's own header.
BANNER = re.compile(r"^[ \t]*(?:(?:[A-Z] ){4,}[A-Z]\b|UNCLAS(?:SIFIED)?\b|CONFIDENTIAL\b|"
                    r"SECRET\b|TOP SECRET\b|LIMITED OFFICIAL USE\b)[^\n]*$", re.M)
EO = re.compile(r"E\.?[ \t]?O\.?[ \t]*(1\d{4})\b[ \t]*:?[ \t]*(?P<text>[^\n]*)")
TAGS = re.compile(r"\bTAGS\b\s*:?[ \t]*(?P<text>[^\n]*)")
SUBJECT = re.compile(r"\bSUBJ(?:ECT)?\s*:[ \t]*", re.I)
REF = re.compile(r"^[ \t]*REFS?\b\s*:?[ \t]*", re.M | re.I)
CLASSIFIED = re.compile(r"\bClassified\s+By\b\s*:?[ \t]*", re.I)
_ENTIRE = re.compile(r"\(?\b(UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET|SBU|U|C|S|TS)\s*"
                     r"(?:/+[A-Z ]+?)?\s*-+\s*ENTIRE\s+TEXT\b\)?", re.I)
_SIGNER = re.compile(r"^[A-Z][A-Za-z'’\-]+(?:[ ,]+[A-Z][A-Za-z'’\-\.]*){0,2}$")

# Where one field's text stops: the keyword of the field that may follow it.
_EO_STOP = re.compile(r"\s(?:TAGS|SUBJECT)\b")
_TAGS_STOP = re.compile(r"\s(?:SUBJECT|E\.O\.)\b")
_SUBJECT_STOP = re.compile(r"^[ \t]*(?:REFS?\b|Classified\s+By|CLASSIFIED\s+BY|E\.O\.)|"
                           r"\s(?:REF:|Classified By:)", re.M | re.I)
_REF_STOP = re.compile(r"^[ \t]*Classified\s+By|\sClassified By:", re.M | re.I)

_SUBJECT_MARKING = re.compile(r"\(([A-Za-z/ \-]{1,30})\)\s*$")
_BANNER_WORD = re.compile(r"\s*((?:[A-Z] ){4,}[A-Z]\b|[A-Z]+(?: [A-Z]+)?)")
_TAG = re.compile(r"[A-Za-z0-9][\w\-/&.]*(?:\s*\([^)]*\))?")
_REF_LETTER = re.compile(r"(?:^|\s)\(?[A-H]\)?[.)]\s+")

# How far past its keyword a field may run.
_SUBJECT_REACH = 2000
_REF_REACH = 3000
_CLASSIFIED_REACH = 1500
# How far before the E.O. line the other fields may be (TAGS often precede it).
_BEFORE_EO = 2000
# How far past the header (or the first paragraph) a Classified By line may come.
_CLASSIFIED_AFTER = 3000


# --------------------------------------------------------------------------- blocks


def block_end(text: str, pos: int, limit: int, stop: re.Pattern[str] | None = None) -> int:
    """End of a header block that starts at ``pos``: the next blank line, the next
    paragraph start, or ``stop`` (another header keyword), whichever comes first."""
    ends = [limit]
    m = BLANK.search(text, pos, limit)
    if m:
        ends.append(m.start())
    for pat in (PARA_LINE, PARA_MID):
        for m in pat.finditer(text, max(0, pos - 3), limit):
            if m.start("lead") > pos and valid_start(m):
                ends.append(m.start("lead"))
                break
    if stop is not None:
        m = stop.search(text, pos + 1, limit)
        if m:
            ends.append(m.start())
    return min(ends)


# --------------------------------------------------------------------------- site metadata


@dataclass
class Meta:
    """What a site page or an export says about the cable before the telegram itself."""

    id: str | None = None
    title: str | None = None
    created: datetime | None = None
    released: datetime | None = None
    classification: str | None = None
    origin: str | None = None
    end: int = 0          # where the site/export header ends
    body_start: int = 0   # where the telegram (or its routing header) starts


def parse_datetime(value: str) -> datetime | None:
    """``2006-11-27 14:05:00`` (or to the minute, or a date alone), else ``None``."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            pass
    return None


def _viewing_page(meta: Meta, head: str) -> None:
    """WikiLeaks page text: ``Viewing cable 06BERN2115, TITLE``."""
    m = _VIEWING.search(head)
    if m:
        meta.id, meta.title = m.group(1), m.group(2).rstrip(" \\").strip() or None
        meta.end = m.end()


def _reference_table(meta: Meta, head: str) -> None:
    """The ``Reference ID / Created / Released / Classification / Origin`` table."""
    m = _REFHDR.search(head)
    if m:
        meta.id = m.group(1)
        meta.created, meta.released = parse_datetime(m.group(2)), parse_datetime(m.group(3))
        meta.classification, meta.origin = m.group(4), m.group(5).strip() or None
        meta.end = max(meta.end, m.end())


def _export_header(meta: Meta, head: str) -> None:
    """The ``Identifier / Created / Classification / Origin`` export, one value a line."""
    m = _EXPORT.search(head)
    if not m:
        return
    meta.id, meta.created = m.group(1), parse_datetime(m.group(2))
    meta.classification, meta.origin = m.group(3).strip(), m.group(4).strip()
    meta.end = max(meta.end, m.end())
    t = _EXPORT_TITLE.search(head, m.end())
    if t:
        meta.title = t.group(1).strip()
    notice = _EXPORT_NOTICE.search(head)
    if notice:
        meta.end = max(meta.end, notice.end())


def _database_row(meta: Meta, text: str) -> bool:
    """A database row: created, id, origin, classification, id, routing header, body,
    tab-separated. Fills what the site header left open; the body follows the 6th tab."""
    m = _DBROW.search(text, meta.end)
    if not m:
        return False
    meta.id = meta.id or m.group(2)
    meta.created = meta.created or parse_datetime(m.group(1))
    meta.origin = meta.origin or m.group(3).strip() or None
    meta.classification = meta.classification or m.group(4).strip() or None
    tabs = [i for i in range(m.start(), min(len(text), m.start() + 20000))
            if text[i] == "\t"][:6]
    meta.body_start = tabs[-1] + 1
    return True


def read_meta(text: str) -> Meta:
    """The site or export header, if there is one, and where the telegram starts."""
    meta = Meta()
    head = text[:20000]
    _viewing_page(meta, head)
    _reference_table(meta, head)
    _export_header(meta, head)
    meta.body_start = meta.end
    if not _database_row(meta, text) and meta.end:
        notice = _PARTIAL_NOTICE.search(text, meta.end, meta.end + 400)
        if notice:
            meta.body_start = notice.end()
    return meta


# --------------------------------------------------------------------------- E.O. line

_DECL_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2,4})|(\d{4})-(\d{2})-(\d{2})")
_EXEMPTION = re.compile(r"\b(?:25X\d|50X\d(?:-[A-Z]+)?|X[1-8]|1\.6\s?X\d)\b")
_NA = re.compile(r"\bN/?A\b")
_GDS = re.compile(r"\bGDS\b")
_ADS = re.compile(r"\bADS\b")
_DECL_WORD = re.compile(r"DECL\s*:?\s*\S")
_EVENT = re.compile(r"\b(?:OADR|UPON|AFTER|WHEN)\b")


def read_decl(text: str, eo: re.Match[str]) -> tuple[Decl, Field]:
    """The E.O. line matched by `EO`: its instruction up to a TAGS or SUBJECT that
    shares the line."""
    raw = eo.group("text")
    cut = _EO_STOP.search(raw)
    if cut:
        raw = raw[: cut.start()]
    ds, de = strip_span(text, eo.start("text"), eo.start("text") + len(raw))
    decl = parse_decl(eo.group(1), text[ds:de], eo.start(), de)
    return decl, Field("decl", decl.text, ds, de)


def _decl_date(body: str) -> date | None:
    """The first date of a DECL instruction: ``11/27/2016``, ``11/27/16``, ``2016-11-27``."""
    m = _DECL_DATE.search(body)
    if not m:
        return None
    try:
        if m.group(1):
            year = int(m.group(3))
            if year < 100:
                year += 2000 if year < 70 else 1900
            return date(year, int(m.group(1)), int(m.group(2)))
        return date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
    except ValueError:
        return None


def _decl_kind(upper: str, exemptions: tuple[str, ...], d: date | None) -> DeclKind:
    """What a DECL instruction means; see `Decl.kind`."""
    if "DECLASSIFIED" in upper:
        return DeclKind.DECLASSIFIED
    if exemptions:
        return DeclKind.EXEMPT
    if _NA.search(upper):
        return DeclKind.NA
    if d is not None:
        return DeclKind.DATE
    if _GDS.search(upper) or _ADS.search(upper):
        return DeclKind.GDS
    if _DECL_WORD.search(upper) or _EVENT.search(upper):
        return DeclKind.EVENT
    return DeclKind.UNKNOWN


def parse_decl(order: str, raw: str, start: int, end: int) -> Decl:
    """The instruction of an E.O. line (``DECL: 11/27/2016``), under order ``order``."""
    body = raw.strip(" \\\t")
    upper = body.upper()
    exemptions = tuple(dict.fromkeys(m.group(0).replace(" ", "")
                                     for m in _EXEMPTION.finditer(upper)))
    d = _decl_date(body)
    return Decl(order, body, _decl_kind(upper, exemptions, d), d, exemptions, start, end)


# --------------------------------------------------------------------------- TAGS, SUBJECT, REF


def split_tags(value: str) -> tuple[str, ...]:
    """``PREL, PGOV, KJUS (SMITH, JOHN)`` -> the tags, a parenthesis kept with its tag."""
    return tuple(t.strip() for t in _TAG.findall(value))


def read_tags(text: str, m: re.Match[str]) -> tuple[tuple[str, ...], Field]:
    """The TAGS line matched by `TAGS`, up to a SUBJECT or E.O. that shares the line."""
    raw = m.group("text")
    cut = _TAGS_STOP.search(raw)
    if cut:
        raw = raw[: cut.start()]
    ts, te = strip_span(text, m.start("text"), m.start("text") + len(raw))
    tags = split_tags(text[ts:te])
    return tags, Field("tags", " ".join(tags), ts, te)


def read_subject(text: str, m: re.Match[str]) -> tuple[Field, Marking | None]:
    """The SUBJECT after `SUBJECT` matched (unwrapped), and the marking it ends with."""
    end = block_end(text, m.end(), min(len(text), m.end() + _SUBJECT_REACH), _SUBJECT_STOP)
    ss, se = strip_span(text, m.end(), end)
    value = unwrap(text[ss:se])
    sm = _SUBJECT_MARKING.search(value)
    return Field("subject", value, ss, se), parse_marking(sm.group(1)) if sm else None


def split_refs(value: str) -> tuple[str, ...]:
    """``A. STATE 123 B. MADRID 456`` (or ``;``-separated) -> one reference each."""
    v = unwrap(value)
    if not v:
        return ()
    parts = _REF_LETTER.split(" " + v)
    parts = [p.strip(" ;,") for p in parts if p.strip(" ;,") and p.strip(" ;,:").upper() != "REF"]
    if len(parts) <= 1:
        parts = [p.strip() for p in v.split(";") if p.strip()]
    return tuple(parts)


def read_refs(text: str, m: re.Match[str]) -> tuple[tuple[str, ...], Field]:
    """The REF block after `REF` matched, up to a Classified By line."""
    end = block_end(text, m.end(), min(len(text), m.end() + _REF_REACH), _REF_STOP)
    rs, re_ = strip_span(text, m.end(), end)
    return split_refs(text[rs:re_]), Field("ref", unwrap(text[rs:re_]), rs, re_)


# --------------------------------------------------------------------------- Classified By

_REASON_LETTERS = re.compile(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")
_REASON_KEY = re.compile(r"(?:\bfor\s+)?\br\s*e\s*a\s*s\s*o\s*n\s*s?\b\s*:?", re.I)
_SECTION = re.compile(r"\b1\s*\.\s*([45])\b")
_REASONS_STOP = re.compile(r"\.(?:\s|$)(?!\s*\(?[a-hA-H]\))")
_TOKEN = re.compile(r"[^\s,;]+")
_REPEATED_KEY = re.compile(r"\s*Classified\s+By\s*:?\s*", re.I)
_LINE_BREAK = re.compile(r"[ \t]*\\?[ \t]*\n[ \t]*")

TITLE_WORDS = {
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


def is_title_word(word: str) -> bool:
    """``Ambassador``, ``POLOFF``, ``A/DCM``, ``POL-ECON``: part of a title, not a name."""
    w = word.strip(".,:;").upper()
    return w in TITLE_WORDS or ("-" in w and all(p in TITLE_WORDS for p in w.split("-")))


def read_classified_by(text: str, m: re.Match[str], limit: int | None = None) -> ClassifiedBy:
    """The Classified By line after `CLASSIFIED` matched, ending before ``limit`` (by
    default, a line's reach after the keyword)."""
    if limit is None:
        limit = min(len(text), m.end() + _CLASSIFIED_REACH)
    end = block_end(text, m.end(), limit)
    cs, ce = strip_span(text, m.end(), end)
    return parse_classified_by(text, cs, ce)


def _reasons(raw: str, joined: str) -> tuple[list[str], str]:
    """The reasons (``1.4(b)``, normalized) and the reasons as written (``1.4 (b) and
    (d)``). ``joined`` is ``raw`` with its lines joined, mending words broken across them."""
    reasons: list[str] = []
    sec = _SECTION.search(joined)
    if not sec:
        return reasons, ""
    tail = joined[sec.start():]
    stop = _REASONS_STOP.search(tail[4:])
    if stop:
        tail = tail[: stop.start() + 4]
    sec_raw = _SECTION.search(raw)
    reasons_text = unwrap(raw[sec_raw.start():]).rstrip(" .") if sec_raw else tail
    for letter in _REASON_LETTERS.findall(tail[sec.end() - sec.start():]):
        r = f"1.4({letter.lower()})"
        if r not in reasons:
            reasons.append(r)
    return reasons, reasons_text


def _who_end(raw: str) -> int:
    """Where the person ends: before "for reasons", "reasons" or "1.4"."""
    who_end = len(raw)
    k = _REASON_KEY.search(raw)
    if k:
        who_end = k.start()
    s = _SECTION.search(raw)
    if s and s.start() < who_end:
        who_end = s.start()
    return who_end


def parse_classified_by(text: str, start: int, end: int) -> ClassifiedBy:
    """The Classified By value at ``text[start:end]``: who (name and title) and why."""
    raw = text[start:end]
    # Cables break words across lines here ("reaso \nns", "an\nd"): mend by joining lines.
    joined = _LINE_BREAK.sub("", raw)
    reasons, reasons_text = _reasons(raw, joined)
    name, title, name_span = split_name(raw[:_who_end(raw)], start)
    return ClassifiedBy(unwrap(raw), name, title, tuple(reasons), reasons_text, start, end,
                        *(name_span or (None, None)))


def _looks_name(s: str) -> bool:
    words = s.split()
    return 1 < len(words) <= 4 and all(w[:1].isupper() for w in words)


_Name = tuple[str | None, str | None, tuple[int, int] | None]


def _name_before_comma(who: str, body: str, base: int) -> _Name | None:
    """``JOSIAH H. BEEMAN, AMBASSADOR``: the name before the comma, the title after."""
    first, _, rest = body.partition(",")
    rest_tokens = rest.replace(".", " ").split()
    if not rest_tokens or rest_tokens[0].upper() not in TITLE_WORDS:
        return None
    name, title, _ = split_name(first, base)
    if not name:
        return None
    i = who.find(name)
    return name, rest.strip(" .") or title, (base + i, base + i + len(name))


def _name_tokens(body: str) -> list[tuple[int, int, str]]:
    """The capitalized words at the end of ``body`` (at most 4) that are not a title."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(body)]
    name_tokens: list[tuple[int, int, str]] = []
    for tok in reversed(tokens):
        word = tok[2].strip(".")
        if (is_title_word(word) or not word[:1].isalpha() or not word[:1].isupper()
                or len(name_tokens) >= 4 or "/" in word):
            break
        name_tokens.insert(0, tok)
    return name_tokens


def split_name(who: str, base: int) -> _Name:
    """Split "EST Counselor Robert W. Dry" into name and title, keeping the name's span
    (``base`` is where ``who`` starts in the text)."""
    body = who.rstrip(" \t\n\\.,;:")
    repeat = _REPEATED_KEY.match(body)  # "Classified By: Classified By"
    if repeat:
        body = " " * repeat.end() + body[repeat.end():]
    if "," in body:
        found = _name_before_comma(who, body, base)
        if found is not None:
            return found
        first = body.partition(",")[0]
        body = first if _looks_name(first) else body
    name_tokens = _name_tokens(body)
    # A lone initial or a single title-ish token is no name.
    if not name_tokens or (len(name_tokens) == 1 and len(name_tokens[0][2].strip(".")) < 3):
        return None, unwrap(body) or None, None
    ns, ne = name_tokens[0][0], name_tokens[-1][1]
    return unwrap(body[ns:ne]), unwrap(body[:ns]) or None, (base + ns, base + ne)


def classified_by_fields(fields: dict[str, Field], cb: ClassifiedBy) -> None:
    """Set the ``classified_by`` and ``classified_by.name`` fields from ``cb``."""
    fields["classified_by"] = Field("classified_by", cb.text, cb.start, cb.end)
    fields.pop("classified_by.name", None)
    if cb.name and cb.name_start is not None and cb.name_end is not None:
        fields["classified_by.name"] = Field("classified_by.name", cb.name, cb.name_start,
                                             cb.name_end)


# --------------------------------------------------------------------------- markings


def find_entire_text(text: str, lo: int, hi: int) -> Marking | None:
    """The ``(C - ENTIRE TEXT)`` marking in ``text[lo:hi]``, if any."""
    em = _ENTIRE.search(text, lo, hi)
    if not em:
        return None
    mk = parse_marking(em.group(0).strip("() "))
    if mk is None:
        mk = parse_classification(em.group(1))
    if mk is None:
        return None
    return Marking(mk.level, mk.controls, em.group(0).strip(), True)


def banner_classification(text: str, lo: int, hi: int) -> Marking | None:
    """The classification of the first banner line in ``text[lo:hi]`` (``SECRET``,
    ``S E C R E T``), if any."""
    b = BANNER.search(text, lo, hi)
    if not b:
        return None
    word = _BANNER_WORD.match(b.group(0))
    return parse_classification(word.group(1)) if word else None


# --------------------------------------------------------------------------- signer


def find_signer(text: str, lo: int) -> Field | None:
    """The signer's surname on one of the last lines (``Leach``, ``WOLFF``)."""
    checked = 0
    for s, e in reversed(lines(text, lo, len(text))):
        s2, e2 = strip_span(text, s, e)
        line = text[s2:e2]
        if not line:
            continue
        checked += 1
        if checked > 4:
            return None
        if TRAILER.match(line):
            continue
        if len(line) <= 40 and _SIGNER.match(line) and not line.upper().startswith("END"):
            # A surname line follows a paragraph, never a sentence fragment.
            return Field("signer", line, s2, e2)
        return None
    return None


# --------------------------------------------------------------------------- the header


@dataclass
class Header:
    """The telegram's header fields, and where the header ends."""

    eo: re.Match[str] | None  # the first E.O. line
    decl: Decl | None
    first_para: int           # the first paragraph start after it (the text's length if none)
    end: int                  # the end of the last header field read
    lo: int                   # where the fields are looked for: from before the E.O. line
    tags: tuple[str, ...] = ()
    subject: Field | None = None
    subject_marking: Marking | None = None
    refs: tuple[str, ...] = ()
    classified_by: ClassifiedBy | None = None
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        """Whether anything of a cable header was found."""
        return bool(self.eo or self.tags or self.subject is not None
                    or self.classified_by is not None)


def read_header(text: str, pos: int) -> Header:
    """The header fields of the telegram that starts at ``pos``, each looked for between
    a little before the first E.O. line and the first paragraph."""
    n = len(text)
    eo = EO.search(text, pos)
    after_eo = eo.end() if eo else pos
    first_para = first_start(PARA_LINE, text, after_eo, n)
    head = Header(eo, None, n if first_para is None else first_para, after_eo,
                  max(pos, eo.start() - _BEFORE_EO) if eo else pos)
    if eo:
        head.decl, head.fields["decl"] = read_decl(text, eo)
    m = TAGS.search(text, head.lo, head.first_para)
    if m:
        head.tags, head.fields["tags"] = read_tags(text, m)
        head.end = max(head.end, head.fields["tags"].end)
    m = SUBJECT.search(text, head.lo, head.first_para)
    if m:
        head.subject, head.subject_marking = read_subject(text, m)
        head.fields["subject"] = head.subject
        head.end = max(head.end, head.subject.end)
    m = REF.search(text, head.lo, head.first_para)
    if m:
        head.refs, head.fields["ref"] = read_refs(text, m)
        head.end = max(head.end, head.fields["ref"].end)
    m = CLASSIFIED.search(text, head.lo, min(n, max(head.first_para, head.end) + _CLASSIFIED_AFTER))
    if m:
        head.classified_by = read_classified_by(text, m)
        classified_by_fields(head.fields, head.classified_by)
        if head.classified_by.end <= head.first_para:
            head.end = max(head.end, head.classified_by.end)
    return head
