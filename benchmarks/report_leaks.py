"""How many (b)(6) strings the tool suggests stand in clear in the reports of a run
(issue 16, item 1): the figure before and after the fix.

    python benchmarks/report_leaks.py --rules rules --cables sample_cables --out DIR

``DIR`` is the output folder of ``reviewtool apply --accept-all --out DIR CABLES`` or of
``reviewtool batch --mode draft --out DIR CABLES``. Every cable under ``--cables`` is
suggested again with the same rules; each (b)(6) suggestion's text (its words, case
ignored) is looked for in every ``report.md``/``*.report.md`` and ``.html`` (HTML
unescaped, Markdown backslash escapes removed) under ``DIR``, and with ``--logs`` in
every audit log (``*.audit.jsonl``); a string some release copy (``*.txt``) shows is
not counted: the report only repeats what is released. Prints the strings found, then
one summary line: strings, distinct strings and cables whose strings show. Exit 1 if
any shows.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

from reviewtool import load_rules, read_cable, suggest


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.casefold()))


MAX_WORDS = 8


def _grams(path: Path) -> set[tuple[str, ...]]:
    """Every run of up to `MAX_WORDS` words of a file (a string shows in it when its
    words do, in order; punctuation and spacing between them do not matter)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    elif path.suffix == ".jsonl":
        text = "\n".join(json.dumps(json.loads(line), ensure_ascii=False)
                          for line in text.splitlines() if line.strip())
    w = _words(re.sub(r"\\(.)", r"\1", text))
    return {w[i:i + n] for n in range(1, MAX_WORDS + 1) for i in range(len(w) - n + 1)}


def b6_strings(cables: Path, rules: Path) -> dict[str, set[str]]:
    """Each cable's (b)(6) suggested texts (folded), by cable id."""
    ruleset = load_rules([rules])
    out: dict[str, set[str]] = {}
    for path in sorted(p for p in cables.rglob("*") if p.is_file()):
        cable = read_cable(path)
        texts = {" ".join(_words(s.text)) for s in suggest(cable, ruleset)
                 if "(b)(6)" in s.codes}
        out[cable.id or path.stem] = {t for t in texts if len(t) >= 3}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", type=Path, required=True)
    ap.add_argument("--cables", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--quiet", action="store_true", help="only the summary line")
    ap.add_argument("--logs", action="store_true",
                    help="also look in the audit logs (*.audit.jsonl; issue 16 item 5)")
    a = ap.parse_args(argv)
    reports = sorted(p for p in a.out.rglob("*") if p.is_file()
                     and p.name.endswith(("report.md", "report.html")
                                                + ((".audit.jsonl",) if a.logs else ())))
    grams = [(p, _grams(p)) for p in reports]
    # A set's report may show a word another cable's copy releases (the "mosaic" risk the
    # consistency scan lists): that is not the report's leak.
    released: set[tuple[str, ...]] = set()
    for p in a.out.rglob("*.txt"):
        released |= _grams(p)
    found = 0
    distinct: set[str] = set()
    cables: set[str] = set()
    for cid, strings in b6_strings(a.cables, a.rules).items():
        for s in sorted(strings):
            key = tuple(s.split()[:MAX_WORDS])
            hits = [p for p, g in grams if key in g] if key not in released else []
            if hits:
                found += 1
                distinct.add(s)
                cables.add(cid)
                if not a.quiet:
                    print(f"{cid}: {s!r} in {', '.join(p.name for p in hits)}")
    print(f"{found} (b)(6) string(s) in clear in {len(reports)} file(s): "
          f"{len(distinct)} distinct, from {len(cables)} cable(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
