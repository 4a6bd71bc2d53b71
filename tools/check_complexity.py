"""Fail when a function in the core is too complex to follow (cyclomatic complexity over
20, radon's grades D to F), so the pipeline stays readable as it grows.

    python tools/check_complexity.py [PATH ...]   (default: reviewtool/core)
"""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

LIMIT = 20


def main(paths: list[str]) -> int:
    roots = [Path(p) for p in paths or ["reviewtool/core"]]
    worst: list[tuple[int, str]] = []
    for root in roots:
        for f in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            for block in cc_visit(f.read_text(encoding="utf-8")):
                if block.complexity > LIMIT:
                    name = getattr(block, "fullname", block.name)
                    worst.append((block.complexity,
                                  f"{f}:{block.lineno} {name} {cc_rank(block.complexity)} "
                                  f"({block.complexity})"))
    for _, line in sorted(worst, reverse=True):
        print(line)
    print(f"{len(worst)} function(s) over cyclomatic complexity {LIMIT}")
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
