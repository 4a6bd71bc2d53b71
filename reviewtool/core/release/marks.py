"""What stands in the copy for what is withheld: marks, the stamp's code order, and the
banner line.

A mark never reveals the length of what it hides unless a length-preserving copy is
asked for (then it keeps the hidden text's line breaks, so the layout is kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from reviewtool.core.cable.codes import code_sort_key, short_code
from reviewtool.core.release.model import STYLES, MarkStyle
from reviewtool.errors import ReviewError

WIKILEAKS_MARK = "XXXXXXXXXXXX"
BLOCK = "\u2588" * 6


def check_style(style: str) -> MarkStyle:
    """The mark style named ``style``; `ReviewError` listing the styles otherwise."""
    if style not in STYLES:
        raise ReviewError(f"unknown mark style {style!r} (one of {', '.join(STYLES)})")
    return MarkStyle(style)


def stamp_order(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes in the order of a State stamp: B1 then its 1.4 reasons and 25X/50X, then
    the other exemptions (``B1, 1.4(B), 1.4(D), B6``)."""
    uniq = list(dict.fromkeys(codes))
    b1 = [c for c in uniq if short_code(c) == "B1"]
    eo = [c for c in uniq if re.match(r"(1\.4|25X|50X)", short_code(c))]
    rest = [c for c in uniq if c not in b1 and c not in eo]
    return tuple(b1 + sorted(eo, key=code_sort_key) + sorted(rest, key=code_sort_key))


def short_codes(codes: Iterable[str]) -> str:
    """Codes as a stamp lists them: ``B1, 1.4(D), B6``."""
    return ", ".join(short_code(c) for c in stamp_order(codes))


def mark_for(codes: Sequence[str], style: str = "state", *, length: int | None = None,
             hidden: str = "") -> str:
    """The mark that replaces a withheld span. It never reveals the length of what it
    hides unless ``length`` is given (length-preserving marks keep line breaks)."""
    kind = check_style(style)
    label = " ".join(short_code(c) for c in stamp_order(codes))
    if length is None:
        if kind == MarkStyle.STATE:
            return f"[{label}]"
        return f"[{BLOCK} {label}]" if kind == MarkStyle.BLOCK else WIKILEAKS_MARK
    n = length
    if kind == MarkStyle.WIKILEAKS:
        base = "X" * n
    else:  # the label, then blocks up to the hidden length, inside the brackets
        base = ("[" + label + "\u2588" * max(n - len(label) - 2, 0) + "]")
        base = base if len(base) <= n else base[:n]  # a label longer than the text is cut
    # line breaks stay where they were, so the layout of the copy is kept
    return "".join("\n" if i < len(hidden) and hidden[i] == "\n" else ch
                   for i, ch in enumerate(base))


def withheld_text(codes: Sequence[str]) -> str:
    return "[Paragraph withheld: " + short_codes(codes) + "]"


class _Keep(dict[str, object]):
    """Template values in which an unknown field stays as written (``{x}``)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_banner(settings: Mapping[str, object], *, reviewer: str, cable_id: str,
                  when: date, classification: str) -> str:
    """The banner line from the review's template (``{classification}``, ``{case_no}``,
    ``{doc_no}``, ``{date}``, ``{reviewer}``, ``{cable}``); unknown fields stay as written."""
    template = str(settings.get("banner") or "")
    fmt = str(settings.get("date_format") or "%m/%d/%Y")
    values = {**{k: (v if v not in ("", None) else "-") for k, v in settings.items()
                 if isinstance(v, str | int | None)},
              "classification": classification, "date": when.strftime(fmt),
              "reviewer": reviewer, "cable": cable_id}
    try:
        line = template.format_map(_Keep(values))
    except (ValueError, IndexError) as exc:
        raise ReviewError(f"banner template is not valid: {exc}") from None
    return re.sub(r"[ \t]+", " ", line).strip()
