"""YAML rule sets -> a validated `RuleSet`.

`load_rules(paths)` reads rule-set files (a file, several, or folders of ``*.yaml``),
validates every key, type, code, regex and file reference, and raises one `RuleError`
listing every problem as ``file:line:col: rule 'id': message``. Nothing is silently
ignored: an unknown key is an error. A YAML alias bomb is refused. The language is
documented in docs/RULES.md.

The steps: each file is composed with its marks (`yamlread`), its top-level keys read
here, each rule validated (`validate`); then the checks across files (unique names and
ids, ``when`` references) and the rule sets combined into one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewtool.core.cable.codes import sort_codes, valid_extra_code
from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.model import (
    Policy,
    Problem,
    Rule,
    RuleSet,
    RuleSetInfo,
    Scope,
    rule_error,
)
from reviewtool.core.rules.rulefiles import RuleFiles, digest
from reviewtool.core.rules.validate import RuleSetContext, codes, kind_specs, rule, scope
from reviewtool.core.rules.validators.spec import KindSpec
from reviewtool.core.rules.yamlread import Ctx, Document, MDict, MList, Reader, compose, type_name
from reviewtool.errors import RuleError

_TOP_KEYS = {"ruleset", "description", "defaults", "allow", "extra_codes", "policy", "rules"}
_DEFAULT_KEYS = {"codes", "scope"}
_POLICY_KEYS = {"min_score", "codes"}


@dataclass
class _Parsed:
    info: RuleSetInfo
    rules: list[Rule]
    allow: list[str]
    policy: tuple[float | None, tuple[str, ...]] | None
    extra: dict[str, str]


# --------------------------------------------------------------------------- one file


def _extra_codes(top: Reader) -> dict[str, str]:
    extra: dict[str, str] = {}
    ex = top.mapping("extra_codes")
    if ex is None:
        return extra
    for code, desc in ex.items():
        if not valid_extra_code(code):
            top.ctx.add(ex.key_marks[code], f"extra code {code!r} must be a short token that "
                        "is not a built-in code")
        elif not isinstance(desc, str):
            top.ctx.add(ex.value_marks[code], f"extra code {code!r} needs a description string")
        else:
            extra[code.strip()] = desc
    return extra


def _defaults(top: Reader, extra: dict[str, str]) -> tuple[tuple[str, ...] | None, Scope | None]:
    dd = top.mapping("defaults")
    if dd is None:
        return None, None
    dr = Reader(top.ctx, dd)
    dr.unknown(_DEFAULT_KEYS, "defaults")
    return codes(dr, "codes", extra), scope(dr, "scope", None)


def _policy(top: Reader, extra: dict[str, str]) -> tuple[float | None, tuple[str, ...]] | None:
    pd = top.mapping("policy")
    if pd is None:
        return None
    pr = Reader(top.ctx, pd)
    pr.unknown(_POLICY_KEYS, "policy")
    return pr.num("min_score", 0.0, 1.0), codes(pr, "codes", extra) or ()


def _rules(top: Reader, rs: RuleSetContext) -> list[Rule]:
    raw_rules = top.data.get("rules")
    if raw_rules is None:
        top.err(None, "missing required key 'rules'")
        return []
    if not isinstance(raw_rules, MList):
        top.err("rules", f"'rules' must be a list of rules, not {type_name(raw_rules)}")
        return []
    out = []
    for item, mark in zip(raw_rules, raw_rules.item_marks, strict=True):
        r = rule(rs, item, mark)
        if r is not None:
            out.append(r)
    return out


def _report_duplicates(doc: Document, data: MDict, ctx: Ctx) -> None:
    """Duplicate keys, each named with the rule it sits in (the last rule starting at or
    before it), if it is in the rules list."""
    raw_rules = data.get("rules")
    for mark, key in doc.duplicates:
        owner = None
        if isinstance(raw_rules, MList):
            for item, imark in zip(raw_rules, raw_rules.item_marks, strict=True):
                if imark.line <= mark.line and isinstance(item, MDict):
                    rid = item.get("id")
                    owner = rid if isinstance(rid, str) else None
        in_rules = isinstance(raw_rules, MList) and mark.line >= raw_rules.mark.line
        ctx.add(mark, f"duplicate key '{key}' (YAML would silently keep only the last)",
                owner if in_rules else None)


def _load_file(path: Path, label: str, data_bytes: bytes, ctx: Ctx,
               kinds: Mapping[str, KindSpec]) -> _Parsed | None:
    """One rule-set file, read from ``data_bytes``; ``label`` is its path relative to
    the folder it was found in (its name when it was named itself): its hash covers the
    label, the bytes and every terms file it read, so it does not depend on where the
    checkout is, and it changes when any of them does."""
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ctx.add(None, f"not UTF-8 text: {exc}")
        return None
    doc = compose(text, ctx)
    if doc is None:
        return None
    if not isinstance(doc.data, MDict):
        ctx.add(doc.mark, "a rule set must be a mapping with 'ruleset' and 'rules', "
                f"not {type_name(doc.data)}")
        return None
    top = Reader(ctx, doc.data)
    top.unknown(_TOP_KEYS, "the rule set")
    name = top.str_("ruleset", required=True) or Path(ctx.source).stem
    description = top.str_("description") or ""
    extra = _extra_codes(top)
    d_codes, d_scope = _defaults(top, extra)
    allow = top.str_list("allow")
    policy = _policy(top, extra)
    files = RuleFiles(path.parent)
    rules = _rules(top, RuleSetContext(ctx, name, files, d_codes, d_scope, extra, kinds))
    _report_duplicates(doc, doc.data, ctx)
    if any(p.message.startswith("duplicate key") for p in ctx.problems):
        return None
    info = RuleSetInfo(name, description.strip(), ctx.source,
                       digest([(label, data_bytes), *sorted(files.loaded.items())]))
    return _Parsed(info, rules, allow[0] if allow else [], policy, extra)


# --------------------------------------------------------------------------- all files


def rule_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named and the ``*.yaml``/``*.yml`` files inside folders named, sorted."""
    return [f for f, _label in _found(paths)]


def _found(paths: Sequence[str | Path]) -> list[tuple[Path, str]]:
    """`rule_files`, each with its label: its path relative to the folder named (POSIX
    style), or its name when the file itself was named."""
    out: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend((f, f.relative_to(p).as_posix()) for f in sorted(
                f for f in p.rglob("*")
                if f.suffix in (".yaml", ".yml") and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append((p, p.name))
    return out


def _read_files(files: list[tuple[Path, str]], problems: list[Problem]) -> list[_Parsed]:
    """Each file parsed (those without problems)."""
    kinds = kind_specs()
    parsed: list[_Parsed] = []
    for f, label in files:
        ctx = Ctx(str(f))
        try:
            data = f.read_bytes()
        except OSError as exc:
            ctx.add(None, f"cannot read rule set: {exc.strerror or exc}")
            problems.extend(ctx.problems)
            continue
        got = _load_file(f, label, data, ctx, kinds)
        problems.extend(ctx.problems)
        if got is not None:
            parsed.append(got)
    return parsed


def _unique(parsed: list[_Parsed], problems: list[Problem]) -> dict[str, Rule]:
    """Rule set names and rule ids must be unique across files; the rules by id."""
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
    return seen


def _check_when(parsed: list[_Parsed], seen: dict[str, Rule], problems: list[Problem]) -> None:
    """A paragraph rule's ``when`` names other, non-paragraph rules that exist."""
    for r in (r for p in parsed for r in p.rules):
        for ref in r.when:
            if ref not in seen:
                problems.append(Problem(r.source, r.line, 1,
                                        f"'when' names unknown rule '{ref}'", r.id))
            elif ref == r.id or seen[ref].kind == RuleKind.PARAGRAPH:
                problems.append(Problem(r.source, r.line, 1, f"'when' must name a "
                                        f"non-paragraph rule other than itself: '{ref}'", r.id))


def _combine(parsed: list[_Parsed]) -> RuleSet:
    """One rule set: rules in file order, the strictest policy, and a hash of the files'
    hashes (in a stable order: each covers its label, bytes and terms files)."""
    sha256 = digest(sorted(("", p.info.sha256.encode()) for p in parsed))
    min_scores = [p.policy[0] for p in parsed if p.policy and p.policy[0] is not None]
    pcodes = sort_codes(c for p in parsed if p.policy for c in p.policy[1])
    policy = Policy(max(min_scores) if min_scores else 1.0, pcodes)
    extra = {k: v for p in parsed for k, v in p.extra.items()}
    allow = tuple(dict.fromkeys(a.strip() for p in parsed for a in p.allow if a.strip()))
    return RuleSet(tuple(r for p in parsed for r in p.rules), tuple(p.info for p in parsed),
                   allow, policy, sha256, extra)


def load_rules(paths: Sequence[str | Path] | str | Path) -> RuleSet:
    """Load and validate rule sets. Raises `RuleError` listing every problem found."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files = _found(paths)
    if not files:
        raise rule_error([Problem(", ".join(map(str, paths)) or "<none>", 1, 1,
                                  "no rule set files (*.yaml) found")])
    problems: list[Problem] = []
    parsed = _read_files(files, problems)
    seen = _unique(parsed, problems)
    _check_when(parsed, seen, problems)
    if problems:
        raise rule_error(problems)
    return _combine(parsed)


def bundled_rules_path() -> Path:
    """The bundled ``rules/`` folder of a repository checkout (next to the package)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "rules"
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise RuleError("bundled rules folder not found next to the package; pass --rules PATH")
