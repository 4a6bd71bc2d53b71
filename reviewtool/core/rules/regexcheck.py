"""Regex analysis for `regex` rules: flag names, and the refusal of patterns that can
backtrack catastrophically (ReDoS) before they ever run on a cable."""

from __future__ import annotations

import importlib
import re
import time
from typing import Any

from reviewtool.core.rules.yamlread import MList, Reader, type_name

FLAGS = {"i": re.I, "ignorecase": re.I, "s": re.S, "dotall": re.S, "x": re.X,
         "verbose": re.X, "a": re.A, "ascii": re.A, "m": re.M, "multiline": re.M}


def parse_flags(rd: Reader) -> int:
    """The ``flags`` key of a rule: ``"ix"``, ``"i, s"``, ``[ignorecase, dotall]``."""
    if "flags" not in rd.data:
        return 0
    raw = rd.data["flags"]
    items: list[str]
    if isinstance(raw, str):
        items = [s for s in re.split(r"[\s,|]+", raw) if s]
        if len(items) == 1 and items[0].lower() not in FLAGS:
            items = list(items[0])  # "ix"
    elif isinstance(raw, MList) and all(isinstance(x, str) for x in raw):
        items = [str(x) for x in raw]
    else:
        rd.err("flags", f"'flags' must be a string or list of flag names, not {type_name(raw)}")
        return 0
    flags = 0
    for name in items:
        f = FLAGS.get(name.lower())
        if f is None:
            rd.err("flags", f"unknown regex flag {name!r} (use ignorecase, dotall, verbose, "
                   "ascii, multiline or i, s, x, a, m)")
        else:
            flags |= f
    return flags


def redos_risk(pattern: str, flags: int = 0) -> str | None:
    """Why a regex may backtrack catastrophically, or ``None``.

    Refuses a repeat inside an unbounded repeat (``(a+)+``, ``(\\w+\\s?)*``) by looking
    at the parsed pattern, then times the compiled pattern on adversarial strings of
    growing length built from its own characters, refusing super-linear growth."""
    # `re`'s own parser (private, without type stubs): its tree is lists of (opcode,
    # argument) pairs whose argument's shape depends on the opcode, hence `Any` below.
    C = importlib.import_module("re._constants")  # noqa: N806
    P = importlib.import_module("re._parser")  # noqa: N806

    try:
        parsed = P.parse(pattern, flags)
    except re.error:
        return None  # reported as a compile error
    literals: set[str] = set()
    repeats = (C.MAX_REPEAT, C.MIN_REPEAT)

    def walk(items: Any, outer_unbounded: bool) -> bool:
        for op, av in items:
            if op in repeats:
                lo, hi, sub = av
                if outer_unbounded and hi > 1:
                    return True
                unbounded = hi == C.MAXREPEAT or hi > 20
                if walk(sub, outer_unbounded or unbounded):
                    return True
            elif op is C.SUBPATTERN:
                if walk(av[-1], outer_unbounded):
                    return True
            elif op is C.BRANCH:
                firsts = [b[0] for b in av[1] if len(b) and b[0][0] is C.LITERAL]
                if outer_unbounded and len(firsts) != len(set(firsts)):
                    return True  # (a|ab)* : two ways to take the same character
                if any(walk(b, outer_unbounded) for b in av[1]):
                    return True
            elif op in (C.ASSERT, C.ASSERT_NOT):
                if walk(av[1], outer_unbounded):
                    return True
            elif op is C.LITERAL:
                literals.add(chr(av))
        return False

    if walk(parsed, False):
        return ("nested quantifier or overlapping alternatives inside an unbounded repeat can "
                "backtrack catastrophically; rewrite it without the inner repeat or bound "
                "the outer one")
    return _timed_risk(re.compile(pattern, flags), literals)


def _timed_risk(compiled: re.Pattern[str], literals: set[str]) -> str | None:
    chars = sorted(literals | {"a", "A", " ", "1", "."})[:12]
    # Exponential backtracking doubles per character: growing by two characters at a
    # time stops within a few times the budget.
    for ch in chars:
        for n in range(8, 27, 2):
            s = ch * n + "\x00"
            t0 = time.perf_counter()
            compiled.search(s)
            if time.perf_counter() - t0 > 0.02:
                return (f"backtracks catastrophically: {n} repeated {ch!r} took over 20 ms; "
                        "simplify the alternation or repeats")
    return None
