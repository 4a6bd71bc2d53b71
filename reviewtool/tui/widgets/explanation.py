"""The explanation panel: why the focused span is suggested, and what was decided.

Shows rule, rule set, reason, codes, matched term, fuzzy score, context words and the
match a propagated name was derived from; then the decision, its reviewer and note.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from reviewtool.core.cable.model import Cable
from reviewtool.core.suggest.model import Derived
from reviewtool.tui.view import Item, code_background


def _codes(codes: tuple[str, ...]) -> Text:
    bg = code_background(codes)
    return Text(" " + " ".join(codes) + " " if codes else " no code ", f"black on {bg}")


def _derived(d: Derived, cable: Cable | None) -> str:
    """Where a derived match came from: ``'David Bertolotti' in ¶1`` (with the cable),
    else as the JSON says it (``'David Bertolotti' at 1345``)."""
    if cable is None:
        return d.describe()
    p = cable.paragraph_at(d.start)
    where = p.label if p else f"line {cable.line_of(d.start)}"
    return f"{d.source()} in {where}"


def explain(item: Item | None, position: tuple[int, int], paragraph_note: str | None,
            cable: Cable | None = None) -> Text:
    """The panel's text for ``item`` (``position`` is (n, of))."""
    out = Text()
    if item is None:
        out.append("No suggestion in this paragraph. ", "italic")
        out.append("m marks text to redact; f releases the paragraph, w withholds it.")
        if paragraph_note:
            out.append(f"\nnote: {paragraph_note}", "italic")
        return out
    n, of = position
    out.append("▶ ", "bold")
    out.append(f"“{_one_line(item.text)}”", "bold")
    out.append("  ")
    out.append_text(_codes(item.codes))
    out.append(f"  {item.state}", "bold")
    out.append(f"  ({n} of {of} here)", "dim")
    s = item.suggestion
    if s is not None:
        out.append(f"  score {s.score:.2f}", "dim")
        last_reason = None
        for c in s.contributions:
            out.append("\n  ")
            out.append(c.rule, "bold")
            out.append(f"  ({c.ruleset}, {c.kind})  ")
            out.append(" ".join(c.codes))
            out.append(f"\n    matched “{_one_line(c.matched)}”")
            if c.fuzzy is not None:
                out.append(f"  fuzzy {c.fuzzy:.0f}", "bold")
            if c.context:
                out.append(f"  context: {', '.join(c.context)}")
            if c.derived is not None:
                out.append(f"\n    derived from {_derived(c.derived, cable)}", "italic")
            if c.reason and c.reason != last_reason:
                out.append(f"\n    reason: {c.reason}", "italic")
            last_reason = c.reason
    else:
        out.append("\n  manual redaction", "italic")
    d = item.decision
    if d is not None:
        who = getattr(d, "reviewer", None)
        when = getattr(d, "time", None)
        if when is not None and hasattr(when, "strftime"):
            when = when.strftime("%Y-%m-%d %H:%M")
        bits = [b for b in (_word(getattr(d, "status", "")), who and f"by {who}",
                            when and f"at {when}") if b]
        if bits:
            out.append("\n  " + " ".join(bits), "dim")
        note = getattr(d, "note", None)
        if note:
            out.append(f"\n  note: {note}", "italic")
    return out


def _word(status: str) -> str:
    return {"accept": "accepted", "reject": "rejected"}.get(status, status)


def _one_line(s: str, limit: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


class ExplanationPanel(Static):
    """Holds the explanation of the focused span."""
