"""One recognizer per rule kind (`base.Recognizer`), and the registry the engine runs.

To add a built-in kind: a module here with a recognizer class, listed in `BUILTIN`
(and its keys validated by the rules stage). A third-party kind needs no change here:
its entry point (group ``reviewtool.recognizers``) provides a `base.PluginRecognizer`.
"""

from __future__ import annotations

from collections.abc import Mapping

from reviewtool.core.rules.kinds import plugins
from reviewtool.core.suggest.recognizers.base import PluginKind, PluginRecognizer, Recognizer
from reviewtool.core.suggest.recognizers.field import FieldRecognizer
from reviewtool.core.suggest.recognizers.names import NamesRecognizer
from reviewtool.core.suggest.recognizers.paragraph import ParagraphRecognizer
from reviewtool.core.suggest.recognizers.regex import RegexRecognizer
from reviewtool.core.suggest.recognizers.terms import TermsRecognizer
from reviewtool.errors import RuleError

BUILTIN: Mapping[str, Recognizer] = {r.kind: r for r in (
    TermsRecognizer(), RegexRecognizer(), FieldRecognizer(), ParagraphRecognizer(),
    NamesRecognizer())}


def recognizer_for(kind: str) -> Recognizer:
    """The recognizer of rule kind ``kind``: a built-in one, else the installed plug-in's;
    `RuleError` when no recognizer has that kind."""
    got = BUILTIN.get(kind)
    if got is not None:
        return got
    plugin = plugins().get(kind)
    if not isinstance(plugin, PluginRecognizer):  # None, or not a recognizer after all
        raise RuleError(f"no recognizer for the rule kind {kind!r} (no installed package "
                        "provides it)")
    return PluginKind(plugin)
