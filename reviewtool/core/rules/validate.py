"""One rule's YAML -> a `Rule`: the keys every rule has, then its kind's own.

The common keys (id, kind, codes, reason, description, scope, score, context,
examples, propagate) are read here; the kind's keys by its validator: a built-in one
from `validators.BUILTIN`, or a third-party plug-in's ``validate`` (see `kinds`). Every
problem is added to the file's `Ctx`, naming the rule; a rule with any is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from reviewtool.core.cable.codes import normalize_code, sort_codes
from reviewtool.core.cable.markings import Marking, parse_marking
from reviewtool.core.rules.kinds import COMMON_KEYS, KindPlugin, RuleKind, plugins
from reviewtool.core.rules.model import WHERE, Example, Rule, Scope
from reviewtool.core.rules.rulefiles import RuleFiles
from reviewtool.core.rules.validators import BUILTIN
from reviewtool.core.rules.validators.spec import KindFields, KindInput, KindSpec
from reviewtool.core.rules.yamlread import Ctx, Mark, MDict, MList, Reader, plain, type_name

_SCOPE_KEYS = {"markings", "min_level", "where"}
_EXAMPLE_KEYS = {"match", "no_match"}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


# --------------------------------------------------------------------------- kinds


def kind_specs() -> Mapping[str, KindSpec]:
    """Every kind a rule may name: the built-in ones, then the installed plug-ins'."""
    specs = {kind.value: spec for kind, spec in BUILTIN.items()}
    for name, plugin in plugins().items():
        specs[name] = _plugin_spec(plugin)
    return specs


def _plugin_spec(plugin: KindPlugin) -> KindSpec:
    """A plug-in as a validator: its keys, as plain YAML values, go to its ``validate``;
    a `ValueError` from it (or any failure of it) is a problem of the rule, at the
    rule's first key of the plug-in's (or the rule's start)."""

    def validate(k: KindInput) -> KindFields:
        given = {key: plain(v) for key, v in k.rd.data.items() if key in plugin.keys}
        at = next(iter(given), None)
        try:
            options = plugin.validate(given)
        except ValueError as exc:
            k.rd.err(at, f"invalid options for kind '{plugin.kind}': {exc}")
            return {}
        except Exception as exc:  # a bug in the plug-in: reported, not a traceback
            k.rd.err(at, f"recognizer plug-in '{plugin.kind}' failed on its options: "
                     f"{type(exc).__name__}: {exc}")
            return {}
        if not isinstance(options, Mapping):
            k.rd.err(at, f"recognizer plug-in '{plugin.kind}' returned "
                     f"{type(options).__name__}, not a mapping of options")
            return {}
        return {"options": MappingProxyType(dict(options))}

    return KindSpec(frozenset(plugin.keys), float(plugin.default_score), validate)


# --------------------------------------------------------------------------- common keys


def codes(rd: Reader, key: str, extra: dict[str, str]) -> tuple[str, ...] | None:
    """Exemption codes (normalized, sorted); ``None`` when the key is absent."""
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


def scope(rd: Reader, key: str, base: Scope | None) -> Scope | None:
    """A scope, each key given replacing that of ``base`` (the rule set's defaults)."""
    data = rd.mapping(key)
    if data is None:
        return base
    sr = Reader(rd.ctx, data, rd.rule)
    sr.unknown(_SCOPE_KEYS, "scope")
    markings = _markings(sr, list(base.markings) if base else [])
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
        if not isinstance(w, str) or w not in WHERE:
            sr.err("where", f"'where' must be one of {', '.join(WHERE)}, not {w!r}")
        else:
            where = w
    return Scope(tuple(markings), min_level, where)


def _markings(sr: Reader, markings: list[Marking]) -> list[Marking]:
    got = sr.str_list("markings")
    if got is None:
        return markings
    out = []
    for raw, mark in zip(*got, strict=True):
        m = parse_marking(raw)
        if m is None:
            sr.ctx.add(mark, f"not a marking: {raw!r} (e.g. C, S, S//NF, TS)", sr.rule)
        else:
            out.append(m)
    return out


def _examples(rd: Reader, rule_id: str) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    data = rd.mapping("examples")
    if data is None:
        return (), ()
    er = Reader(rd.ctx, data, rule_id)
    er.unknown(_EXAMPLE_KEYS, "examples")
    match = _example_list(er, "match") if "match" in data else []
    no_match = _example_list(er, "no_match") if "no_match" in data else []
    return tuple(match), tuple(no_match)


def _example_list(er: Reader, key: str) -> list[Example]:
    items = er.data[key]
    if isinstance(items, str):
        items = MList([items])
        items.item_marks = [er.mark(key)]
    if not isinstance(items, MList):
        er.err(key, f"'{key}' must be a list of example texts, not {type_name(items)}")
        return []
    out = []
    for item, mark in zip(items, items.item_marks, strict=True):
        if isinstance(item, str):
            out.append(Example(item, (), mark.line + 1))
        elif isinstance(item, MDict) and key == "match":
            ir = Reader(er.ctx, item, er.rule)
            ir.unknown({"text", "expect"}, "a match example")
            text = ir.str_("text", required=True)
            exp = ir.str_list("expect")
            if text is not None:
                out.append(Example(text, tuple(exp[0]) if exp else (), mark.line + 1))
        else:
            er.ctx.add(mark, f"'{key}' items must be strings"
                       + (" or {text, expect} mappings" if key == "match" else ""), er.rule)
    return out


# --------------------------------------------------------------------------- one rule


@dataclass(frozen=True, slots=True)
class RuleSetContext:
    """What a rule is read against: its file's problems, its rule set's name, the files
    of its folder (`RuleFiles`) and defaults, its extra codes, and the kinds there are."""

    ctx: Ctx
    ruleset: str
    files: RuleFiles
    codes: tuple[str, ...] | None
    scope: Scope | None
    extra: dict[str, str]
    kinds: Mapping[str, KindSpec]


@dataclass(frozen=True, slots=True)
class _Common:
    codes: tuple[str, ...] | None
    reason: str | None
    description: str
    scope: Scope
    score: float | None
    context: tuple[str, ...]
    match: tuple[Example, ...]
    no_match: tuple[Example, ...]


def _rule_id(rd: Reader) -> None:
    data = rd.data
    if rd.rule is None:
        rd.err("id" if "id" in data else None,
               "rule needs an 'id' (a non-empty string)" if "id" not in data
               else f"'id' must be a non-empty string, not {type_name(data['id'])}")
    elif not _ID.fullmatch(rd.rule):
        rd.err("id", f"rule id {rd.rule!r} may hold only letters, digits, '.', '_' and '-'")


def _kind(rd: Reader, kinds: Mapping[str, KindSpec]) -> tuple[str, KindSpec] | None:
    """The rule's kind and its validator; ``None`` (reported) for a missing or unknown
    kind, whose keys are then checked against those of every kind."""
    kind = rd.data.get("kind")
    if isinstance(kind, str) and kind in kinds:
        spec = kinds[kind]
        rd.unknown(COMMON_KEYS | spec.keys, f"a '{kind}' rule")
        return (RuleKind(kind) if kind in BUILTIN else kind), spec
    names = ", ".join(kinds)
    rd.err("kind" if "kind" in rd.data else None,
           f"'kind' must be one of {names}, not {kind!r}" if "kind" in rd.data
           else f"rule needs a 'kind' ({names})")
    rd.unknown(COMMON_KEYS.union(*(s.keys for s in kinds.values())), "a rule")
    return None


def _common(rd: Reader, rs: RuleSetContext) -> _Common:
    got_codes = codes(rd, "codes", rs.extra)
    if got_codes is None:
        got_codes = rs.codes
        if got_codes is None:
            rd.err(None, "rule needs 'codes' (or the rule set's defaults.codes)")
    reason = rd.str_("reason", required=True)
    description = rd.str_("description") or ""
    rule_scope = scope(rd, "scope", rs.scope) or Scope()
    score = rd.num("score", 0.0, 1.0)
    context = rd.str_list("context")
    match, no_match = _examples(rd, rd.rule or "?")
    return _Common(got_codes, reason, description, rule_scope, score,
                   tuple(context[0]) if context else (), match, no_match)


def rule(rs: RuleSetContext, data: object, mark: Mark) -> Rule | None:
    """The rule written as ``data`` (at ``mark``), or ``None`` if it has any problem."""
    ctx = rs.ctx
    if not isinstance(data, MDict):
        ctx.add(mark, f"each rule must be a mapping, not {type_name(data)}")
        return None
    rid = data.get("id")
    rd = Reader(ctx, data, rid if isinstance(rid, str) and rid.strip() else None)
    _rule_id(rd)
    got = _kind(rd, rs.kinds)
    if got is None:
        return None
    kind, spec = got
    n0 = len(ctx.problems)
    common = _common(rd, rs)
    fields = spec.validate(KindInput(rd, rs.files, common.scope))
    propagate = rd.bool_("propagate", spec.propagate)
    same_text = propagate or "propagate" not in data
    if (len(ctx.problems) > n0 or rd.rule is None or common.reason is None
            or common.codes is None):
        return None
    return Rule(
        id=rd.rule, ruleset=rs.ruleset, kind=kind, codes=common.codes,
        reason=common.reason.strip(), scope=common.scope, source=ctx.source,
        line=data.mark.line + 1,
        score=common.score if common.score is not None else spec.default_score,
        description=common.description, context=common.context,
        match_examples=common.match, no_match_examples=common.no_match,
        propagate=propagate, same_text=same_text, **fields)
