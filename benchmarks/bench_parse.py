"""Parse throughput over the corpus (MB/s), against a baseline in the same run.

The baseline is the cost of reading the text and splitting it into lines, which any
parser pays; the ratio says how much the parser costs on top. Run:
    python benchmarks/bench_parse.py [CABLES_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.cable.read import decode_cable_bytes

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cables"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("cables", nargs="?", default=str(DEFAULT))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = sorted(Path(args.cables).glob("*.txt"))
    if not paths:
        print(f"no cables in {args.cables}", file=sys.stderr)
        return 1
    texts = [decode_cable_bytes(p.read_bytes(), str(p)) for p in paths]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    base, parse = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for t in texts:
            t.splitlines()
        base.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            parse_cable(t)
        parse.append(time.perf_counter() - t0)
    best = min(parse)
    print(f"cables: {len(texts)}  size: {mb:.1f} MB  repeats: {args.repeat} (one core)")
    print(f"parse:    best {best:.2f} s  median {statistics.median(parse):.2f} s  "
          f"{mb / best:.1f} MB/s")
    print(f"baseline: splitlines best {min(base):.3f} s; parse costs "
          f"{best / max(min(base), 1e-9):.0f}x the baseline")
    print(f"goal: whole corpus under 10 s -> {'met' if best < 10 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
