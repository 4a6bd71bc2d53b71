"""Classification levels, portion markings and overall classification.

Parses every marking spelling found in real cables (`(S/NF)`, `(S//NF)`, `(SBU)`,
`(U//FOUO)`, `(C/REL ISAF)`, `(S//FGI//NF)`, `(C - ENTIRE TEXT)`, `(c)`) into a
`Marking` of an ordered `Level` and normalized controls; formats them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache


class Level(IntEnum):
    """Classification levels, ordered low to high."""

    U = 0
    C = 1
    S = 2
    TS = 3

    @property
    def word(self) -> str:
        return LEVEL_WORDS[self]


LEVEL_WORDS = {
    Level.U: "UNCLASSIFIED",
    Level.C: "CONFIDENTIAL",
    Level.S: "SECRET",
    Level.TS: "TOP SECRET",
}

_LEVEL_TOKENS = {
    "U": Level.U,
    "UNCLASSIFIED": Level.U,
    "UNCLAS": Level.U,
    "C": Level.C,
    "CONFIDENTIAL": Level.C,
    "S": Level.S,
    "SECRET": Level.S,
    "TS": Level.TS,
    "TOP SECRET": Level.TS,
}

# Markings that imply a level of their own (unclassified with a control).
_IMPLIED = {"SBU": (Level.U, "SBU"), "FOUO": (Level.U, "FOUO"), "LOU": (Level.U, "LOU")}

# Control spellings -> canonical form. REL is handled separately (it has a list).
_CONTROLS = {
    "NF": "NF",
    "NOFORN": "NF",
    "NO FORN": "NF",
    "SBU": "SBU",
    "FOUO": "FOUO",
    "FOR OFFICIAL USE ONLY": "FOUO",
    "ORCON": "ORCON",
    "OC": "ORCON",
    "FGI": "FGI",
    "PROPIN": "PROPIN",
    "LOU": "LOU",
    "LIMDIS": "LIMDIS",
    "EXDIS": "EXDIS",
    "NODIS": "NODIS",
    "SENSITIVE": "SENSITIVE",
}

# Order controls are printed in: dissemination first, REL last (as in the CAPCO register).
_CONTROL_ORDER = ["SBU", "FOUO", "LOU", "FGI", "ORCON", "PROPIN", "NF", "LIMDIS", "EXDIS",
                  "NODIS", "SENSITIVE"]

_LEVEL_RES = [(t, re.compile(re.escape(t) + r"(?://|/|\s|$)"))
              for t in sorted(_LEVEL_TOKENS, key=len, reverse=True)]
_CONTROL_RES = [(t, re.compile(re.escape(t) + r"(?://|/|\s|$)"))
                for t in sorted(_CONTROLS, key=len, reverse=True)]
_ENTIRE_TEXT = re.compile(r"\s*-?\s*ENTIRE\s+TEXT\s*$", re.I)
_SEP = re.compile(r"\s*(?://|/|\s)\s*")


@dataclass(frozen=True, slots=True)
class Marking:
    """A parsed classification marking.

    Attributes:
        level: the classification level.
        controls: canonical controls, e.g. ``("NF",)`` or ``("REL NATO",)``.
        text: the marking exactly as written, without parentheses (``"S/NF"``).
        entire_text: the marking was written ``(C - ENTIRE TEXT)``.
    """

    level: Level
    controls: tuple[str, ...] = ()
    text: str = ""
    entire_text: bool = False

    def format(self, sep: str = "//") -> str:
        """Short form, e.g. ``S//NF``, ``SBU``, ``U//FOUO``, ``C//REL NATO``."""
        controls = list(self.controls)
        if self.level == Level.U and controls and controls[0] in ("SBU",):
            head, controls = controls[0], controls[1:]
        else:
            head = self.level.name
        return sep.join([head, *controls])

    def banner(self) -> str:
        """Long form used at the top of a cable, e.g. ``SECRET//NOFORN``."""
        words = {"NF": "NOFORN", "FOUO": "FOR OFFICIAL USE ONLY",
                 "SBU": "SENSITIVE BUT UNCLASSIFIED"}
        return "//".join([self.level.word, *(words.get(c, c) for c in self.controls)])

    def __str__(self) -> str:
        return self.format()


def _parse_rel(rest: str) -> str:
    countries = [c for c in re.split(r"[,/]\s*|\s+AND\s+", rest.strip()) if c and c != "TO"]
    return "REL " + ", ".join(c.strip() for c in countries) if countries else "REL"


@lru_cache(maxsize=4096)
def parse_marking(text: str) -> Marking | None:
    """Parse a portion marking with or without its parentheses; ``None`` if it is not one.

    >>> parse_marking("(S/NF)").format()
    'S//NF'
    >>> parse_marking("(c)").level.name
    'C'
    >>> parse_marking("reftel") is None
    True
    """
    raw = text.strip()
    if raw.startswith("(") and raw.endswith(")"):
        raw = raw[1:-1]
    written = raw
    body = raw.strip().upper()
    if not body or len(body) > 60:
        return None
    entire = False
    m = _ENTIRE_TEXT.search(body)
    if m:
        entire = True
        body = body[: m.start()].strip()
    level: Level | None = None
    controls: list[str] = []
    # Level first: longest spelling wins ("TOP SECRET" before "S").
    for token, token_re in _LEVEL_RES:
        if body == token or token_re.match(body):
            level = _LEVEL_TOKENS[token]
            body = body[len(token):]
            break
    else:
        for token, (lvl, ctl) in _IMPLIED.items():
            if body == token or re.match(token + r"(?://|/|\s|$)", body):
                level, body = lvl, body[len(token):]
                controls.append(ctl)
                break
    if level is None:
        return None
    body = body.strip(" /")
    while body:
        rel = re.match(r"REL(?:\s+TO)?\s+(.+)$", body)
        if rel:
            controls.append(_parse_rel(rel.group(1)))
            break
        for spelling, spelling_re in _CONTROL_RES:
            if spelling_re.match(body):
                controls.append(_CONTROLS[spelling])
                body = body[len(spelling):].strip(" /")
                break
        else:
            return None  # unknown control word: not a marking (e.g. "(S/CT)")
    return Marking(level, _order(controls), written, entire)


def _order(controls: Iterable[str]) -> tuple[str, ...]:
    seen = list(dict.fromkeys(controls))
    rels = sorted(c for c in seen if c.startswith("REL"))
    others = sorted((c for c in seen if not c.startswith("REL")),
                    key=lambda c: _CONTROL_ORDER.index(c) if c in _CONTROL_ORDER else 99)
    return tuple(others + rels)


def parse_classification(text: str) -> Marking | None:
    """Parse a document classification line such as ``SECRET//NOFORN`` or
    ``UNCLASSIFIED//FOR OFFICIAL USE ONLY`` or the spaced banner ``S E C R E T``."""
    body = text.strip().upper()
    spaced = re.sub(r"(?<=\b[A-Z]) (?=[A-Z]\b)", "", body)  # "S E C R E T" -> "SECRET"
    for candidate in (body, spaced):
        m = parse_marking(candidate)
        if m is not None:
            return Marking(m.level, m.controls, text.strip(), m.entire_text)
    return None


def overall(markings: Iterable[Marking | None]) -> Marking:
    """Overall classification of a set of portions: highest level, union of controls.

    REL lists are intersected (a document is releasable only where every portion is);
    if a classified portion has no REL list, or the lists share nothing, REL is dropped.
    """
    items = [m for m in markings if m is not None]
    if not items:
        return Marking(Level.U)
    level = max(m.level for m in items)
    controls: list[str] = []
    rels: list[set[str]] = []
    for m in items:
        for c in m.controls:
            if c.startswith("REL"):
                rels.append({x.strip() for x in c[4:].split(",") if x.strip()})
            elif not (level > Level.U and c in ("SBU", "FOUO", "LOU")):
                controls.append(c)
    if rels:
        marked = [m for m in items if m.level > Level.U]
        common = set.intersection(*rels)
        if len(rels) == len(marked) and common and "NF" not in controls:
            controls.append("REL " + ", ".join(sorted(common)))
    return Marking(level, _order(controls))
