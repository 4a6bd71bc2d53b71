"""Batch: apply rule sets to a whole archive of cables, resumably, on one machine or many.

`run_batch(BatchRequest(cables_dir, rules_paths, out_dir, ...))` walks ``cables_dir`` as
a stream (sorted, hidden files skipped), runs parse + `suggest` (and in ``draft`` mode the
draft release copy) in a process pool or on a Dask cluster, and writes, in walk order::

    OUT/cables/<id>.suggestions.jsonl   the ``suggest --json`` objects
    OUT/cables/<id>.txt, <id>.audit.jsonl   draft mode: draft release copy and its log
    OUT/review/                         draft mode: the review folder `reviewtool review` opens
    OUT/manifest.jsonl                  per cable: content and rules SHA-256, outputs, summary
    OUT/triage.csv, OUT/errors.jsonl, OUT/consistency.csv, OUT/report.md, OUT/report.html

Every file is written atomically (temporary file, then `os.replace`), so an interrupted
run never leaves a half-written output; a rerun skips each cable whose content, rule set,
mode and date match its manifest entry. After the cables, a second pass (the consistency
scan) looks for every withheld term where it stands unredacted; its hits are cached in
``OUT/.consistency-cache.jsonl`` under the manifest's hash. Every output is identical
whatever the number of workers or the executor; timings appear in the report's last
section only.

The run, in steps: check the request, load the rules, count the cables, open the output
folder and its manifest, work on the cables (`_Recorder` records each outcome in walk
order), compact the manifest, feed the report its records, run (or reuse) the
consistency scan, write the report.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from reviewtool.core.batch.consistency import TermIndex, scan_tasks
from reviewtool.core.batch.executors import (
    DaskExecutor,
    LocalExecutor,
    Runner,
    chunks,
    default_workers,
)
from reviewtool.core.batch.manifest import Key, Manifest, ScanCache
from reviewtool.core.batch.report import ReportBuilder
from reviewtool.core.batch.types import (
    FORMAT,
    BatchOptions,
    BatchRequest,
    BatchSummary,
    CableResult,
    CableTask,
    Executor,
    Hits,
    ManifestRecord,
    Mode,
    NullProgress,
    Progress,
    RunFacts,
)
from reviewtool.core.batch.work import load_rules
from reviewtool.core.cable.read import read_cable_bytes
from reviewtool.core.files import remove_temporaries, walk_cables, write_atomic
from reviewtool.core.outputs import SET_REPORT_HTML, SET_REPORT_MD, holds
from reviewtool.core.rules.model import RuleSet
from reviewtool.errors import CableError, ReviewToolError


@dataclass(frozen=True, slots=True)
class _Job:
    """A checked request: the folders as paths, the choices as enums, the defaults
    filled in."""

    root: Path
    out: Path
    mode: Mode
    executor: Executor
    workers: int
    on: date


def run_batch(request: BatchRequest, progress: Progress | None = None) -> BatchSummary:
    """Run ``request`` (see the module docstring), reporting to ``progress``.

    Raises `ReviewToolError` for unusable arguments or rules; a cable that fails is
    recorded in ``errors.jsonl`` and the run goes on."""
    job = _check(request)
    show = progress or NullProgress()
    rules = load_rules(request.rules_paths)
    opts = BatchOptions(job.mode, job.on, request.timeout, rules.sha256, request.reviewer)
    total, total_bytes = _count(job)
    manifest = _open_outputs(job.out)
    recorder = _Recorder(job.out, manifest, opts, show)
    runner = _runner(job, request, rules, opts)
    started = time.perf_counter()
    aborted = True
    try:
        show.start("cables", total, total_bytes)
        tasks = _tasks(job, manifest, _key(opts))
        for results in runner.cables(chunks(tasks, request.chunk_size)):
            for res in results:
                recorder.finish(res)
        seconds = time.perf_counter() - started
        show.done()
        manifest.compact()

        builder = ReportBuilder(job.out, opts, rules)
        for rec in manifest.records():
            builder.add(rec)
        scan_started = time.perf_counter()
        cached = _consistency(job, runner, manifest, builder, show, request.chunk_size * 4)
        scan_seconds = time.perf_counter() - scan_started
        aborted = False
    finally:
        runner.close(abort=aborted)
        manifest.close()
    facts = builder.write(manifest.records, RunFacts(
        processed=recorder.processed, skipped=recorder.skipped, nbytes=recorder.nbytes,
        seconds=seconds, scan_seconds=scan_seconds, scan_cached=cached,
        executor=job.executor, workers=job.workers if job.executor == Executor.LOCAL else None))
    return BatchSummary(
        out_dir=job.out, cables=facts.cables, ok=facts.ok, processed=recorder.processed,
        skipped=recorder.skipped, failed=facts.failed, suggestions=facts.suggestions,
        withheld=facts.withheld, inconsistent_terms=facts.inconsistent_terms,
        drafts_written=facts.drafts_written, drafts_refused=facts.drafts_refused,
        nbytes=recorder.nbytes, seconds=seconds, rules_sha256=opts.rules_sha256,
        mode=job.mode, on=job.on, report_md=job.out / SET_REPORT_MD,
        report_html=job.out / SET_REPORT_HTML)


# --------------------------------------------------------------------------- the steps


def _check(request: BatchRequest) -> _Job:
    """The request checked, before anything is read or written."""
    mode = _choice(Mode, request.mode, "mode")
    executor = _choice(Executor, request.executor, "executor")
    if executor == Executor.DASK and not request.scheduler:
        raise ReviewToolError("the dask executor needs a scheduler address (--scheduler)")
    root = Path(request.cables_dir)
    if not root.exists():
        raise CableError("no such folder", source=str(root))
    if not root.is_dir():
        raise CableError("not a folder of cables", source=str(root))
    out = Path(request.out_dir)
    if out.resolve() == root.resolve():
        raise ReviewToolError("the output folder must not be the cables folder",
                              source=str(out))
    if out.exists() and not out.is_dir():
        raise ReviewToolError("output path exists and is not a folder", source=str(out))
    workers = request.workers or default_workers()
    if workers < 1:
        raise ReviewToolError("the number of workers must be at least 1")
    return _Job(root, out, mode, executor, workers, request.on or date.today())


_E = TypeVar("_E", Mode, Executor)


def _choice(kind: type[_E], value: str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        raise ReviewToolError(f"unknown {what} {value!r} "
                              f"(choose from {', '.join(kind)})") from None


def _count(job: _Job) -> tuple[int, int]:
    """How many cables, and how many bytes, for the progress bar; at least one."""
    total = total_bytes = 0
    skipped: list[Path] = []
    for p in walk_cables(job.root, exclude=job.out, skipped=lambda p, _: skipped.append(p)):
        total += 1
        with contextlib.suppress(OSError):
            total_bytes += p.stat().st_size
    if not total:
        raise CableError("no files in this folder (hidden files are skipped)",
                         source=str(job.root))
    return total + len(skipped), total_bytes


def _open_outputs(out: Path) -> Manifest:
    """The output folder, cleared of what a killed run left half-written, and its
    manifest."""
    out.mkdir(parents=True, exist_ok=True)
    for sub in (out, out / "cables", out / "review"):
        remove_temporaries(sub, (".*.tmp", ".terms-*.pickle"))
    return Manifest(out)


def _runner(job: _Job, request: BatchRequest, rules: RuleSet, opts: BatchOptions) -> Runner:
    if job.executor == Executor.DASK:
        return DaskExecutor(request.scheduler, rules, opts)
    paths = [str(p) for p in request.rules_paths] if request.rules_paths else None
    return LocalExecutor(job.workers, rules, paths, opts, job.out)


def _key(opts: BatchOptions) -> Key:
    """What a manifest record must have been made with for its cable to be done, but the
    cable's content hash: format, rules, mode, date."""
    return (FORMAT, opts.rules_sha256, opts.mode.value, opts.on.isoformat())


def _tasks(job: _Job, manifest: Manifest, key: Key) -> Iterator[CableTask]:
    """The cables in walk order, read one at a time; those done already (same content
    and key, outputs intact) travel without their bytes, to be skipped. What the walk
    leaves out (link loops, FIFOs, devices) and what cannot be read (too large) travel
    as errors, so the run reports them and goes on."""
    left_out: list[CableTask] = []

    def skip(p: Path, why: str) -> None:
        left_out.append(CableTask(p.relative_to(job.root).as_posix(), b"", "",
                                  error=f"skipped: {why}"))

    for p in walk_cables(job.root, exclude=job.out, skipped=skip):
        yield from left_out
        left_out.clear()
        rel = p.relative_to(job.root).as_posix()
        try:
            data = read_cable_bytes(p)
        except CableError as exc:
            yield CableTask(rel, b"", "", error=exc.message)
            continue
        sha = hashlib.sha256(data).hexdigest()
        done = manifest.done(rel, (key[0], sha, *key[1:]))
        yield CableTask(rel, b"", sha, skip=True) if done else CableTask(rel, data, sha)
    yield from left_out


class _Recorder:
    """Records each cable's outcome as it comes back, in walk order: writes its outputs,
    appends its manifest record. An output name belongs to the first file in walk order
    that has it: a later file with the same cable ID is an error, not an overwrite."""

    def __init__(self, out: Path, manifest: Manifest, opts: BatchOptions,
                 progress: Progress) -> None:
        self.out = out
        self.manifest = manifest
        self.opts = opts
        self.progress = progress
        self.names: dict[str, str] = {}  # output name -> the file that owns it
        self.processed = 0
        self.skipped = 0
        self.nbytes = 0

    def finish(self, res: CableResult) -> None:
        error = res.error
        name = res.name
        if res.skipped:
            entry = self.manifest.index[res.file]
            name = entry.name
            if self.names.setdefault(entry.name or res.file, res.file) == res.file:
                entry.seen = True
                self.skipped += 1
                self.progress.advance(1, 0)  # MB/s counts work done, not work skipped
                return
        if error is None and name is not None:
            owner = self.names.setdefault(name, res.file)
            if owner != res.file:
                error = f"same cable ID {name} as {owner}; not processed twice"
        self.manifest.record(self._record(res, error))
        self.processed += 1
        self.nbytes += res.size
        self.progress.advance(1, res.size)

    def _record(self, res: CableResult, error: str | None) -> ManifestRecord:
        """The cable's manifest record; its outputs written first when it is done."""
        rec: ManifestRecord = {
            "file": res.file, "format": FORMAT, "sha256": res.sha256, "size": res.size,
            "rules_sha256": self.opts.rules_sha256, "mode": self.opts.mode.value,
            "on": self.opts.on.isoformat(), "status": "error", "name": None, "outputs": {}}
        if error is not None:
            rec["error"] = error
            return rec
        for rel, data in res.outputs:
            write_atomic(self.out / rel, data, holds(rel))
        rec["status"] = "ok"
        rec["name"] = res.name
        rec["outputs"] = {rel: len(data) for rel, data in res.outputs}
        if res.summary is not None:
            rec["summary"] = res.summary
        return rec


def _consistency(job: _Job, runner: Runner, manifest: Manifest, builder: ReportBuilder,
                 progress: Progress, chunk_size: int) -> bool:
    """Feed ``builder`` where the withheld terms stand unredacted: the cached hits when
    the manifest has not changed since they were found (then True), else a scan."""
    cache = ScanCache(job.out)
    cached = cache.load()
    if cached is not None:  # nothing changed since the last scan: same records, same hits
        for name, hits in cached:
            builder.add_unredacted(name, hits)
        return True
    index = TermIndex.build(builder.terms_withheld())
    tasks = scan_tasks(manifest.records(), job.root, runner.reads_files())
    progress.start("consistency", builder.ok, builder.ok_bytes)
    found: list[tuple[str, Hits]] = []
    for chunk_results in runner.scan(chunks(tasks, chunk_size), index):
        for name, nbytes, hits in chunk_results:
            builder.add_unredacted(name, hits)
            if hits:
                found.append((name, hits))
            progress.advance(1, nbytes)
    progress.done()
    cache.save(found)
    return False
