"""How fast the review app answers: open time and time per key over a scripted walk.

Goals (issue 5): opening a cable under 300 ms; moving between paragraphs and deciding
a suggestion on a 100 KB cable under 50 ms of the app's own work, measured as CPU time
(process time) per key from the press until the screen is redrawn: the Pilot's waits
for the app to go idle are sleeps and are not the app's work. The walk runs with
Textual's Pilot (real key presses, headless) on 05PARIS174 (the baseline) and on a
~100 KB cable built from corpus paragraphs (the corpus has none that large), and prints
each figure with its ratio to the baseline measured in the same run.

    python benchmarks/bench_tui.py [--rules PATH] [--keys N]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewtool.core.cables import parse_cable, read_cable  # noqa: E402
from reviewtool.tui.app import create_app, default_rules_path  # noqa: E402

SAMPLE = ROOT / "sample_cables" / "05PARIS174.txt"
CORPUS = ROOT.parent / "shared" / "corpus" / "cables"
PARA = re.compile(r"^\s*\d{1,3}\.\s*\((?:S//NF|S/NF|S|C|C/NF|U|SBU)\)\s", re.M)


def big_cable_text(target: int = 100_000) -> str:
    """05PARIS174's header, then marked paragraphs of corpus cables (sorted by name,
    renumbered) until the text reaches ``target`` characters, then the signer."""
    seed = read_cable(SAMPLE)
    head = seed.text[:seed.header_end]
    body: list[str] = []
    size = len(head)
    n = 0
    sources = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [SAMPLE] * 200
    for path in sources:
        try:
            cable = read_cable(path)
        except Exception:  # noqa: BLE001 - a corpus file the parser refuses: skip it
            continue
        for p in cable.paragraphs:
            if p.number is None or p.written is None or p.marking is None:
                continue
            text = " ".join(cable.text[p.text_start:p.end].split())
            if len(text) < 200:
                continue
            n += 1
            piece = f"{n}. ({p.marking.format('/')}) {text}\n\n"
            body.append(piece)
            size += len(piece)
            if size >= target:
                return head + "".join(body) + "Leach\n"
    return head + "".join(body) + "Leach\n"


def fixed_clock() -> datetime:
    return datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


async def walk(path: Path, rules: list[Path], keys: int) -> dict[str, list[float]]:
    """Open the cable in a fresh review folder, then press a scripted walk of keys;
    return the open time and the time of each key by kind."""
    from reviewtool.tui.screens.review import ReviewScreen

    times: dict[str, list[float]] = {"open": [], "reopen": [], "noop": [], "move": [],
                                     "decide": [], "suggestion": []}
    with tempfile.TemporaryDirectory() as tmp:
        # Open: CPU time from the factory (rules, parse) through the engine, the review
        # store and the first drawing of the review screen.
        c0 = time.process_time()
        app = create_app(path, rules=rules, reviewer="bench", review_dir=tmp,
                         clock=fixed_clock, keymap={}, blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            while not isinstance(app.screen, ReviewScreen):
                await pilot.pause(0.005)
            times["open"].append(time.process_time() - c0)
            # "noop" is an unbound key: the Pilot's and Textual's own cost of a key press,
            # subtracted below to give the app's work.
            script = [("move", "j"), ("suggestion", "l"), ("decide", "a"), ("decide", "x"),
                      ("noop", "f12"), ("move", "j"), ("decide", "u"), ("move", "k"),
                      ("suggestion", "h"), ("noop", "f12")]
            for i in range(keys):
                kind, key = script[i % len(script)]
                # The app's own work: CPU time (the Pilot's waits for idle are sleeps)
                # from the key press until the screen is redrawn.
                c = time.process_time()
                await pilot.press(key)
                await pilot.pause()
                times[kind].append(time.process_time() - c)
            # Open in a running app (what opening a cable from the queue costs): the
            # engine, the review store (resumed) and the new screen's first drawing.
            for _ in range(3):
                before = app.screen
                app.workspace.close()
                app.workspace._suggestions.clear()
                c = time.process_time()
                app.open_entry(app.workspace.entries[0])
                await pilot.pause()
                while app.screen is before:
                    await pilot.pause(0.005)
                times["reopen"].append(time.process_time() - c)
    return times


def report(name: str, times: dict[str, list[float]], base: dict[str, list[float]] | None):
    print(f"\n{name}")
    for kind, values in times.items():
        if not values:
            continue
        med = statistics.median(values) * 1000
        p95 = sorted(values)[int(len(values) * 0.95) - 1 if len(values) > 1 else 0] * 1000
        line = f"  {kind:<11} median {med:7.1f} ms   p95 {p95:7.1f} ms   n={len(values)}"
        if base and base.get(kind):
            line += f"   x{med / (statistics.median(base[kind]) * 1000):.2f} of baseline"
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", action="append", type=Path, default=None)
    ap.add_argument("--keys", type=int, default=80)
    args = ap.parse_args()
    rules = args.rules or [default_rules_path()]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "BIG100K.txt"
        big.write_text(big_cable_text(), encoding="utf-8")
        cable = parse_cable(big.read_text(encoding="utf-8"))
        print(f"big cable: {len(cable.text):,} characters, {len(cable.paragraphs)} paragraphs")
        base = asyncio.run(walk(SAMPLE, rules, args.keys))
        report(f"baseline {SAMPLE.name}", base, None)
        times = asyncio.run(walk(big, rules, args.keys))
        report("100 KB cable", times, base)
    noop = statistics.median(times["noop"]) * 1000
    move = statistics.median(times["move"]) * 1000 - noop
    decide = statistics.median(times["decide"]) * 1000 - noop
    print(f"\ngoals on the 100 KB cable, the app's own work (key minus an unbound key, "
          f"{noop:.1f} ms):\n  move between paragraphs {move:.1f} ms, decide {decide:.1f} ms "
          f"(goal < 50)\n  open a cable in the running app "
          f"{statistics.median(times['reopen']) * 1000:.0f} ms (goal < 300); cold start of the "
          f"app with it {statistics.median(times['open']) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
