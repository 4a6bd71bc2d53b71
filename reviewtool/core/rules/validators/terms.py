"""``kind: terms``: a list of words or phrases, inline or in a file."""

from __future__ import annotations

from reviewtool.core.rules.rulefiles import RuleFileError, RuleFiles
from reviewtool.core.rules.validators.spec import KindFields, KindInput, KindSpec
from reviewtool.core.rules.yamlread import Reader


def _read_terms_file(rd: Reader, files: RuleFiles) -> list[str]:
    raw = rd.str_("terms_file")
    if raw is None:
        return []
    try:
        data = files.read_text("terms_file", raw)
    except RuleFileError as exc:
        rd.err("terms_file", str(exc))
        return []
    return [t.strip() for t in data.splitlines() if t.strip() and not t.lstrip().startswith("#")]


def validate(k: KindInput) -> KindFields:
    rd = k.rd
    terms: list[str] = []
    got = rd.str_list("terms")
    if got is not None:
        terms.extend(t.strip() for t in got[0] if t.strip())
    terms.extend(_read_terms_file(rd, k.files))
    if not terms and "terms_file" not in rd.data:
        rd.err(None, "a 'terms' rule needs 'terms' or 'terms_file'")
    return {"terms": tuple(dict.fromkeys(terms)),
            "case_sensitive": rd.bool_("case_sensitive", False),
            "fuzzy": rd.num("fuzzy", 50, 100)}


SPEC = KindSpec(frozenset({"terms", "terms_file", "case_sensitive", "fuzzy"}), 0.85, validate)
