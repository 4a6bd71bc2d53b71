"""YAML rule sets -> a validated `RuleSet`.

`load_rules(paths)` reads rule-set files (a file, several, or folders of ``*.yaml``),
validates every key, type, code, regex and file reference, and raises one `RuleError`
listing every problem as ``file:line:col: rule 'id': message``. Nothing is silently
ignored: an unknown key is an error. A YAML alias bomb is refused. The language is
documented in docs/RULES.md.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reviewtool.core.cable.codes import normalize_code, sort_codes, valid_extra_code
from reviewtool.core.cable.markings import Level, Marking, parse_marking
from reviewtool.errors import RuleError

KINDS = ("terms", "regex", "field", "paragraph", "names")
WHERE = ("body", "header", "subject", "all")
FIELDS = ("classified_by.name", "classified_by", "signer", "subject", "tags", "ref", "decl")
DEFAULT_SCORES = {"terms": 0.85, "regex": 0.8, "field": 0.95, "paragraph": 0.7, "names": 0.0}

_TOP_KEYS = {"ruleset", "description", "defaults", "allow", "extra_codes", "policy", "rules"}
_DEFAULT_KEYS = {"codes", "scope"}
_SCOPE_KEYS = {"markings", "min_level", "where"}
_POLICY_KEYS = {"min_score", "codes"}
_EXAMPLE_KEYS = {"match", "no_match"}
_COMMON_KEYS = {"id", "kind", "codes", "reason", "scope", "examples", "context", "score",
                "propagate", "description"}
_KIND_KEYS = {
    "terms": {"terms", "terms_file", "case_sensitive", "fuzzy"},
    "regex": {"pattern", "group", "flags"},
    "field": {"field"},
    "paragraph": {"when"},
    "names": {"min_score"},
}
_FLAGS = {"i": re.I, "ignorecase": re.I, "s": re.S, "dotall": re.S, "x": re.X,
          "verbose": re.X, "a": re.A, "ascii": re.A, "m": re.M, "multiline": re.M}
_MAX_NODES = 200_000  # YAML nodes after alias expansion; more is an alias bomb
_MAX_DEPTH = 64


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a rule applies. ``markings``: the paragraph's effective marking must match
    one (same level, and every listed control present); ``min_level``: its level must be
    at least this. ``where``: body (paragraphs and repeated bodies), header, subject, all.
    """

    markings: tuple[Marking, ...] = ()
    min_level: Level | None = None
    where: str = "body"

    @property
    def by_marking(self) -> bool:
        return bool(self.markings) or self.min_level is not None

    def admits(self, marking: Marking | None, unmarked: bool) -> bool:
        """Whether text under ``marking`` is in scope. ``unmarked`` text of a classified
        cable is in scope of every rule: a reviewer must look at it."""
        if not self.by_marking or unmarked:
            return True
        if marking is None:
            return False
        if self.min_level is not None and marking.level < self.min_level:
            return False
        if self.markings:
            return any(m.level == marking.level and set(m.controls) <= set(marking.controls)
                       for m in self.markings)
        return True


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    expect: tuple[str, ...] = ()  # exact texts the rule must suggest (match examples)
    line: int = 0


@dataclass(frozen=True)
class Rule:
    """One validated rule. ``source``/``line`` say where it was written."""

    id: str
    ruleset: str
    kind: str
    codes: tuple[str, ...]
    reason: str
    scope: Scope
    source: str
    line: int
    score: float
    description: str = ""
    terms: tuple[str, ...] = ()
    case_sensitive: bool = False
    fuzzy: float | None = None
    pattern: str | None = None
    regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    group: int | str | None = None
    field: str | None = None
    when: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    propagate: bool = False
    # Other occurrences of a matched text are suggested too (the engine's consistency
    # pass); off only when a rule says `propagate: false` in so many words.
    same_text: bool = True
    min_score: float = 0.0
    match_examples: tuple[Example, ...] = ()
    no_match_examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Policy:
    """What batch draft mode may accept without a reviewer: suggestions scoring at least
    ``min_score`` and (when ``codes`` is not empty) carrying at least one of ``codes``.
    Several rule sets combine strictly: the highest min_score, the union of codes."""

    min_score: float = 1.0
    codes: tuple[str, ...] = ()

    def admits(self, score: float, codes: Iterable[str]) -> bool:
        if score < self.min_score:
            return False
        return not self.codes or bool(set(codes) & set(self.codes))


@dataclass(frozen=True, slots=True)
class RuleSetInfo:
    name: str
    description: str
    source: str
    sha256: str


@dataclass(frozen=True)
class RuleSet:
    """Every loaded rule, in file order. ``sha256`` hashes the files' bytes (sorted by
    path) so a review can tell when its rules changed."""

    rules: tuple[Rule, ...]
    sets: tuple[RuleSetInfo, ...]
    allow: tuple[str, ...]
    policy: Policy
    sha256: str
    extra_codes: dict[str, str] = field(default_factory=dict)
    # Compiled matchers, built once by the engine (see core/engine.py).
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sets)


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem, printed ``file:line:col: rule 'id': message``."""

    source: str
    line: int
    col: int
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}:{self.col}"
        who = f" rule '{self.rule}':" if self.rule else ""
        return f"{where}:{who} {self.message}"


def rule_error(problems: Sequence[Problem]) -> RuleError:
    """A `RuleError` whose message lists every problem, one per line."""
    err = RuleError("\n".join(str(p) for p in problems))
    err.problems = list(problems)  # type: ignore[attr-defined]
    return err


# --------------------------------------------------------------------------- YAML


class _MarkedLoader(yaml.SafeLoader):
    """A safe loader we only use to compose nodes (which carry their marks) and to
    construct scalars; the tree is built by `_Builder` so every value keeps its mark."""


class MDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers where it, each key and each value was written."""

    mark: yaml.Mark
    key_marks: dict[str, yaml.Mark]
    value_marks: dict[str, yaml.Mark]


class MList(list):  # type: ignore[type-arg]
    mark: yaml.Mark
    item_marks: list[yaml.Mark]


class _Bomb(Exception):
    def __init__(self, mark: yaml.Mark, what: str) -> None:
        self.mark = mark
        self.what = what


class _Builder:
    def __init__(self, loader: _MarkedLoader, ctx: _Ctx) -> None:
        self.loader = loader
        self.ctx = ctx
        self.count = 0
        self.duplicates: list[tuple[yaml.Mark, str]] = []  # reported once rules are known

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _Bomb(node.start_mark, f"more than {_MAX_NODES} YAML nodes after expanding "
                        "aliases (an alias bomb?); refusing to load")
        if depth > _MAX_DEPTH:
            raise _Bomb(node.start_mark, f"YAML nested deeper than {_MAX_DEPTH} levels "
                        "(a recursive alias?); refusing to load")
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            out = MDict()
            out.mark, out.key_marks, out.value_marks = node.start_mark, {}, {}
            for knode, vnode in node.value:
                key = self.build(knode, depth + 1)
                if not isinstance(key, str):
                    self.ctx.add(knode.start_mark, f"mapping key {key!r} must be a string")
                    continue
                if key in out:
                    self.duplicates.append((knode.start_mark, key))
                    continue
                out[key] = self.build(vnode, depth + 1)
                out.key_marks[key] = knode.start_mark
                out.value_marks[key] = vnode.start_mark
            return out
        if isinstance(node, yaml.SequenceNode):
            items = MList()
            items.mark, items.item_marks = node.start_mark, []
            for item in node.value:
                items.append(self.build(item, depth + 1))
                items.item_marks.append(item.start_mark)
            return items
        return self.loader.construct_object(node, deep=True)


# --------------------------------------------------------------------------- validation


class _Ctx:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, mark: yaml.Mark | None, message: str, rule: str | None = None) -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.problems.append(Problem(self.source, line, col, message, rule))


def _type_name(value: Any) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false",
            type(None): "empty", MDict: "a mapping", MList: "a list"}.get(type(value),
                                                                          type(value).__name__)


class _Reader:
    """Typed access to a mapping's values, reporting wrong types and unknown keys."""

    def __init__(self, ctx: _Ctx, data: MDict, rule: str | None = None) -> None:
        self.ctx, self.data, self.rule = ctx, data, rule

    def mark(self, key: str) -> yaml.Mark:
        return self.data.value_marks.get(key, self.data.mark)

    def err(self, key: str | None, message: str) -> None:
        self.ctx.add(self.mark(key) if key else self.data.mark, message, self.rule)

    def unknown(self, allowed: set[str], where: str) -> None:
        for key in self.data:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.ctx.add(self.data.key_marks[key],
                             f"unknown key '{key}' in {where} (allowed: {hint})", self.rule)

    def str_(self, key: str, required: bool = False) -> str | None:
        if key not in self.data:
            if required:
                self.err(None, f"missing required key '{key}'")
            return None
        v = self.data[key]
        if not isinstance(v, str) or not v.strip():
            self.err(key, f"'{key}' must be a non-empty string, not {_type_name(v)}")
            return None
        return v

    def bool_(self, key: str, default: bool) -> bool:
        v = self.data.get(key, default)
        if not isinstance(v, bool):
            self.err(key, f"'{key}' must be true or false, not {_type_name(v)}")
            return default
        return v

    def num(self, key: str, lo: float, hi: float) -> float | None:
        if key not in self.data:
            return None
        v = self.data[key]
        if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
            self.err(key, f"'{key}' must be a number from {lo:g} to {hi:g}, not {v!r}")
            return None
        return float(v)

    def str_list(self, key: str) -> tuple[list[str], list[yaml.Mark]] | None:
        """A list of strings (a single string is taken as a one-item list)."""
        if key not in self.data:
            return None
        v = self.data[key]
        if isinstance(v, str):
            return [v], [self.mark(key)]
        if not isinstance(v, MList):
            self.err(key, f"'{key}' must be a list of strings, not {_type_name(v)}")
            return None
        out, marks = [], []
        for item, mark in zip(v, v.item_marks, strict=True):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.ctx.add(mark, f"'{key}' items must be strings, not {_type_name(item)}",
                             self.rule)
                continue
            out.append(str(item))
            marks.append(mark)
        return out, marks

    def mapping(self, key: str) -> MDict | None:
        if key not in self.data:
            return None
        v = self.data[key]
        if not isinstance(v, MDict):
            self.err(key, f"'{key}' must be a mapping, not {_type_name(v)}")
            return None
        return v


def _codes(rd: _Reader, key: str, extra: dict[str, str]) -> tuple[str, ...] | None:
    got = rd.str_list(key)
    if got is None:
        return None
    out = []
    for raw, mark in zip(*got, strict=True):
        try:
            out.append(normalize_code(raw, extra))
        except ValueError as exc:
            rd.ctx.add(mark, str(exc), rd.rule)
    if not got[0]:
        rd.err(key, f"'{key}' must name at least one exemption code")
    return sort_codes(out)


def _scope(rd: _Reader, key: str, base: Scope | None) -> Scope | None:
    data = rd.mapping(key)
    if data is None:
        return base
    sr = _Reader(rd.ctx, data, rd.rule)
    sr.unknown(_SCOPE_KEYS, "scope")
    markings: list[Marking] = list(base.markings) if base else []
    got = sr.str_list("markings")
    if got is not None:
        markings = []
        for raw, mark in zip(*got, strict=True):
            m = parse_marking(raw)
            if m is None:
                rd.ctx.add(mark, f"not a marking: {raw!r} (e.g. C, S, S//NF, TS)", rd.rule)
            else:
                markings.append(m)
    min_level = base.min_level if base else None
    if "min_level" in data:
        raw = data["min_level"]
        m = parse_marking(raw) if isinstance(raw, str) else None
        if m is None:
            sr.err("min_level", f"'min_level' must be U, C, S or TS, not {raw!r}")
        else:
            min_level = m.level
    where = base.where if base else "body"
    if "where" in data:
        w = data["where"]
        if w not in WHERE:
            sr.err("where", f"'where' must be one of {', '.join(WHERE)}, not {w!r}")
        else:
            where = w
    return Scope(tuple(markings), min_level, where)


def _parse_flags(rd: _Reader) -> int:
    if "flags" not in rd.data:
        return 0
    raw = rd.data["flags"]
    items: list[str]
    if isinstance(raw, str):
        items = [s for s in re.split(r"[\s,|]+", raw) if s]
        if len(items) == 1 and items[0].lower() not in _FLAGS:
            items = list(items[0])  # "ix"
    elif isinstance(raw, MList) and all(isinstance(x, str) for x in raw):
        items = list(raw)
    else:
        rd.err("flags", f"'flags' must be a string or list of flag names, not {_type_name(raw)}")
        return 0
    flags = 0
    for name in items:
        f = _FLAGS.get(name.lower())
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
    import re._constants as C  # noqa: N812
    import re._parser as P  # noqa: N812

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
    compiled = re.compile(pattern, flags)
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


def _examples(rd: _Reader, rule_id: str) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    data = rd.mapping("examples")
    if data is None:
        return (), ()
    er = _Reader(rd.ctx, data, rule_id)
    er.unknown(_EXAMPLE_KEYS, "examples")
    out: dict[str, list[Example]] = {"match": [], "no_match": []}
    for key in ("match", "no_match"):
        if key not in data:
            continue
        items = data[key]
        if isinstance(items, str):
            items = MList([items])
            items.item_marks = [er.mark(key)]
        if not isinstance(items, MList):
            er.err(key, f"'{key}' must be a list of example texts, not {_type_name(items)}")
            continue
        for item, mark in zip(items, items.item_marks, strict=True):
            if isinstance(item, str):
                out[key].append(Example(item, (), mark.line + 1))
            elif isinstance(item, MDict) and key == "match":
                ir = _Reader(rd.ctx, item, rule_id)
                ir.unknown({"text", "expect"}, "a match example")
                text = ir.str_("text", required=True)
                exp = ir.str_list("expect")
                if text is not None:
                    out[key].append(Example(text, tuple(exp[0]) if exp else (), mark.line + 1))
            else:
                rd.ctx.add(mark, f"'{key}' items must be strings"
                           + (" or {text, expect} mappings" if key == "match" else ""), rule_id)
    return tuple(out["match"]), tuple(out["no_match"])


def _read_terms_file(rd: _Reader, base: Path) -> list[str]:
    raw = rd.str_("terms_file")
    if raw is None:
        return []
    path = (base / raw).resolve()
    try:
        data = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        rd.err("terms_file", f"terms_file not found: {path}")
        return []
    except (OSError, UnicodeDecodeError) as exc:
        rd.err("terms_file", f"cannot read terms_file {path}: {exc}")
        return []
    return [t.strip() for t in data.splitlines() if t.strip() and not t.lstrip().startswith("#")]


def _rule(ctx: _Ctx, data: Any, mark: yaml.Mark, ruleset: str, base: Path,
          defaults_codes: tuple[str, ...] | None, defaults_scope: Scope | None,
          extra: dict[str, str]) -> Rule | None:
    if not isinstance(data, MDict):
        ctx.add(mark, f"each rule must be a mapping, not {_type_name(data)}")
        return None
    rid = data.get("id")
    rid_s = rid if isinstance(rid, str) and rid.strip() else None
    rd = _Reader(ctx, data, rid_s)
    if rid_s is None:
        rd.err("id" if "id" in data else None,
               "rule needs an 'id' (a non-empty string)" if "id" not in data
               else f"'id' must be a non-empty string, not {_type_name(rid)}")
    elif not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", rid_s):
        rd.err("id", f"rule id {rid_s!r} may hold only letters, digits, '.', '_' and '-'")
    kind = data.get("kind")
    if kind not in KINDS:
        rd.err("kind" if "kind" in data else None,
               f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}" if "kind" in data
               else f"rule needs a 'kind' ({', '.join(KINDS)})")
        rd.unknown(_COMMON_KEYS | set().union(*_KIND_KEYS.values()), "a rule")
        return None
    rd.unknown(_COMMON_KEYS | _KIND_KEYS[kind], f"a '{kind}' rule")
    n0 = len(ctx.problems)
    codes = _codes(rd, "codes", extra)
    if codes is None:
        codes = defaults_codes
        if codes is None:
            rd.err(None, "rule needs 'codes' (or the rule set's defaults.codes)")
    reason = rd.str_("reason", required=True)
    description = rd.str_("description") or ""
    scope = _scope(rd, "scope", defaults_scope) or Scope()
    score = rd.num("score", 0.0, 1.0)
    ctx_words = rd.str_list("context")
    match_ex, no_match_ex = _examples(rd, rid_s or "?")
    kw: dict[str, Any] = {}
    if kind == "terms":
        terms: list[str] = []
        got = rd.str_list("terms")
        if got is not None:
            terms.extend(t.strip() for t in got[0] if t.strip())
        terms.extend(_read_terms_file(rd, base))
        if not terms and "terms_file" not in data:
            rd.err(None, "a 'terms' rule needs 'terms' or 'terms_file'")
        kw["terms"] = tuple(dict.fromkeys(terms))
        kw["case_sensitive"] = rd.bool_("case_sensitive", False)
        kw["fuzzy"] = rd.num("fuzzy", 50, 100)
    elif kind == "regex":
        pattern = rd.str_("pattern", required=True)
        flags = _parse_flags(rd)
        kw["pattern"] = pattern
        if pattern is not None:
            try:
                compiled = re.compile(pattern, flags)
            except re.error as exc:
                rd.err("pattern", f"regex does not compile: {exc}")
            else:
                risk = redos_risk(pattern, flags)
                if risk:
                    rd.err("pattern", f"regex refused: {risk}")
                if compiled.search("") is not None and compiled.fullmatch("") is not None:
                    rd.err("pattern", "regex matches the empty string")
                kw["regex"] = compiled
                group = data.get("group")
                if group is not None:
                    if isinstance(group, bool) or not isinstance(group, int | str):
                        rd.err("group", "'group' must be a group number or name")
                    elif isinstance(group, int) and not 0 <= group <= compiled.groups:
                        rd.err("group", f"regex has no group {group} "
                               f"(it has {compiled.groups})")
                    elif isinstance(group, str) and group not in compiled.groupindex:
                        rd.err("group", f"regex has no group named {group!r}")
                    else:
                        kw["group"] = group
    elif kind == "field":
        fname = rd.str_("field", required=True)
        if fname is not None and fname not in FIELDS:
            rd.err("field", f"unknown field {fname!r} (one of {', '.join(FIELDS)})")
        kw["field"] = fname
    elif kind == "paragraph":
        got = rd.str_list("when")
        kw["when"] = tuple(got[0]) if got else ()
        if not kw["when"] and not scope.by_marking:
            rd.err(None, "a 'paragraph' rule needs 'when' (rule ids) or a scope with "
                   "'markings' or 'min_level'; otherwise it would withhold every paragraph")
    elif kind == "names":
        got_min = rd.num("min_score", 0.0, 1.0)
        kw["min_score"] = 0.75 if got_min is None else got_min
    propagate_default = kind in ("names", "field")
    kw["propagate"] = rd.bool_("propagate", propagate_default)
    kw["same_text"] = kw["propagate"] or "propagate" not in rd.data
    if len(ctx.problems) > n0 or rid_s is None or reason is None or codes is None:
        return None
    return Rule(
        id=rid_s, ruleset=ruleset, kind=kind, codes=codes, reason=reason.strip(), scope=scope,
        source=ctx.source, line=data.mark.line + 1,
        score=score if score is not None else DEFAULT_SCORES[kind], description=description,
        context=tuple(ctx_words[0]) if ctx_words else (), match_examples=match_ex,
        no_match_examples=no_match_ex, **kw)


@dataclass
class _Parsed:
    info: RuleSetInfo
    rules: list[Rule]
    allow: list[str]
    policy: tuple[float | None, tuple[str, ...]] | None
    extra: dict[str, str]


def _load_file(path: Path, data_bytes: bytes, ctx: _Ctx) -> _Parsed | None:
    source = ctx.source
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ctx.add(None, f"not UTF-8 text: {exc}")
        return None
    loader = _MarkedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            ctx.add(None, "empty rule set file")
            return None
        builder = _Builder(loader, ctx)
        data = builder.build(node)
    except _Bomb as bomb:
        ctx.add(bomb.mark, bomb.what)
        return None
    except yaml.MarkedYAMLError as exc:
        # Point at where the broken construct starts ("while scanning a quoted scalar"),
        # and say where the parser gave up.
        mark = exc.context_mark or exc.problem_mark
        what = f"{exc.context}, {exc.problem}" if exc.context else str(exc.problem)
        if exc.context_mark and exc.problem_mark:
            what += f" (at line {exc.problem_mark.line + 1})"
        ctx.add(mark, f"YAML syntax error: {what}")
        return None
    except yaml.YAMLError as exc:
        ctx.add(None, f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()
    if not isinstance(data, MDict):
        ctx.add(getattr(node, "start_mark", None),
                f"a rule set must be a mapping with 'ruleset' and 'rules', not {_type_name(data)}")
        return None
    top = _Reader(ctx, data)
    top.unknown(_TOP_KEYS, "the rule set")
    name = top.str_("ruleset", required=True) or Path(source).stem
    description = top.str_("description") or ""
    extra: dict[str, str] = {}
    ex = top.mapping("extra_codes")
    if ex is not None:
        for code, desc in ex.items():
            if not valid_extra_code(code):
                ctx.add(ex.key_marks[code], f"extra code {code!r} must be a short token that "
                        "is not a built-in code")
            elif not isinstance(desc, str):
                ctx.add(ex.value_marks[code], f"extra code {code!r} needs a description string")
            else:
                extra[code.strip()] = desc
    d_codes: tuple[str, ...] | None = None
    d_scope: Scope | None = None
    dd = top.mapping("defaults")
    if dd is not None:
        dr = _Reader(ctx, dd)
        dr.unknown(_DEFAULT_KEYS, "defaults")
        d_codes = _codes(dr, "codes", extra)
        d_scope = _scope(dr, "scope", None)
    allow = top.str_list("allow")
    policy = None
    pd = top.mapping("policy")
    if pd is not None:
        pr = _Reader(ctx, pd)
        pr.unknown(_POLICY_KEYS, "policy")
        policy = (pr.num("min_score", 0.0, 1.0), _codes(pr, "codes", extra) or ())
    rules: list[Rule] = []
    raw_rules = data.get("rules")
    if raw_rules is None:
        top.err(None, "missing required key 'rules'")
    elif not isinstance(raw_rules, MList):
        top.err("rules", f"'rules' must be a list of rules, not {_type_name(raw_rules)}")
    else:
        for item, mark in zip(raw_rules, raw_rules.item_marks, strict=True):
            r = _rule(ctx, item, mark, name, path.parent, d_codes, d_scope, extra)
            if r is not None:
                rules.append(r)
    for mark, key in builder.duplicates:
        owner = None
        if isinstance(raw_rules, MList):
            for item, imark in zip(raw_rules, raw_rules.item_marks, strict=True):
                if imark.line <= mark.line and isinstance(item, MDict):
                    rid = item.get("id")
                    owner = rid if isinstance(rid, str) else None
        ctx.add(mark, f"duplicate key '{key}' (YAML would silently keep only the last)",
                owner if raw_rules is not None and mark.line >= raw_rules.mark.line else None)
    if any(p.message.startswith("duplicate key") for p in ctx.problems):
        return None
    info = RuleSetInfo(name, description.strip(), source, hashlib.sha256(data_bytes).hexdigest())
    return _Parsed(info, rules, allow[0] if allow else [], policy, extra)


def rule_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named and the ``*.yaml``/``*.yml`` files inside folders named, sorted."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*")
                              if f.suffix in (".yaml", ".yml") and f.is_file()
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    return out


def load_rules(paths: Sequence[str | Path] | str | Path) -> RuleSet:
    """Load and validate rule sets. Raises `RuleError` listing every problem found."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files = rule_files(paths)
    problems: list[Problem] = []
    if not files:
        raise rule_error([Problem(", ".join(map(str, paths)) or "<none>", 1, 1,
                                  "no rule set files (*.yaml) found")])
    parsed: list[_Parsed] = []
    hashes: list[tuple[str, bytes]] = []
    for f in files:
        ctx = _Ctx(str(f))
        try:
            data = f.read_bytes()
        except OSError as exc:
            ctx.add(None, f"cannot read rule set: {exc.strerror or exc}")
            problems.extend(ctx.problems)
            continue
        hashes.append((str(f.resolve()), data))
        got = _load_file(f, data, ctx)
        problems.extend(ctx.problems)
        if got is not None:
            parsed.append(got)
    # Cross-file checks: unique ids and rule sets, `when` references.
    seen: dict[str, Rule] = {}
    set_names: dict[str, str] = {}
    for p in parsed:
        if p.info.name in set_names:
            problems.append(Problem(p.info.source, 1, 1, f"rule set name '{p.info.name}' is "
                                    f"also used by {set_names[p.info.name]}"))
        set_names.setdefault(p.info.name, p.info.source)
        for r in p.rules:
            if r.id in seen:
                first = seen[r.id]
                problems.append(Problem(r.source, r.line, 1, f"duplicate rule id (first defined "
                                        f"at {first.source}:{first.line})", r.id))
            else:
                seen[r.id] = r
    for p in parsed:
        for r in p.rules:
            for ref in r.when:
                if ref not in seen:
                    problems.append(Problem(r.source, r.line, 1,
                                            f"'when' names unknown rule '{ref}'", r.id))
                elif ref == r.id or seen[ref].kind == "paragraph":
                    problems.append(Problem(r.source, r.line, 1, f"'when' must name a "
                                            f"non-paragraph rule other than itself: '{ref}'",
                                            r.id))
    if problems:
        raise rule_error(problems)
    digest = hashlib.sha256()
    for _path, data in sorted(hashes):
        digest.update(hashlib.sha256(data).digest())
    min_scores = [p.policy[0] for p in parsed if p.policy and p.policy[0] is not None]
    pcodes = sort_codes(c for p in parsed if p.policy for c in p.policy[1])
    policy = Policy(max(min_scores) if min_scores else 1.0, pcodes)
    extra = {k: v for p in parsed for k, v in p.extra.items()}
    allow = tuple(dict.fromkeys(a.strip() for p in parsed for a in p.allow if a.strip()))
    return RuleSet(tuple(r for p in parsed for r in p.rules), tuple(p.info for p in parsed),
                   allow, policy, digest.hexdigest(), extra)


def bundled_rules_path() -> Path:
    """The bundled ``rules/`` folder of a repository checkout (next to the package)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "rules"
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise RuleError("bundled rules folder not found next to the package; pass --rules PATH")
