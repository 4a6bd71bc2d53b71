"""``reviewtool batch``: apply rule sets to a whole folder of cables (see core/batch/run.py).

Progress goes to stderr (a rich bar on a terminal, nothing otherwise or with
``--quiet``); the summary goes to stdout; each failed cable is one line on stderr and in
OUT/errors.jsonl. Exit status 1 when any cable failed.
"""

from __future__ import annotations

import argparse
import getpass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reviewtool.cli.common import Exit, add_rules_option, error
from reviewtool.core.batch.run import run_batch
from reviewtool.core.batch.types import (
    DEFAULT_TIMEOUT,
    BatchRequest,
    BatchSummary,
    Executor,
    Mode,
)

if TYPE_CHECKING:
    from rich.progress import TaskID

SHOWN_FAILURES = 10


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {value!r}")
    return n


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "batch", help="apply rule sets to a whole folder of cables (triage, drafts, report)",
        description="Run the rule sets over every cable under CABLES_DIR and write per-cable "
        "suggestions (and in draft mode draft release copies, audit logs and a review "
        "folder), triage.csv, errors.jsonl, consistency.csv and a corpus report "
        "(report.md, report.html) into OUT. Rerunning skips cables already done with the "
        "same content, rules, mode and date.")
    p.add_argument("cables_dir", metavar="CABLES_DIR", help="folder of cable files (recursive)")
    add_rules_option(p)
    p.add_argument("--out", required=True, metavar="OUT", help="output folder")
    p.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help="worker processes (default: one per core)")
    p.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.SUGGEST.value,
                   help="suggest: suggestions and triage; draft: also a draft release copy "
                   "with every suggestion the rule sets' policy admits accepted, awaiting "
                   "review (default: suggest)")
    p.add_argument("--executor", choices=[e.value for e in Executor],
                   default=Executor.LOCAL.value,
                   help="local process pool, or a Dask distributed cluster (default: local)")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask; "
                   "the workers need reviewtool installed; cables and rules are sent to them)")
    p.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD",
                   help="judge declassification status on this date (default: today)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on a cable after this long and record it in errors.jsonl "
                   f"(default: {DEFAULT_TIMEOUT:g}; 0 for no limit; local executor only)")
    p.add_argument("--reviewer", default=None, metavar="NAME",
                   help="who the draft decisions are recorded under (default: login name)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.executor == Executor.DASK and not args.scheduler:
        error("--executor dask needs --scheduler ADDR")
        return Exit.USAGE
    if args.scheduler and args.executor != Executor.DASK:
        error("--scheduler is only used with --executor dask")
        return Exit.USAGE
    progress = None if args.quiet else RichProgress.for_terminal()
    try:
        summary = run_batch(BatchRequest(
            args.cables_dir, args.rules, args.out, workers=args.workers, mode=args.mode,
            executor=args.executor, scheduler=args.scheduler, on=args.on,
            timeout=args.timeout or None, reviewer=args.reviewer or _login()), progress)
    finally:
        if progress is not None:
            progress.close()
    for f in summary.failed[:SHOWN_FAILURES]:
        error(f"{Path(args.cables_dir) / f.file}: {f.reason}")
    if len(summary.failed) > SHOWN_FAILURES:
        error(f"... and {len(summary.failed) - SHOWN_FAILURES} more, all in "
              f"{summary.out_dir / 'errors.jsonl'}")
    if not args.quiet:
        print(describe(summary, args))
    return Exit.FAILED if summary.failed else Exit.OK


def describe(s: BatchSummary, args: argparse.Namespace) -> str:
    lines = [
        f"{s.cables:,} cables: {s.ok:,} done ({s.processed - len(s.failed):,} now, "
        f"{s.skipped:,} already done), {len(s.failed):,} failed",
        f"{s.suggestions:,} suggestions"
        + (f", {s.withheld:,} accepted in drafts" if s.mode == Mode.DRAFT else "")
        + f"; {s.inconsistent_terms:,} terms withheld in one place and unredacted in another",
    ]
    if s.mode == Mode.DRAFT:
        rules = "".join(f" --rules {r}" for r in args.rules or ())
        lines.append(f"{s.drafts_written:,} draft release copies written, {s.drafts_refused:,} "
                     "refused by the leak check (listed in the report); to confirm them: "
                     f"reviewtool review {args.cables_dir}{rules} --review-dir "
                     f"{s.out_dir / 'review'}")
    if s.processed:
        lines.append(f"{s.processed:,} cables in {s.seconds:,.1f} s: "
                     f"{s.cables_per_second:,.1f} cables/s, {s.mb_per_second:,.2f} MB/s")
    lines.append(f"report: {s.report_md}  {s.report_html}")
    return "\n".join(lines)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "batch"


class RichProgress:
    """The batch's progress on stderr: cables done, MB/s, time left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description:<11}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("cables"), TextColumn("{task.fields[mbs]:>7.2f} MB/s"),
            TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True), transient=False)
        self._task: TaskID | None = None
        self._bytes = 0
        self._started = False

    @classmethod
    def for_terminal(cls) -> RichProgress | None:
        """A bar when stderr is a terminal; scripts and logs get none."""
        from rich.console import Console

        return cls() if Console(stderr=True).is_terminal else None

    def start(self, phase: str, total: int, total_bytes: int) -> None:
        import time

        if not self._started:
            self._progress.start()
            self._started = True
        self._bytes = 0
        self._t0 = time.perf_counter()
        self._task = self._progress.add_task(phase, total=total, mbs=0.0)

    def advance(self, cables: int, nbytes: int) -> None:
        import time

        if self._task is None:
            return
        self._bytes += nbytes
        secs = time.perf_counter() - self._t0
        self._progress.update(self._task, advance=cables,
                              mbs=self._bytes / 1e6 / secs if secs > 0 else 0.0)

    def done(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[-1]
            self._progress.update(self._task, completed=task.total)

    def close(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False
