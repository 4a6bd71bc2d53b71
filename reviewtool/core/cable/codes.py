"""The exemption-code vocabulary: FOIA (b)(1)-(b)(9), E.O. 13526 1.4(a)-(h), 25X, 50X.

`normalize_code` turns what reviewers type ("b6", "B7C", "1.4 (d)", "25x1") into the
canonical form ("(b)(6)", "(b)(7)(C)", "1.4(d)", "25X1") or raises `ValueError`;
`short_code` gives the form printed on a release mark ("B6", "1.4(D)");
`code_sort_key` orders codes as the vocabulary does. `ALL_CODES` maps each canonical
code to a one-line description (the TUI's code picker lists it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_FOIA = {
    "(b)(1)": "classified under an executive order (E.O. 13526)",
    "(b)(2)": "internal personnel rules and practices",
    "(b)(3)": "withheld by statute (e.g. export control, visa records)",
    "(b)(4)": "trade secrets, confidential commercial information",
    "(b)(5)": "deliberative process, attorney-client, attorney work product",
    "(b)(6)": "personal privacy (names and details of individuals)",
    "(b)(7)": "law enforcement records",
    "(b)(7)(A)": "law enforcement: could interfere with enforcement proceedings",
    "(b)(7)(B)": "law enforcement: would deprive a person of a fair trial",
    "(b)(7)(C)": "law enforcement: unwarranted invasion of personal privacy",
    "(b)(7)(D)": "law enforcement: would disclose a confidential source",
    "(b)(7)(E)": "law enforcement: techniques, procedures or guidelines",
    "(b)(7)(F)": "law enforcement: could endanger life or physical safety",
    "(b)(8)": "reports about financial institutions",
    "(b)(9)": "geological information about wells",
}
_EO_14 = {
    "1.4(a)": "military plans, weapons systems, or operations",
    "1.4(b)": "foreign government information",
    "1.4(c)": "intelligence activities, sources or methods, or cryptology",
    "1.4(d)": "foreign relations or foreign activities of the US, incl. confidential sources",
    "1.4(e)": "scientific, technological or economic matters relating to national security",
    "1.4(f)": "US programs for safeguarding nuclear materials or facilities",
    "1.4(g)": "vulnerabilities or capabilities of systems, installations, plans, protection",
    "1.4(h)": "weapons of mass destruction",
}
_25X = {
    "25X1": "25-year exemption: would reveal a human intelligence source or method",
    "25X2": "25-year exemption: weapons of mass destruction",
    "25X3": "25-year exemption: cryptologic systems or activities",
    "25X4": "25-year exemption: weapons technology",
    "25X5": "25-year exemption: war plans still in effect",
    "25X6": "25-year exemption: serious harm to relations with a foreign government",
    "25X7": "25-year exemption: protectees (protection services)",
    "25X8": "25-year exemption: emergency plans, vulnerabilities",
    "25X9": "25-year exemption: statute, treaty or international agreement",
}
_50X = {
    "50X1-HUM": "50-year exemption: would reveal a confidential human source",
    "50X2-WMD": "50-year exemption: key design concepts of weapons of mass destruction",
}

#: Every built-in code, canonical form -> description, in vocabulary order.
ALL_CODES: dict[str, str] = {**_FOIA, **_EO_14, **_25X, **_50X}

_ORDER = {code: i for i, code in enumerate(ALL_CODES)}

_FOIA_RE = re.compile(r"^\(?b\)?\s*\(?([1-9])\)?\s*(?:\(?([a-f])\)?)?$", re.I)
_EO_RE = re.compile(r"^(?:e\.?o\.?\s*(?:13526)?\s*)?(?:sec(?:tion)?\.?\s*)?1\.4\s*\(?([a-h])\)?$",
                    re.I)
_25X_RE = re.compile(r"^25\s*x\s*([1-9])$", re.I)
_50X_RE = re.compile(r"^50\s*x\s*([12])(?:\s*[-_ ]?\s*(hum|wmd))?$", re.I)
_EXTRA_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9().\-_/ ]{0,39}$")


@lru_cache(maxsize=1024)
def _builtin(raw: str) -> str | None:
    s = raw.strip()
    m = _FOIA_RE.match(s)
    if m:
        num, sub = m.group(1), m.group(2)
        if sub:
            return f"(b)(7)({sub.upper()})" if num == "7" else None
        return f"(b)({num})"
    m = _EO_RE.match(s)
    if m:
        return f"1.4({m.group(1).lower()})"
    m = _25X_RE.match(s)
    if m:
        return f"25X{m.group(1)}"
    m = _50X_RE.match(s)
    if m:
        code = "50X1-HUM" if m.group(1) == "1" else "50X2-WMD"
        suffix = (m.group(2) or "").upper()
        if suffix and not code.endswith(suffix):
            return None
        return code
    return None


def normalize_code(code: str, extra: Iterable[str] = ()) -> str:
    """The canonical form of an exemption code, e.g. ``"b6"`` -> ``"(b)(6)"``.

    ``extra`` names codes a rule set declares of its own; they match case-insensitively
    and are returned as declared. Raises `ValueError` for anything else.
    """
    if not isinstance(code, str) or not code.strip():
        raise ValueError(f"not an exemption code: {code!r}")
    found = _builtin(code)
    if found:
        return found
    key = code.strip().casefold()
    for e in extra:
        if e.strip().casefold() == key:
            return e.strip()
    raise ValueError(f"unknown exemption code {code.strip()!r} (known: B1-B9, B7A-B7F, "
                     "1.4(a)-1.4(h), 25X1-25X9, 50X1-HUM, 50X2-WMD, or a code the rule set "
                     "declares under `extra_codes`)")


def is_code(code: str, extra: Iterable[str] = ()) -> bool:
    try:
        normalize_code(code, extra)
    except ValueError:
        return False
    return True


def valid_extra_code(code: str) -> bool:
    """Whether a rule set's own code is a sensible token (printable, short, one line)."""
    return bool(_EXTRA_RE.match(code.strip())) and _builtin(code) is None


def short_code(code: str) -> str:
    """The release-mark form: ``(b)(6)`` -> ``B6``, ``(b)(7)(C)`` -> ``B7(C)``,
    ``1.4(d)`` -> ``1.4(D)``, ``25X1`` and ``50X1-HUM`` unchanged; others upper-cased."""
    canon = _builtin(code) or code.strip()
    m = re.fullmatch(r"\(b\)\((\d)\)(?:\(([A-F])\))?", canon)
    if m:
        return f"B{m.group(1)}" + (f"({m.group(2)})" if m.group(2) else "")
    m = re.fullmatch(r"1\.4\(([a-h])\)", canon)
    if m:
        return f"1.4({m.group(1).upper()})"
    return canon.upper()


@lru_cache(maxsize=1024)
def code_sort_key(code: str) -> tuple[int, str]:
    """Vocabulary order first (FOIA, 1.4, 25X, 50X), then a rule set's own codes by name."""
    canon = _builtin(code) or code.strip()
    return (_ORDER.get(canon, len(_ORDER)), canon.casefold())


def sort_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Unique codes in vocabulary order."""
    return tuple(sorted(dict.fromkeys(codes), key=code_sort_key))


def describe(code: str) -> str:
    """The description of a built-in code, or ``""`` for a rule set's own code."""
    return ALL_CODES.get(_builtin(code) or code.strip(), "")
