"""How fast the review app answers: open time and time per key over a scripted walk.

Goals (issue 5): opening a cable under 300 ms; moving between paragraphs and deciding
a suggestion on a 100 KB cable under 50 ms of the app's own work, measured as CPU time
(process time) per key from the press until the screen is redrawn: the Pilot's waits
for the app to go idle are sleeps and are not the app's work. The walk runs with
Textual's Pilot (real key presses, headless) on 05PARIS174 (the baseline) and on a
~100 KB cable built from corpus paragraphs (the corpus has none that large), and prints
each figure with its ratio to the baseline measured in the same run.

Opening is measured three ways: ``open`` is the cold start of the app on a new review
(rules, parse, engine, review store created, first drawing); ``reopen`` opens the cable
again in the running app (its review resumed from the store, the review screen updated
in place); ``queue open`` / ``queue reopen`` open it from the queue of a folder, first as a
new review (its suggestions already computed by the queue's counting worker), then
resumed after going back to the queue (the review screen composed once and shown again).

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

from reviewtool.core.cable.parse import parse_cable  # noqa: E402
from reviewtool.core.cable.read import read_cable  # noqa: E402
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
            # review store resumed (a begun review does not run the engine: it keeps the
            # suggestions it began with) and the review screen drawn with it.
            for _ in range(3):
                app.workspace.close()
                app.workspace._suggestions.clear()
                c = time.process_time()
                app.open_entry(app.workspace.entries[0])
                review = next(iter(app.workspace.reviews.values()))
                await pilot.pause()
                while not (isinstance(app.screen, ReviewScreen) and app.screen.is_mounted
                           and app.screen.review is review):
                    await pilot.pause(0.005)
                times["reopen"].append(time.process_time() - c)
    return times


async def walk_queue(paths: list[Path], rules: list[Path]) -> dict[str, list[float]]:
    """A folder of cables started on the queue: open the last cable from the queue (its
    suggestions precomputed by the queue's counting worker), back to the queue, open it
    again (the review resumed, the review screen reused); the counting worker is let
    finish between opens so that only the opening is measured."""
    from reviewtool.tui.screens.queue import QueueScreen
    from reviewtool.tui.screens.review import ReviewScreen

    times: dict[str, list[float]] = {"queue open": [], "queue reopen": []}
    with tempfile.TemporaryDirectory() as cables, tempfile.TemporaryDirectory() as tmp:
        for p in paths:
            (Path(cables) / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
        app = create_app(cables, rules=rules, reviewer="bench", review_dir=tmp,
                         clock=fixed_clock, keymap={}, blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            entry = next(e for e in app.workspace.entries if e.path.name == paths[-1].name)
            for n in range(4):
                while not isinstance(app.screen, QueueScreen):
                    await pilot.pause(0.005)
                await app.workers.wait_for_complete()
                await pilot.pause()
                c = time.process_time()
                app.open_entry(entry)
                review = next(iter(app.workspace.reviews.values()))
                await pilot.pause()
                while not (isinstance(app.screen, ReviewScreen) and app.screen.is_mounted
                           and app.screen.review is review):
                    await pilot.pause(0.005)
                times["queue open" if n == 0 else "queue reopen"].append(
                    time.process_time() - c)
                await pilot.press("escape")
                app.workspace.close()
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
        queue = asyncio.run(walk_queue([SAMPLE, big], rules))
        report("100 KB cable opened from the queue (folder of it and the baseline)", queue,
               None)
    noop = statistics.median(times["noop"]) * 1000
    move = statistics.median(times["move"]) * 1000 - noop
    decide = statistics.median(times["decide"]) * 1000 - noop
    print(f"\ngoals on the 100 KB cable, the app's own work (key minus an unbound key, "
          f"{noop:.1f} ms):\n  move between paragraphs {move:.1f} ms, decide {decide:.1f} ms "
          f"(goal < 50)\n  open a cable in the running app "
          f"{statistics.median(times['reopen']) * 1000:.0f} ms, from the queue "
          f"{statistics.median(queue['queue open']) * 1000:.0f} ms (new review), "
          f"{statistics.median(queue['queue reopen']) * 1000:.0f} ms (resumed) (goal < 300)\n"
          f"  cold start of the app with it (new review) "
          f"{statistics.median(times['open']) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
