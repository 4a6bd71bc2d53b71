"""What a worker does for one cable: parse, suggest, (draft mode) draft the release copy,
summarize; any failure becomes the cable's ``error``, never the run's.

Also the engine seam: the only places the batch calls the rules and the engine
(`load_rules`, `_suggest`; tests replace `_suggest` to slow a cable down).
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from types import FrameType

from reviewtool.core.batch.consistency import withheld_term
from reviewtool.core.batch.draft import _draft, policy_allows
from reviewtool.core.batch.types import (
    BatchOptions,
    CableResult,
    CableSummary,
    CableTask,
    DeclassFacts,
    Mode,
)
from reviewtool.core.cable.declass import DeclassStatus, declassification_status
from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.cable.read import decode_cable_bytes
from reviewtool.core.outputs import SUGGESTIONS, cable_key
from reviewtool.core.rules import load as rules_load
from reviewtool.core.rules.model import RuleSet
from reviewtool.core.suggest.engine import suggest
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import ReviewToolError

# --------------------------------------------------------------------------- the engine seam


def load_rules(paths: Sequence[str | Path] | None) -> RuleSet:
    """The rule sets at ``paths``; the bundled rules when there are none."""
    if not paths:
        paths = [rules_load.bundled_rules_path()]
    return rules_load.load_rules(list(paths))


def _suggest(cable: Cable, rules: RuleSet) -> list[Suggestion]:
    return suggest(cable, rules)


# --------------------------------------------------------------------------- one cable


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """SIGALRM-based limit: works in a process's main thread (pool workers, the in-process
    runner); a no-op elsewhere (Dask worker threads), where the cluster's own limits apply."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable or seconds is None:
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def process_cable(task: CableTask, rules: RuleSet, opts: BatchOptions) -> CableResult:
    """Parse, suggest and (draft) release one cable; any failure becomes ``error``."""
    stage = "reading"
    file, sha, size = task.file, task.sha256, len(task.data)
    if task.skip or task.error:
        return CableResult(file, sha, size, error=task.error, skipped=task.skip)
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
            if opts.mode == Mode.DRAFT:
                stage = "drafting the release copy"
                withheld = [s for s in suggestions if policy_allows(s, rules.policy)]
                drafted, draft_status = _draft(cable, name, suggestions, withheld, rules, opts)
                outputs += drafted
            summary = summarize(cable, suggestions, withheld, opts.on)
            if opts.mode == Mode.DRAFT:
                summary["draft"] = draft_status
    except _Timeout:
        return CableResult(file, sha, size,
                           error=f"timed out after {opts.timeout:g} s while {stage}")
    except ReviewToolError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        return CableResult(file, sha, size, error=f"{where}{exc.message}")
    except RecursionError:
        return CableResult(file, sha, size, error=f"recursion too deep while {stage}")
    except Exception as exc:  # a bug on one cable must not stop an archive-wide run
        return CableResult(file, sha, size, error=f"internal error while {stage}: "
                                                  f"{type(exc).__name__}: {exc}")
    return CableResult(file, sha, size, name=name, outputs=tuple(outputs), summary=summary)


def suggestions_jsonl(suggestions: Iterable[Suggestion]) -> bytes:
    """The ``suggest --json`` lines of one cable."""
    return "".join(json.dumps(s.to_json(), ensure_ascii=False) + "\n"
                   for s in suggestions).encode("utf-8")


def summarize(cable: Cable, suggestions: Sequence[Suggestion], withheld: Sequence[Suggestion],
              on: date) -> CableSummary:
    """The per-cable facts triage and the corpus report need (JSON-able, no timings)."""
    paragraphs, levels = _paragraphs(cable)
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
        "declass": _declass(declassification_status(cable, on)),
        "terms": [[k, v] for k, v in sorted(terms.items())],
        "spans": [[s.start, s.end] for s in withheld],
    }


def _paragraphs(cable: Cable) -> tuple[dict[str, int], dict[str, int]]:
    """Paragraphs by marking, and by level."""
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
    return paragraphs, levels


def _declass(status: DeclassStatus) -> DeclassFacts:
    """`DeclassStatus.to_json`, typed for the manifest."""
    return {
        "status": status.status,
        "date": _iso(status.date),
        "automatic": _iso(status.automatic),
        "automatic_passed": status.automatic_passed,
        "detail": status.detail,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
