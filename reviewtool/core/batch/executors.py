# mypy: untyped-calls-exclude=distributed
"""Where the work runs: a local process pool or a Dask distributed cluster.

Both take chunks of tasks (`chunks`), keep a bounded window of them in flight
(`_window`) and yield the chunks' results in input order, so the driver records
everything in walk order whatever the number of workers. Worker functions are top level
so they pickle. (``distributed`` has no type annotations: its calls are exempt from
mypy's check for untyped calls, above, and nothing else is.)
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from reviewtool.core.batch.consistency import TermIndex, scan_cable
from reviewtool.core.batch.types import BatchOptions, CableResult, CableTask, Scanned, ScanTask
from reviewtool.core.batch.work import load_rules, process_cable
from reviewtool.core.files import write_atomic
from reviewtool.core.rules.model import RuleSet
from reviewtool.errors import ReviewToolError

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from distributed import Client

T = TypeVar("T")
F = TypeVar("F")  # what a submitted item is while in flight
R = TypeVar("R")


class Runner(Protocol):
    """What the run needs of an executor."""

    def cables(self, chunks: Iterable[list[CableTask]]) -> Iterator[list[CableResult]]: ...

    def scan(self, chunks: Iterable[list[ScanTask]],
             index: TermIndex) -> Iterator[list[Scanned]]: ...

    def reads_files(self) -> bool:
        """Whether the workers read the cables from this machine's disk themselves."""
        ...

    def close(self, *, abort: bool = False) -> None: ...


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def chunks(tasks: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for t in tasks:
        chunk.append(t)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _window(items: Iterable[T], submit: Callable[[T], F], result: Callable[[F], R],
            depth: int) -> Iterator[R]:
    """Submit ``items`` keeping at most ``depth`` in flight; yield results in input
    order. Bounded: the corpus is never all in memory, whatever its size."""
    pending: deque[F] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= depth:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


# --------------------------------------------------------------------------- worker side


@dataclass(slots=True)
class _WorkerState:
    """A worker process's state: the rules are loaded (or inherited through fork) once
    per process; the scan's term index is read once per scan."""

    setup: tuple[RuleSet, BatchOptions] | None = None
    index: TermIndex | None = None
    index_path: str | None = None


_WORKER = _WorkerState()


def _init_worker(rules: RuleSet | None, rules_paths: Sequence[str] | None,
                 opts: BatchOptions, pooled: bool = False) -> None:
    if pooled:
        # Ctrl-C goes to the whole process group: the driver stops the pool; a worker
        # must not die on it mid-task and print a traceback of its own.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if rules is None:
        rules = load_rules(rules_paths)
    _WORKER.setup = (rules, opts)


def _pool_chunk(tasks: list[CableTask]) -> list[CableResult]:
    if _WORKER.setup is None:
        raise RuntimeError("batch worker used before _init_worker")
    rules, opts = _WORKER.setup
    return [process_cable(t, rules, opts) for t in tasks]


def _dask_chunk(tasks: list[CableTask], rules: RuleSet,
                opts: BatchOptions) -> list[CableResult]:
    return [process_cable(t, rules, opts) for t in tasks]


def _pool_scan(tasks: list[ScanTask], index_path: str) -> list[Scanned]:
    if _WORKER.index is None or _WORKER.index_path != index_path:
        with open(index_path, "rb") as f:
            _WORKER.index = pickle.load(f)
        _WORKER.index_path = index_path
    index = _WORKER.index
    return [scan_cable(t, index) for t in tasks]


def _dask_scan(tasks: list[ScanTask], index: TermIndex) -> list[Scanned]:
    return [scan_cable(t, index) for t in tasks]


# --------------------------------------------------------------------------- executors


class LocalExecutor:
    """One process per worker (``fork`` where available, so the loaded rules are shared
    copy-on-write); one worker runs in this process, with no pool at all."""

    def __init__(self, workers: int, rules: RuleSet, rules_paths: Sequence[str] | None,
                 opts: BatchOptions, scratch: Path) -> None:
        self.workers = workers
        self.scratch = scratch
        self.pool: Pool | None = None
        if workers > 1:
            import multiprocessing as mp

            methods = mp.get_all_start_methods()
            ctx = mp.get_context("fork" if "fork" in methods else None)
            inherit = ctx.get_start_method() == "fork"
            self.pool = ctx.Pool(workers, _init_worker,
                                 (rules if inherit else None, rules_paths, opts, True))
        else:
            _init_worker(rules, rules_paths, opts)

    def _map(self, fn: Callable[..., R], chunks: Iterable[list[T]],
             *args: object) -> Iterator[R]:
        if self.pool is None:
            for chunk in chunks:
                yield fn(chunk, *args)
            return
        pool = self.pool
        yield from _window(chunks, lambda c: pool.apply_async(fn, (c, *args)),
                           lambda r: r.get(), self.workers * 4)

    def cables(self, chunks: Iterable[list[CableTask]]) -> Iterator[list[CableResult]]:
        return self._map(_pool_chunk, chunks)

    def scan(self, chunks: Iterable[list[ScanTask]],
             index: TermIndex) -> Iterator[list[Scanned]]:
        # Workers share this machine's disk: the index goes through a file, read once each.
        path = self.scratch / f".terms-{os.getpid()}-{id(index)}.pickle"
        write_atomic(path, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        try:
            yield from self._map(_pool_scan, chunks, str(path))
        finally:
            with contextlib.suppress(OSError):
                path.unlink()

    def reads_files(self) -> bool:
        return True

    def close(self, *, abort: bool = False) -> None:
        if self.pool is not None:
            if abort:
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()
            self.pool = None


class DaskExecutor:
    """The same chunks on a Dask distributed cluster: the rules are sent once to every
    worker (scattered), each chunk carries its cables' bytes, results come back here."""

    def __init__(self, scheduler: str | object, rules: RuleSet, opts: BatchOptions) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ReviewToolError("the dask executor needs the 'distributed' package: "
                                  "pip install 'reviewtool[dask]'") from None
        try:
            self.client: Client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ReviewToolError(f"cannot reach the Dask scheduler: {exc}",
                                  source=str(scheduler)) from None
        threads = sum(self.client.nthreads().values()) or 1
        self.depth = threads * 4
        self.rules: object = self.client.scatter(rules, broadcast=True)  # a future
        self.opts = opts

    def _map(self, fn: Callable[..., R], chunks: Iterable[list[T]],
             *args: object) -> Iterator[R]:
        client = self.client
        yield from _window(chunks, lambda c: client.submit(fn, c, *args, pure=False),
                           lambda f: f.result(), self.depth)

    def cables(self, chunks: Iterable[list[CableTask]]) -> Iterator[list[CableResult]]:
        return self._map(_dask_chunk, chunks, self.rules, self.opts)

    def scan(self, chunks: Iterable[list[ScanTask]],
             index: TermIndex) -> Iterator[list[Scanned]]:
        shared = self.client.scatter(index, broadcast=True)
        return self._map(_dask_scan, chunks, shared)

    def reads_files(self) -> bool:
        return False

    def close(self, *, abort: bool = False) -> None:
        self.client.close()
