"""Suggestion-engine throughput over the real corpus (issue 3's figures).

Prints, for already-parsed cables (parse time is not counted):
- the bundled rules in MB/s (goal: 10 MB/s or more on one core);
- the bundled rules plus 100 vs 10,000 generated person names as exact terms, and the
  ratio (goal: 10,000 costs less than 2x of 100);
- the same with fuzzy matching on (goal: 2 MB/s or more with 10,000 names);
- a baseline in the same run (one regex pass over the words of the text), so figures
  from different machines can be compared as ratios.

Usage: python benchmarks/bench_engine.py [--corpus DIR] [--limit N] [--every K]
The default is the whole corpus; pass --every K to take every K-th cable (a sample)
when the full run would take too long, and the output says so. Times are CPU time of
this process (one core), so other load on a shared machine does not count.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewtool.core.cable.model import Cable  # noqa: E402
from reviewtool.core.cable.read import read_cable  # noqa: E402
from reviewtool.core.rules.load import bundled_rules_path, load_rules  # noqa: E402
from reviewtool.core.rules.model import RuleSet  # noqa: E402
from reviewtool.core.suggest.engine import suggest  # noqa: E402
from reviewtool.errors import ReviewToolError  # noqa: E402

LOCALES = ["en_US", "fr_FR", "de_DE", "es_ES", "it_IT", "pt_BR", "nl_NL", "pl_PL"]


def person_names(n: int, seed: int = 1234) -> list[str]:
    fake = Faker(LOCALES)
    Faker.seed(seed)
    out: dict[str, None] = {}
    while len(out) < n:
        out[f"{fake.first_name()} {fake.last_name()}"] = None
    return list(out)


def names_rules(names: list[str], fuzzy: bool, folder: Path) -> RuleSet:
    (folder / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    (folder / "names.yaml").write_text(
        "ruleset: bench-names\nrules:\n  - id: bench.names\n    kind: terms\n"
        "    terms_file: names.txt\n    codes: [B6]\n    reason: generated names\n"
        + ("    fuzzy: 88\n" if fuzzy else ""), encoding="utf-8")
    return load_rules([bundled_rules_path(), folder / "names.yaml"])


def timed(cables: list[Cable], rules: RuleSet) -> tuple[float, int]:
    suggest(cables[0], rules)  # compile the matchers outside the timing
    t0 = time.process_time()
    n = sum(len(suggest(c, rules)) for c in cables)
    return time.process_time() - t0, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/cables")
    ap.add_argument("--limit", type=int, default=0, help="at most N cables")
    ap.add_argument("--every", type=int, default=1, help="take every K-th cable")
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*.txt"))[:: args.every]
    if args.limit:
        files = files[: args.limit]
    cables = []
    for f in files:
        try:
            cables.append(read_cable(f))
        except ReviewToolError:
            pass
    mb = sum(len(c.text.encode("utf-8")) for c in cables) / 1e6
    sample = "" if args.every == 1 and not args.limit else " (a sample of the corpus)"
    print(f"{len(cables)} cables, {mb:.1f} MB{sample}")
    # CPU time is counted, but a loaded machine still slows it (shared caches, clock).
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} cores")

    words = re.compile(r"\w+")
    t0 = time.process_time()
    for c in cables:
        for _ in words.finditer(c.text):
            pass
    base = time.process_time() - t0
    print(f"baseline (one regex pass over the words): {mb / base:8.2f} MB/s")

    bundled = load_rules([bundled_rules_path()])
    t, n = timed(cables, bundled)
    print(f"bundled rules:                            {mb / t:8.2f} MB/s  "
          f"({n} suggestions; {t / base:.1f}x the baseline's time)   goal >= 10 MB/s")

    n100, n10k = person_names(100), person_names(10_000)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fuzzy in (False, True):
            for label, names in (("100", n100), ("10,000", n10k)):
                folder = Path(tmp) / f"{label}-{fuzzy}".replace(",", "")
                folder.mkdir()
                t, n = timed(cables, names_rules(names, fuzzy, folder))
                results[(fuzzy, label)] = t
                kind = "fuzzy" if fuzzy else "exact"
                print(f"bundled + {label:>6} names, {kind}:        {mb / t:8.2f} MB/s  "
                      f"({n} suggestions)")
    exact = results[(False, "10,000")] / results[(False, "100")]
    fuzzy = results[(True, "10,000")] / results[(True, "100")]
    print(f"ratio 10,000 / 100 names, exact: {exact:.2f}x   goal < 2x")
    print(f"ratio 10,000 / 100 names, fuzzy: {fuzzy:.2f}x")
    print(f"fuzzy with 10,000 names: {mb / results[(True, '10,000')]:.2f} MB/s   goal >= 2 MB/s")
    print("load average at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
