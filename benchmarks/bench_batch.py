"""Batch throughput: cables/s and MB/s for 1 and 2 workers over the corpus, the ratio
2w/1w, peak memory (driver and largest worker), memory as the corpus grows, and the cost
of a rerun that finds everything done.

    python benchmarks/bench_batch.py [--cables DIR] [--rules PATH] [--workers 1 2]

Goals (issue 6): the 5,000-cable corpus in under 60 s with 2 workers; 2 workers at least
1.7x one; memory flat as the corpus grows. Each measurement runs in its own process so
that peak-memory figures do not mix.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "cables"


def measure(cables: str, rules: str | None, workers: int, rerun: bool) -> dict[str, float]:
    """One run (in this process) into a fresh folder; with ``rerun``, a second run over
    the finished folder is timed too."""
    from reviewtool.core.batch.run import run_batch
    from reviewtool.core.batch.types import BatchRequest

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        out = Path(tmp) / "out"
        t0 = time.perf_counter()
        s = run_batch(BatchRequest(cables, [rules] if rules else None, out, workers=workers,
                                   on=date(2026, 11, 23)))
        wall = time.perf_counter() - t0
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = {"cables": s.cables, "failed": len(s.failed), "mb": s.nbytes / 1e6,
                  "wall": wall, "suggestions": s.suggestions,
                  "inconsistent": s.inconsistent_terms,
                  "cpu_self": me.ru_utime + me.ru_stime,
                  "cpu_workers": kids.ru_utime + kids.ru_stime,
                  "load": os.getloadavg()[0]}
        if rerun:
            t0 = time.perf_counter()
            again = run_batch(BatchRequest(cables, [rules] if rules else None, out,
                                           workers=workers, on=date(2026, 11, 23)))
            result["rerun"] = time.perf_counter() - t0
            result["rerun_skipped"] = again.skipped
    # ru_maxrss is in KiB on Linux: this process's peak and the largest child's.
    result["self_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["child_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def child(cables: str, rules: str | None, workers: int, rerun: bool) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--one", str(workers), "--cables", cables]
    if rules:
        cmd += ["--rules", rules]
    if rerun:
        cmd.append("--rerun")
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def subset(cables: Path, n: int, into: Path) -> str:
    """The first ``n`` cables as symlinks: the same files, a smaller corpus."""
    into.mkdir()
    for name in sorted(os.listdir(cables))[:n]:
        (into / name).symlink_to(cables / name)
    return str(into)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cables", default=str(CORPUS))
    ap.add_argument("--rules", default=None, help="default: the bundled rules")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--rerun", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.cables, args.rules, args.one, args.rerun)))
        return

    print(f"corpus {args.cables}, rules {args.rules or 'bundled'}, {os.cpu_count()} cores")
    runs = {}
    for w in args.workers:
        r = runs[w] = child(args.cables, args.rules, w, rerun=w == max(args.workers))
        print(f"{w} worker(s): {r['cables']:,} cables ({r['mb']:.1f} MB, {r['failed']} failed) "
              f"in {r['wall']:.1f} s = {r['cables'] / r['wall']:,.1f} cables/s, "
              f"{r['mb'] / r['wall']:.2f} MB/s; peak RSS driver {r['self_rss_mb']:.0f} MB, "
              f"largest worker {r['child_rss_mb']:.0f} MB")
        cpu = r["cpu_self"] + r["cpu_workers"]
        print(f"    CPU {cpu:.1f} s (driver {r['cpu_self']:.1f}, workers {r['cpu_workers']:.1f}): "
              f"{cpu / r['wall']:.2f} cores busy; load average {r['load']:.1f} at the end")
    if 1 in runs and 2 in runs:
        ratio = runs[1]["wall"] / runs[2]["wall"]
        print(f"ratio 2w/1w: {ratio:.2f}x (goal >= 1.7x); 2 workers "
              f"{runs[2]['wall']:.1f} s (goal < 60 s)")
        # Other processes on the machine take cores from the workers; the CPU the run
        # needed says what it would take with both cores free (the slower worker's share
        # plus the driver's serial work, bounded below by half the total).
        two = runs[2]
        free = max((two["cpu_workers"] + two["cpu_self"]) / 2, two["cpu_self"])
        print(f"with both cores free (from CPU time): 2 workers ~{free:.0f} s, ratio "
              f"~{(runs[1]['cpu_self']) / free:.2f}x")
    top = runs[max(args.workers)]
    if "rerun" in top:
        print(f"rerun with everything done: {top['rerun']:.1f} s "
              f"({top['rerun_skipped']:,} skipped)")
    print(f"suggestions {top['suggestions']:,}; inconsistent terms {top['inconsistent']:,}")
    # Memory as the corpus grows: the driver's peak for a fifth of the corpus and all of it.
    n = len(os.listdir(args.cables))
    with tempfile.TemporaryDirectory(prefix="bench-subset-") as tmp:
        small = child(subset(Path(args.cables), n // 5, Path(tmp) / "c"), args.rules,
                      max(args.workers), rerun=False)
    print(f"driver peak RSS: {small['self_rss_mb']:.0f} MB at {n // 5:,} cables, "
          f"{top['self_rss_mb']:.0f} MB at {n:,}; largest worker "
          f"{small['child_rss_mb']:.0f} MB and {top['child_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
