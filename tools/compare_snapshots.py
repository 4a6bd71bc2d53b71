"""Compare two trees written by tools/snapshot_outputs.sh, timestamps aside.

Times (ISO date-times, the batch's elapsed seconds) and what is derived from them (the
audit chain's `hash`/`prev`, seals over a log) are masked; everything else must be equal
byte for byte. File modes are compared separately (modes.txt) and reported, not failed:
the single atomic writer is allowed to change them.

    python tools/compare_snapshots.py BEFORE AFTER
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"), "<TIME>"),
    # The audit chain hashes its events' times; an output event hashes its file, whose
    # seal line names the chain's head.
    (re.compile(r'"(hash|prev|sha256)":"[0-9a-f]{64}"'), r'"\1":"<H>"'),
    (re.compile(r"last [0-9a-f]{64}"), "last <H>"),
    (re.compile(r"'[0-9a-f]{64}'\)"), "'<H>')"),
    # Review time and batch speed.
    (re.compile(r"\b\d+:\d\d:\d\d\b"), "<DUR>"),
    (re.compile(r"[0-9.]+ (s|cables/s|MB/s)\b"), r"<N> \1"),
]


def norm(data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    for rx, repl in MASKS:
        text = rx.sub(repl, text)
    return text.encode("utf-8", "surrogateescape")


def files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def main(a: str, b: str) -> int:
    ra, rb = Path(a), Path(b)
    fa, fb = files(ra), files(rb)
    bad = 0
    for name in sorted(fa ^ fb):
        print(f"only in {'before' if name in fa else 'after'}: {name}")
        bad += 1
    for name in sorted(fa & fb):
        if name == "modes.txt":
            continue
        x, y = (ra / name).read_bytes(), (rb / name).read_bytes()
        if x != y and norm(x) != norm(y):
            print(f"differs: {name}")
            bad += 1
    modes_a = (ra / "modes.txt").read_text().splitlines() if "modes.txt" in fa else []
    modes_b = (rb / "modes.txt").read_text().splitlines() if "modes.txt" in fb else []
    changed = sorted(set(modes_a) ^ set(modes_b))
    if changed:
        print(f"file modes changed ({len(changed)} lines), e.g.:", *changed[:6], sep="\n  ")
    print(f"{len(fa & fb)} files compared, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
