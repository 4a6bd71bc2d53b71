"""One validator per built-in rule kind, and the table of them.

Adding a kind: a `RuleKind` member, a module here with its ``validate`` and ``SPEC``,
and one entry in `BUILTIN`. A third-party kind needs none of this (see `..kinds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.validators import field, names, paragraph, regex, terms
from reviewtool.core.rules.validators.spec import KindSpec

BUILTIN: Mapping[RuleKind, KindSpec] = MappingProxyType({
    RuleKind.TERMS: terms.SPEC,
    RuleKind.REGEX: regex.SPEC,
    RuleKind.FIELD: field.SPEC,
    RuleKind.PARAGRAPH: paragraph.SPEC,
    RuleKind.NAMES: names.SPEC,
})
