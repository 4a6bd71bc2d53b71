"""Batch: apply rule sets to a whole archive of cables, resumably, on one machine or many.

`run_batch(cables_dir, rules_paths, out_dir, ...)` walks ``cables_dir`` as a stream
(sorted, hidden files skipped), runs parse + `suggest` (and in ``draft`` mode the draft
release copy) in a process pool or on a Dask cluster, and writes, in walk order::

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
section only. Worker functions are top level so they pickle.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import json
import os
import re
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from reviewtool.core.cable.declass import declassification_status
from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.cable.read import decode_cable_bytes
from reviewtool.core.files import (
    atomic_writer,
    remove_temporaries,
    walk_cables,
    write_atomic,
)
from reviewtool.core.outputs import (
    AUDIT,
    RELEASE,
    SET_REPORT_HTML,
    SET_REPORT_MD,
    SUGGESTIONS,
    CableFiles,
    cable_key,
    holds,
)
from reviewtool.errors import CableError, ReviewToolError

MODES = ("suggest", "draft")
EXECUTORS = ("local", "dask")
# Bump when the per-cable outputs or the manifest summary change shape: a rerun redoes all.
FORMAT = 1
DEFAULT_TIMEOUT = 60.0
MANIFEST = "manifest.jsonl"
CHUNK_CABLES = 8  # cables per task: small enough to balance, large enough to amortize IPC

# --------------------------------------------------------------------------- public types


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
class BatchOptions:
    """What every worker needs besides the rules (picklable)."""

    mode: str
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
    mode: str
    on: date
    report_md: Path
    report_html: Path

    @property
    def cables_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.nbytes / 1e6 / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class _Task:
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
    summary: dict[str, Any] | None = None
    skipped: bool = False


# --------------------------------------------------------------------------- the engine seam


def _load_rules(paths: Sequence[str | Path] | None) -> Any:
    from reviewtool.core.rules import load as rules_mod

    if not paths:
        paths = [rules_mod.bundled_rules_path()]
    return rules_mod.load_rules(list(paths))


def _suggest(cable: Cable, rules: Any) -> list[Any]:
    from reviewtool.core.suggest.engine import suggest

    return suggest(cable, rules)


def policy_allows(suggestion: Any, policy: Any) -> bool:
    """The rule sets' draft policy (`Policy.admits`: a minimum score, and codes)."""
    return policy is not None and bool(policy.admits(suggestion.score, suggestion.codes))


# --------------------------------------------------------------------------- worker side


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """SIGALRM-based limit: works in a process's main thread (pool workers, the in-process
    runner); a no-op elsewhere (Dask worker threads), where the cluster's own limits apply."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _process(task: _Task, rules: Any, opts: BatchOptions) -> CableResult:
    """Parse, suggest and (draft) release one cable; any failure becomes ``error``."""
    stage = "reading"
    base = {"file": task.file, "sha256": task.sha256, "size": len(task.data)}
    if task.skip or task.error:
        return CableResult(**base, error=task.error, skipped=task.skip)
    try:
        with _time_limit(opts.timeout):
            text = decode_cable_bytes(task.data, task.file)
            stage = "parsing"
            cable = parse_cable(text, source=task.file)
            stage = "applying rules"
            suggestions = _suggest(cable, rules)
            name = cable_key(cable)
            withheld = suggestions
            outputs: list[tuple[str, bytes]] = [
                (f"cables/{name}{SUGGESTIONS}", suggestions_jsonl(suggestions))]
            if opts.mode == "draft":
                stage = "drafting the release copy"
                withheld = [s for s in suggestions if policy_allows(s, rules.policy)]
                drafted, draft_status = _draft(cable, name, suggestions, withheld, rules, opts)
                outputs += drafted
            summary = summarize(cable, suggestions, withheld, opts.on)
            if opts.mode == "draft":
                summary["draft"] = draft_status
    except _Timeout:
        return CableResult(**base, error=f"timed out after {opts.timeout:g} s while {stage}")
    except ReviewToolError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        return CableResult(**base, error=f"{where}{exc.message}")
    except RecursionError:
        return CableResult(**base, error=f"recursion too deep while {stage}")
    except Exception as exc:  # a bug on one cable must not stop an archive-wide run
        return CableResult(**base, error=f"internal error while {stage}: "
                                         f"{type(exc).__name__}: {exc}")
    return CableResult(**base, name=name, outputs=tuple(outputs), summary=summary)


def suggestions_jsonl(suggestions: Iterable[Any]) -> bytes:
    """The ``suggest --json`` lines of one cable."""
    return "".join(json.dumps(s.to_json(), ensure_ascii=False) + "\n"
                   for s in suggestions).encode("utf-8")




_TERM_WORD = re.compile(r"[^\W_]+")


def withheld_term(text: str) -> str | None:
    """The normalized form of a withheld span for the consistency check (lower case,
    words only), or ``None`` for spans that cannot meaningfully recur elsewhere: very
    short, numbers only, the ``XXXXXXXXXXXX`` of pre-publication redaction, or long
    passages (more than six words)."""
    words = _TERM_WORD.findall(text.lower())
    if not words or len(words) > 6:
        return None
    if all(w.isdigit() or set(w) == {"x"} for w in words):
        return None
    norm = " ".join(words)
    return norm if len(norm) >= 4 else None


def summarize(cable: Cable, suggestions: Sequence[Any], withheld: Sequence[Any],
              on: date) -> dict[str, Any]:
    """The per-cable facts triage and the corpus report need (JSON-able, no timings)."""
    paragraphs: dict[str, int] = {}
    levels = {"U": 0, "C": 0, "S": 0, "TS": 0, "unmarked": 0}
    for p in cable.paragraphs:
        if p.marking is not None:
            key = p.marking.format()
            levels[p.marking.level.name] += 1
        elif p.unmarked:
            key = "unmarked (classified cable)"
            levels["unmarked"] += 1
        else:
            key = "none (cable unclassified or level unknown)"
        paragraphs[key] = paragraphs.get(key, 0) + 1
    codes: dict[str, int] = {}
    rules: dict[str, int] = {}
    for s in suggestions:
        for c in s.codes:
            codes[c] = codes.get(c, 0) + 1
        for r in s.rules:
            rules[r] = rules.get(r, 0) + 1
    terms: dict[str, str] = {}
    for s in withheld:
        norm = withheld_term(s.text)
        if norm is not None and norm not in terms:
            terms[norm] = " ".join(s.text.split())
    status = declassification_status(cable, on)
    return {
        "id": cable.id,
        "classification": cable.classification.banner(),
        "level": cable.classification.level.name,
        "origin": cable.origin,
        "created": cable.created.isoformat(sep=" ") if cable.created else None,
        "year": cable.created.year if cable.created else None,
        "subject": cable.subject.value if cable.subject else None,
        "paragraphs": dict(sorted(paragraphs.items())),
        "levels": levels,
        "suggestions": len(suggestions),
        "codes": dict(sorted(codes.items())),
        "rules": dict(sorted(rules.items())),
        "withheld": len(withheld),
        "declass": status.to_json(),
        "terms": [[k, v] for k, v in sorted(terms.items())],
        "spans": [[s.start, s.end] for s in withheld],
    }


def _draft(cable: Cable, name: str, suggestions: Sequence[Any], accepted: Sequence[Any],
           rules: Any, opts: BatchOptions) -> tuple[list[tuple[str, bytes]], str]:
    """Draft mode: a review in which every suggestion the policy admits is accepted (by
    ``opts.reviewer``, stamped with the batch date), its draft release copy, and the review
    store and audit log, all returned as bytes: the driver writes them (a Dask worker may
    not see OUT). The review folder files let `reviewtool review` open the draft. The
    second value says whether the copy was written or why the leak check refused it."""
    from reviewtool.core.release.render import render_release
    from reviewtool.core.review.outcome import release_input
    from reviewtool.core.review.review import Review

    with tempfile.TemporaryDirectory(prefix="reviewtool-draft-") as tmp:
        review = Review.open(tmp, cable, suggestions, reviewer=opts.reviewer,
                             rules_sha256=opts.rules_sha256, clock=draft_clock(opts.on),
                             rules=rules)
        try:
            for s in accepted:
                if review.decision(s.id) is None:
                    review.accept(s.id, note="draft: admitted by the rule sets' policy; "
                                             "awaiting a reviewer")
            release = render_release(release_input(review, on=opts.on, seal=review.seal))
            outputs: list[tuple[str, bytes]] = []
            if release.leaks:
                # The leak check is always on, drafts included: no copy, and the review
                # (in the review folder) is where a reviewer settles the places it lists.
                status = (f"refused by the leak check: {len(release.leaks)} place(s) still "
                          f"show withheld text (first: {release.leaks[0].describe()})")
                review.log_event("release_refused", note=f"draft: {status}",
                                 leaks=[f"{lk.where} line {lk.line}" for lk in release.leaks])
            else:
                status = "written"
                text = draft_banner(release.text)
                review.log_event("output", note="draft release copy, awaiting review",
                                 file=f"{name}{RELEASE}", stamp=release.stamp,
                                 sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
                outputs.append((f"cables/{name}{RELEASE}", text.encode("utf-8")))
        finally:
            review.close()
        files = CableFiles.of(tmp, cable)
        audit = files.audit.read_bytes()
        outputs += [
            (f"cables/{name}{AUDIT}", audit),
            (f"review/{files.store.name}", files.store.read_bytes()),
            (f"review/{files.audit.name}", audit),
        ]
        return outputs, status


DRAFT_NOTICE = ("DRAFT - AWAITING REVIEW: redactions proposed by rule sets, not yet "
                "confirmed by a reviewer. NOT FOR RELEASE.")


def draft_banner(text: str) -> str:
    """A draft release copy says so on its first line, before the release stamp."""
    return f"{DRAFT_NOTICE}\n{text}"


# Worker-process state: the rules are loaded (or inherited through fork) once per process.
_WORKER: dict[str, Any] = {}


def _init_worker(rules: Any, rules_paths: Sequence[str] | None, opts: BatchOptions,
                 pooled: bool = False) -> None:
    if pooled:
        # Ctrl-C goes to the whole process group: the driver stops the pool; a worker
        # must not die on it mid-task and print a traceback of its own.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if rules is None:
        rules = _load_rules(rules_paths)
    _WORKER["rules"] = rules
    _WORKER["opts"] = opts


def _pool_chunk(tasks: list[_Task]) -> list[CableResult]:
    return [_process(t, _WORKER["rules"], _WORKER["opts"]) for t in tasks]


def _dask_chunk(tasks: list[_Task], rules: Any, opts: BatchOptions) -> list[CableResult]:
    return [_process(t, rules, opts) for t in tasks]


# --------------------------------------------------------------------------- consistency scan


@dataclass(frozen=True, slots=True)
class TermIndex:
    """Withheld terms (word tuples, lower case) keyed by their first word, longest first."""

    firsts: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def build(cls, terms: Iterable[str]) -> TermIndex:
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for term in terms:
            words = tuple(term.split())
            if words:
                by_first.setdefault(words[0], set()).add(words)
        return cls({k: tuple(sorted(v, key=lambda w: (-len(w), w)))
                    for k, v in by_first.items()})

    def __len__(self) -> int:
        return sum(len(v) for v in self.firsts.values())


@dataclass(frozen=True, slots=True)
class _ScanTask:
    file: str
    name: str
    path: str | None  # the local executor's workers read the cable themselves
    data: bytes | None  # a Dask worker is sent it
    spans: tuple[tuple[int, int], ...]  # what this cable withholds


def scan_text(text: str, spans: Sequence[tuple[int, int]],
              index: TermIndex) -> list[tuple[str, int, int]]:
    """Occurrences of indexed terms in ``text`` that no span in ``spans`` covers, as
    ``(term, line of the first, count)``: whole words, case- and spacing-insensitive."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length in lower case
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    present = set(_TERM_WORD.findall(low))
    firsts = index.firsts
    candidates = [t for w in present.intersection(firsts) for t in firsts[w]
                  if len(t) == 1 or present.issuperset(t[1:])]
    if not candidates:
        return []  # the common case, decided at C speed
    candidates.sort(key=lambda t: (-len(t), t))  # the longest term wins where they overlap
    starts, ends = _merge(spans)
    taken = bytearray(len(low))  # 1 where a longer term already matched
    found: dict[str, list[int]] = {}
    for term in candidates:
        for m in _term_pattern(term).finditer(low):
            start, end = m.span()
            if (start and low[start - 1].isalnum()) or taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
            at = bisect.bisect_left(starts, end) - 1
            if at < 0 or ends[at] <= start:  # not inside anything withheld here
                hit = found.setdefault(" ".join(term), [start, 0])
                hit[0] = min(hit[0], start)
                hit[1] += 1
    return [(term, text.count("\n", 0, first) + 1, count)
            for term, (first, count) in sorted(found.items())]


@functools.lru_cache(maxsize=65536)
def _term_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A term's words, any punctuation or spacing between them, not followed by a word
    character. It starts with a literal so the search is fast; the caller checks the
    character before."""
    return re.compile(r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])")


def _merge(spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, disjoint starts and ends covering ``spans``."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


Hits = list[tuple[str, int, int]]
Scanned = tuple[str, int, Hits]  # output name, bytes read, hits


def _scan(task: _ScanTask, index: TermIndex) -> Scanned:
    try:
        data = task.data if task.data is not None else Path(task.path or "").read_bytes()
        text = decode_cable_bytes(data, task.file)
    except (OSError, CableError):
        return task.name, 0, []  # changed or gone since it was processed; its record stands
    return task.name, len(data), scan_text(text, task.spans, index)


def _pool_scan(tasks: list[_ScanTask], index_path: str) -> list[Scanned]:
    if _WORKER.get("index_path") != index_path:
        import pickle

        with open(index_path, "rb") as f:
            _WORKER["index"] = pickle.load(f)
        _WORKER["index_path"] = index_path
    return [_scan(t, _WORKER["index"]) for t in tasks]


def _dask_scan(tasks: list[_ScanTask], index: TermIndex) -> list[Scanned]:
    return [_scan(t, index) for t in tasks]


# --------------------------------------------------------------------------- walking


def _sort_key(rel: str) -> tuple[str, ...]:
    return tuple(rel.split("/"))


# --------------------------------------------------------------------------- writing


def _remove_temporaries(folder: Path) -> None:
    remove_temporaries(folder, (".*.tmp", ".terms-*.pickle"))


# --------------------------------------------------------------------------- manifest


@dataclass(slots=True)
class _Entry:
    key: tuple[Any, ...]
    offset: int
    length: int
    ok: bool
    name: str | None
    outputs: dict[str, int]
    size: int = 0
    seen: bool = False


class Manifest:
    """``OUT/manifest.jsonl``: a journal of one JSON record per cable outcome, appended as
    cables finish (a killed run keeps every finished record; a torn last line is ignored),
    compacted at the end of a run into walk order with one record per present cable.

    Only a small index (key, offset, outputs) is held in memory; records stay on disk."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST
        self.index: dict[str, _Entry] = {}
        self._load()
        self._fh = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        self._end = self._fh.tell()

    def _load(self) -> None:
        if not self.path.exists():
            return
        offset = 0
        with open(self.path, "rb") as f:
            for line in f:
                if not line.endswith(b"\n"):
                    break  # a torn last line from a killed run: cut off below
                try:
                    rec = json.loads(line)
                    self.index[rec["file"]] = _Entry(
                        _key(rec), offset, len(line), rec["status"] == "ok", rec.get("name"),
                        dict(rec.get("outputs") or {}), int(rec.get("size") or 0))
                except (ValueError, KeyError, TypeError):
                    pass  # an unreadable record only means that cable is done again
                offset += len(line)
        if offset != self.path.stat().st_size:
            with open(self.path, "r+b") as f:
                f.truncate(offset)  # so that appends start on a clean line

    def done(self, file: str, key: tuple[Any, ...]) -> _Entry | None:
        """The entry if ``file`` was finished with this key and its outputs are intact."""
        e = self.index.get(file)
        if e is None or not e.ok or e.key != key:
            return None
        for rel, size in e.outputs.items():
            try:
                if (self.out_dir / rel).stat().st_size != size:
                    return None
            except OSError:
                return None
        return e

    def record(self, rec: dict[str, Any]) -> None:
        line = (json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        old = self.index.get(rec["file"])
        if old is not None:
            for rel in set(old.outputs) - set(rec.get("outputs") or {}):
                with contextlib.suppress(OSError):
                    (self.out_dir / rel).unlink()
        self._fh.write(line)
        self._fh.flush()
        self.index[rec["file"]] = _Entry(_key(rec), self._end, len(line), rec["status"] == "ok",
                                         rec.get("name"), dict(rec.get("outputs") or {}),
                                         int(rec.get("size") or 0), seen=True)
        self._end += len(line)

    def compact(self) -> None:
        """Rewrite in walk order with only the cables seen in this run; outputs of
        cables no longer present are removed."""
        self._fh.close()
        keep = sorted((f for f, e in self.index.items() if e.seen), key=_sort_key)
        gone = [e for e in self.index.values() if not e.seen]
        with open(self.path, "rb") as src, atomic_writer(self.path) as dst:
            for f in keep:
                e = self.index[f]
                src.seek(e.offset)
                dst.write(src.read(e.length))
        kept_outputs = {rel for f in keep for rel in self.index[f].outputs}
        for e in gone:
            for rel in set(e.outputs) - kept_outputs:
                with contextlib.suppress(OSError):
                    (self.out_dir / rel).unlink()
        self.index = {f: self.index[f] for f in keep}
        offset = 0
        for f in keep:
            e = self.index[f]
            e.offset, offset = offset, offset + e.length

    def records(self) -> Iterator[dict[str, Any]]:
        """The compacted records, in walk order, read one at a time."""
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def _key(rec: dict[str, Any]) -> tuple[Any, ...]:
    return (rec.get("format"), rec.get("sha256"), rec.get("rules_sha256"), rec.get("mode"),
            rec.get("on"))


# --------------------------------------------------------------------------- executors


def _window(items: Iterable[Any], submit: Callable[[Any], Any], result: Callable[[Any], Any],
            depth: int) -> Iterator[Any]:
    """Submit ``items`` keeping at most ``depth`` in flight; yield results in input
    order. Bounded: the corpus is never all in memory, whatever its size."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= depth:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


T = TypeVar("T")


def _chunks(tasks: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for t in tasks:
        chunk.append(t)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Local:
    """One process per worker (``fork`` where available, so the loaded rules are shared
    copy-on-write); one worker runs in this process, with no pool at all."""

    def __init__(self, workers: int, rules: Any, rules_paths: Sequence[str] | None,
                 opts: BatchOptions, scratch: Path) -> None:
        self.workers = workers
        self.scratch = scratch
        self.pool = None
        if workers > 1:
            import multiprocessing as mp

            methods = mp.get_all_start_methods()
            ctx = mp.get_context("fork" if "fork" in methods else None)
            inherit = ctx.get_start_method() == "fork"
            self.pool = ctx.Pool(workers, _init_worker,
                                 (rules if inherit else None, rules_paths, opts, True))
        else:
            _init_worker(rules, rules_paths, opts)

    def _map(self, fn: Callable[..., Any], chunks: Iterable[Any], *args: Any) -> Iterator[Any]:
        if self.pool is None:
            for chunk in chunks:
                yield fn(chunk, *args)
            return
        pool = self.pool
        yield from _window(chunks, lambda c: pool.apply_async(fn, (c, *args)),
                           lambda r: r.get(), self.workers * 4)

    def cables(self, chunks: Iterable[list[_Task]]) -> Iterator[list[CableResult]]:
        return self._map(_pool_chunk, chunks)

    def scan(self, chunks: Iterable[list[_ScanTask]],
             index: TermIndex) -> Iterator[list[Scanned]]:
        import pickle

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


class _Dask:
    """The same chunks on a Dask distributed cluster: the rules are sent once to every
    worker (scattered), each chunk carries its cables' bytes, results come back here."""

    def __init__(self, scheduler: str | Any, rules: Any, opts: BatchOptions) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ReviewToolError("the dask executor needs the 'distributed' package: "
                                  "pip install 'reviewtool[dask]'") from None
        try:
            self.client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ReviewToolError(f"cannot reach the Dask scheduler: {exc}",
                                  source=str(scheduler)) from None
        threads = sum(self.client.nthreads().values()) or 1
        self.depth = threads * 4
        self.rules = self.client.scatter(rules, broadcast=True)
        self.opts = opts

    def _map(self, fn: Callable[..., Any], chunks: Iterable[Any], *args: Any) -> Iterator[Any]:
        client = self.client
        yield from _window(chunks, lambda c: client.submit(fn, c, *args, pure=False),
                           lambda f: f.result(), self.depth)

    def cables(self, chunks: Iterable[list[_Task]]) -> Iterator[list[CableResult]]:
        return self._map(_dask_chunk, chunks, self.rules, self.opts)

    def scan(self, chunks: Iterable[list[_ScanTask]],
             index: TermIndex) -> Iterator[list[Scanned]]:
        shared = self.client.scatter(index, broadcast=True)
        return self._map(_dask_scan, chunks, shared)

    def reads_files(self) -> bool:
        return False

    def close(self, *, abort: bool = False) -> None:
        self.client.close()


# --------------------------------------------------------------------------- the run


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_batch(cables_dir: str | Path, rules_paths: Sequence[str | Path] | None,
              out_dir: str | Path, *, workers: int | None = None, mode: str = "suggest",
              executor: str = "local", scheduler: str | Any | None = None,
              progress: Progress | None = None, on: date | None = None,
              timeout: float | None = DEFAULT_TIMEOUT, reviewer: str = "batch",
              chunk_size: int = CHUNK_CABLES) -> BatchSummary:
    """Apply the rule sets at ``rules_paths`` (default: the bundled rules) to every file
    under ``cables_dir``, writing into ``out_dir`` (see the module docstring).

    ``on`` is the date declassification status is judged on (default today); draft audit
    events are stamped with it so reruns are byte-identical. ``timeout`` limits the
    seconds spent on one cable. Raises `ReviewToolError` for unusable arguments or rules;
    a cable that fails is recorded in ``errors.jsonl`` and the run goes on."""
    from reviewtool.core.batch.report import ReportBuilder  # the report half of the batch

    if mode not in MODES:
        raise ReviewToolError(f"unknown mode {mode!r} (choose from {', '.join(MODES)})")
    if executor not in EXECUTORS:
        raise ReviewToolError(f"unknown executor {executor!r} "
                              f"(choose from {', '.join(EXECUTORS)})")
    if executor == "dask" and not scheduler:
        raise ReviewToolError("the dask executor needs a scheduler address (--scheduler)")
    root = Path(cables_dir)
    if not root.exists():
        raise CableError("no such folder", source=str(root))
    if not root.is_dir():
        raise CableError("not a folder of cables", source=str(root))
    out = Path(out_dir)
    if out.resolve() == root.resolve():
        raise ReviewToolError("the output folder must not be the cables folder",
                              source=str(out))
    if out.exists() and not out.is_dir():
        raise ReviewToolError("output path exists and is not a folder", source=str(out))
    workers = workers or default_workers()
    if workers < 1:
        raise ReviewToolError("the number of workers must be at least 1")
    progress = progress or NullProgress()
    on = on or date.today()

    rules = _load_rules(rules_paths)
    opts = BatchOptions(mode, on, timeout, rules.sha256, reviewer)
    paths = [str(p) for p in rules_paths] if rules_paths else None

    total = total_bytes = 0
    for p in walk_cables(root, exclude=out):
        total += 1
        with contextlib.suppress(OSError):
            total_bytes += p.stat().st_size
    if not total:
        raise CableError("no files in this folder (hidden files are skipped)", source=str(root))

    out.mkdir(parents=True, exist_ok=True)
    for sub in (out, out / "cables", out / "review"):
        _remove_temporaries(sub)
    manifest = Manifest(out)

    key = (FORMAT, opts.rules_sha256, mode, on.isoformat())
    names: dict[str, str] = {}  # output name -> the file that owns it (first in walk order)
    counts = {"processed": 0, "skipped": 0, "bytes": 0}

    def tasks() -> Iterator[_Task]:
        for p in walk_cables(root, exclude=out):
            rel = p.relative_to(root).as_posix()
            try:
                data = p.read_bytes()
            except OSError as exc:
                yield _Task(rel, b"", "", error=f"cannot read: {exc.strerror or exc}")
                continue
            sha = hashlib.sha256(data).hexdigest()
            done = manifest.done(rel, (key[0], sha, *key[1:]))
            yield _Task(rel, b"", sha, skip=True) if done else _Task(rel, data, sha)

    def finish(res: CableResult) -> None:
        error = res.error
        name = res.name
        if res.skipped:
            entry = manifest.index[res.file]
            name = entry.name
            if names.setdefault(entry.name or res.file, res.file) == res.file:
                entry.seen = True
                counts["skipped"] += 1
                progress.advance(1, 0)  # MB/s counts work done, not work skipped
                return
        rec: dict[str, Any] = {"file": res.file, "format": FORMAT, "sha256": res.sha256,
                               "size": res.size, "rules_sha256": opts.rules_sha256,
                               "mode": mode, "on": on.isoformat()}
        if error is None and name is not None:
            owner = names.setdefault(name, res.file)
            if owner != res.file:
                error = f"same cable ID {name} as {owner}; not processed twice"
        if error is not None:
            rec.update(status="error", error=error, name=None, outputs={})
        else:
            for rel, data in res.outputs:
                write_atomic(out / rel, data, holds(rel))
            rec.update(status="ok", name=res.name,
                       outputs={rel: len(data) for rel, data in res.outputs},
                       summary=res.summary)
        manifest.record(rec)
        counts["processed"] += 1
        counts["bytes"] += res.size
        progress.advance(1, res.size)

    runner: _Local | _Dask = (_Dask(scheduler, rules, opts) if executor == "dask"
                              else _Local(workers, rules, paths, opts, out))
    started = time.perf_counter()
    aborted = True
    try:
        progress.start("cables", total, total_bytes)
        for results in runner.cables(_chunks(tasks(), chunk_size)):
            for res in results:
                finish(res)
        seconds = time.perf_counter() - started
        progress.done()
        manifest.compact()

        builder = ReportBuilder(out, opts, rules)
        for rec in manifest.records():
            builder.add(rec)
        scan_started = time.perf_counter()
        cache = ScanCache(out)
        cached = cache.load()
        if cached is not None:  # nothing changed since the last scan: same records, same hits
            for name, hits in cached:
                builder.add_unredacted(name, hits)
        else:
            index = builder.term_index()
            scan_tasks = _scan_tasks(manifest, root, runner.reads_files())
            progress.start("consistency", builder.ok, builder.ok_bytes)
            found: list[tuple[str, Hits]] = []
            for chunk_results in runner.scan(_chunks(scan_tasks, chunk_size * 4), index):
                for name, nbytes, hits in chunk_results:
                    builder.add_unredacted(name, hits)
                    if hits:
                        found.append((name, hits))
                    progress.advance(1, nbytes)
            progress.done()
            cache.save(found)
        scan_seconds = time.perf_counter() - scan_started
        aborted = False
    finally:
        runner.close(abort=aborted)
        manifest.close()
    facts = builder.write(manifest.records, run={
        "processed": counts["processed"], "skipped": counts["skipped"],
        "bytes": counts["bytes"], "seconds": seconds, "scan_seconds": scan_seconds,
        "scan_cached": cached is not None, "executor": executor,
        "workers": workers if executor == "local" else None})
    return BatchSummary(
        out_dir=out, cables=facts.cables, ok=facts.ok, processed=counts["processed"],
        skipped=counts["skipped"], failed=facts.failed, suggestions=facts.suggestions,
        withheld=facts.withheld, inconsistent_terms=facts.inconsistent_terms,
        drafts_written=facts.drafts_written, drafts_refused=facts.drafts_refused,
        nbytes=counts["bytes"], seconds=seconds, rules_sha256=opts.rules_sha256, mode=mode,
        on=on, report_md=out / SET_REPORT_MD, report_html=out / SET_REPORT_HTML)


class ScanCache:
    """``OUT/.consistency-cache.jsonl``: the consistency scan's hits, keyed by the SHA-256
    of the compacted manifest. The manifest holds every cable's content hash, the rule
    sets' hash and what each cable withholds, so the same manifest means the same hits:
    a rerun that finds everything done skips the scan."""

    NAME = ".consistency-cache.jsonl"

    def __init__(self, out: Path) -> None:
        self.path = out / self.NAME
        digest = hashlib.sha256()
        with open(out / MANIFEST, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        self.key = f"{FORMAT}:{digest.hexdigest()}"

    def load(self) -> list[tuple[str, Hits]] | None:
        try:
            with open(self.path, encoding="utf-8") as f:
                if json.loads(f.readline()).get("manifest") != self.key:
                    return None
                out = []
                for line in f:
                    name, hits = json.loads(line)
                    out.append((name, [(t, ln, n) for t, ln, n in hits]))
                return out
        except (OSError, ValueError, TypeError, AttributeError):
            return None

    def save(self, found: list[tuple[str, Hits]]) -> None:
        with atomic_writer(self.path) as f:
            f.write((json.dumps({"manifest": self.key}) + "\n").encode("utf-8"))
            for name, hits in found:
                f.write((json.dumps([name, hits], ensure_ascii=False) + "\n").encode("utf-8"))


def _scan_tasks(manifest: Manifest, root: Path, local: bool) -> Iterator[_ScanTask]:
    """The consistency scan's tasks: every cable processed without error (any can hold a
    term withheld elsewhere), with the spans it withholds itself. Local workers read
    the file; a Dask worker is sent its bytes."""
    for rec in manifest.records():
        if rec.get("status") != "ok":
            continue
        spans = tuple((s, e) for s, e in rec["summary"]["spans"])
        path = root / rec["file"]
        if local:
            yield _ScanTask(rec["file"], rec["name"], str(path), None, spans)
        else:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            yield _ScanTask(rec["file"], rec["name"], None, data, spans)


def draft_clock(on: date) -> Callable[[], datetime]:
    """The clock draft decisions are stamped with: the batch date, midnight UTC, so that
    a rerun writes byte-identical audit logs; the reviewer's confirmations carry real
    times."""
    stamp = datetime.combine(on, dtime(0, 0), tzinfo=UTC)
    return lambda: stamp


__all__ = [
    "BatchOptions", "BatchSummary", "CableResult", "DEFAULT_TIMEOUT", "EXECUTORS", "FORMAT",
    "FailedCable", "MODES", "Manifest", "NullProgress", "Progress", "default_workers",
    "draft_clock", "policy_allows", "run_batch", "suggestions_jsonl",
    "summarize", "withheld_term",
]
