"""What flows through the batch: the request, the options every worker gets, the tasks
and results that travel between the driver and the workers, the manifest's records and
the summary a run returns.

Everything a worker receives or sends back is a plain frozen dataclass, so it pickles
(process pool, Dask). Records and per-cable summaries are JSON (the manifest is a JSON
journal): they are `TypedDict`s, typed where they are built and where they are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import NotRequired, Protocol, TypedDict


class Mode(StrEnum):
    """What a run writes per cable: suggestions only, or also a draft release copy."""

    SUGGEST = "suggest"
    DRAFT = "draft"


class Executor(StrEnum):
    """Where the cables are worked on: a local process pool or a Dask cluster."""

    LOCAL = "local"
    DASK = "dask"


# Bump when the per-cable outputs or the manifest summary change shape: a rerun redoes all.
FORMAT = 2  # 2: drafts log where a leak is, never its text (a rerun must not keep 1's)
DEFAULT_TIMEOUT = 60.0
CHUNK_CABLES = 8  # cables per task: small enough to balance, large enough to amortize IPC


class Progress(Protocol):
    """What the batch reports while it runs; the CLI draws it (the core draws nothing)."""

    def start(self, phase: str, total: int, total_bytes: int) -> None: ...

    def advance(self, cables: int, nbytes: int) -> None: ...

    def done(self) -> None: ...


class NullProgress:
    def start(self, phase: str, total: int, total_bytes: int) -> None:
        pass

    def advance(self, cables: int, nbytes: int) -> None:
        pass

    def done(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """A run as asked for: apply the rule sets at ``rules_paths`` (default: the bundled
    rules) to every file under ``cables_dir``, writing into ``out_dir``.

    ``workers`` defaults to one per core; ``scheduler`` is the Dask scheduler (an address,
    or anything `distributed.Client` accepts) for ``executor="dask"``. ``on`` is the date
    declassification status is judged on (default today); draft audit events are stamped
    with it so reruns are byte-identical. ``timeout`` limits the seconds spent on one
    cable. ``mode`` and ``executor`` may be given as plain strings: `run_batch` checks
    them."""

    cables_dir: str | Path
    rules_paths: Sequence[str | Path] | None
    out_dir: str | Path
    workers: int | None = None
    mode: Mode | str = Mode.SUGGEST
    executor: Executor | str = Executor.LOCAL
    scheduler: str | object | None = None
    on: date | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    reviewer: str = "batch"
    chunk_size: int = CHUNK_CABLES


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """What every worker needs besides the rules (picklable)."""

    mode: Mode
    on: date
    timeout: float | None
    rules_sha256: str
    reviewer: str = "batch"


@dataclass(frozen=True, slots=True)
class FailedCable:
    file: str
    reason: str


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a run did. ``processed`` were worked on in this run, ``skipped`` were already
    done (same content, rules, mode and date); ``failed`` lists every failed cable."""

    out_dir: Path
    cables: int
    ok: int
    processed: int
    skipped: int
    failed: tuple[FailedCable, ...]
    suggestions: int
    withheld: int
    inconsistent_terms: int
    drafts_written: int
    drafts_refused: int
    nbytes: int
    seconds: float
    rules_sha256: str
    mode: Mode
    on: date
    report_md: Path
    report_html: Path

    @property
    def cables_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.nbytes / 1e6 / self.seconds if self.seconds > 0 else 0.0


# --------------------------------------------------------------------------- JSON records


class DeclassFacts(TypedDict):
    """A cable's declassification status as the manifest records it (dates ISO)."""

    status: str
    date: str | None
    automatic: str | None
    automatic_passed: bool
    detail: str


class CableSummary(TypedDict):
    """The per-cable facts triage and the corpus report need (JSON-able, no timings).
    ``terms`` are ``[normalized, as shown]`` pairs, ``spans`` what the cable withholds;
    ``draft`` (draft mode) is ``written`` or why the leak check refused the copy."""

    id: str | None
    classification: str
    level: str
    origin: str | None
    created: str | None
    year: int | None
    subject: str | None
    paragraphs: dict[str, int]
    levels: dict[str, int]
    suggestions: int
    codes: dict[str, int]
    rules: dict[str, int]
    withheld: int
    declass: DeclassFacts
    terms: list[list[str]]
    spans: list[list[int]]
    draft: NotRequired[str]


class ManifestRecord(TypedDict):
    """One line of ``OUT/manifest.jsonl``: one cable's outcome. ``outputs`` maps file
    names relative to ``OUT`` to their sizes; ``summary`` is there when ``status`` is
    ``ok``, ``error`` when it is ``error``."""

    file: str
    format: int
    sha256: str
    size: int
    rules_sha256: str
    mode: str
    on: str
    status: str
    name: str | None
    outputs: dict[str, int]
    error: NotRequired[str]
    summary: NotRequired[CableSummary]


# --------------------------------------------------------------------------- tasks


@dataclass(frozen=True, slots=True)
class CableTask:
    """One cable to work on. Skipped and unreadable cables travel the same ordered
    pipeline (with no data) so that everything is recorded in walk order."""

    file: str  # path relative to the cables folder, POSIX form
    data: bytes
    sha256: str
    skip: bool = False
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CableResult:
    """One cable's outcome, sent back from a worker. ``outputs`` are file names relative
    to ``OUT`` with their bytes; ``summary`` feeds triage and the report."""

    file: str
    sha256: str
    size: int
    name: str | None = None
    error: str | None = None
    outputs: tuple[tuple[str, bytes], ...] = ()
    summary: CableSummary | None = None
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class ScanTask:
    """One cable for the consistency scan."""

    file: str
    name: str
    path: str | None  # the local executor's workers read the cable themselves
    data: bytes | None  # a Dask worker is sent it
    spans: tuple[tuple[int, int], ...]  # what this cable withholds


Hit = tuple[str, int, int]  # withheld term, line of its first unredacted place, count
Hits = list[Hit]
Scanned = tuple[str, int, Hits]  # output name, bytes read, hits


@dataclass(frozen=True, slots=True)
class RunFacts:
    """How this run went: the report's last section, the only part of the outputs that
    differs between equivalent runs. ``workers`` is None on a Dask cluster."""

    processed: int
    skipped: int
    nbytes: int
    seconds: float
    scan_seconds: float
    scan_cached: bool
    executor: Executor
    workers: int | None
