"""``kind: regex``: a pattern (refused if it can backtrack catastrophically or matches
the empty string), its flags, and the group that is the text to withhold."""

from __future__ import annotations

import re

from reviewtool.core.rules.regexcheck import parse_flags, redos_risk
from reviewtool.core.rules.validators.spec import KindFields, KindInput, KindSpec
from reviewtool.core.rules.yamlread import Reader


def _compile(rd: Reader, pattern: str, flags: int) -> re.Pattern[str] | None:
    try:
        compiled = re.compile(pattern, flags)
    except re.error as exc:
        rd.err("pattern", f"regex does not compile: {exc}")
        return None
    risk = redos_risk(pattern, flags)
    if risk:
        rd.err("pattern", f"regex refused: {risk}")
    if compiled.search("") is not None and compiled.fullmatch("") is not None:
        rd.err("pattern", "regex matches the empty string")
    return compiled


def _group(rd: Reader, compiled: re.Pattern[str]) -> int | str | None:
    group = rd.data.get("group")
    if group is None:
        return None
    if isinstance(group, bool) or not isinstance(group, int | str):
        rd.err("group", "'group' must be a group number or name")
    elif isinstance(group, int) and not 0 <= group <= compiled.groups:
        rd.err("group", f"regex has no group {group} (it has {compiled.groups})")
    elif isinstance(group, str) and group not in compiled.groupindex:
        rd.err("group", f"regex has no group named {group!r}")
    else:
        return group
    return None


def validate(k: KindInput) -> KindFields:
    rd = k.rd
    pattern = rd.str_("pattern", required=True)
    flags = parse_flags(rd)
    out: KindFields = {"pattern": pattern}
    compiled = _compile(rd, pattern, flags) if pattern is not None else None
    if compiled is not None:
        out["regex"] = compiled
        group = _group(rd, compiled)
        if group is not None:
            out["group"] = group
    return out


SPEC = KindSpec(frozenset({"pattern", "group", "flags"}), 0.8, validate)
