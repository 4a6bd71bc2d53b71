"""Hash-chained, append-only JSON Lines audit log, and its verification.

Each line is one canonical JSON object (sorted keys) with ``seq`` (1, 2, ...), ``prev``
(the previous line's ``hash``; 64 zeros for the first) and ``hash`` (SHA-256 of the
line's canonical JSON without ``hash``). Hidden text is recorded only as its SHA-256;
the text itself only when the log is opened with ``internal=True``. A chain cannot see
its last lines cut off, so a `Seal` (line count and last hash) is recorded where the
log is referenced (review store, release copy, report) and `verify` checks against it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewtool.errors import AuditError

GENESIS = "0" * 64
SEAL_PREFIX = "Audit seal:"
_SEAL_RE = re.compile(r"(?:Audit seal:\s*)?(\d+)\s*(?:events?|lines?)?\s*[,:/ ]\s*"
                      r"(?:last\s+|sha256[:=]\s*)?([0-9a-f]{64})", re.I)


def canonical(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def line_hash(obj: Mapping[str, Any]) -> str:
    """SHA-256 of the line's canonical JSON without its own ``hash``."""
    body = {k: v for k, v in obj.items() if k != "hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Seal:
    """The state of a log at a moment: ``count`` lines, the last of which has ``hash``."""

    count: int
    hash: str

    def format(self) -> str:
        return f"{SEAL_PREFIX} {self.count} events, last {self.hash}"

    @classmethod
    def parse(cls, text: str) -> Seal:
        """Read ``Audit seal: 12 events, last <hash>`` or ``12:<hash>``."""
        m = _SEAL_RE.search(text)
        if not m:
            raise AuditError(f"not an audit seal: {text.strip()[:80]!r}")
        return cls(int(m.group(1)), m.group(2).lower())


EMPTY_SEAL = Seal(0, GENESIS)


def chain_line(event: Mapping[str, Any], seq: int, prev: str) -> tuple[str, str]:
    """The canonical line for ``event`` at ``seq`` after ``prev``, and its hash."""
    obj = {k: v for k, v in event.items() if k not in ("seq", "prev", "hash")}
    obj["seq"] = seq
    obj["prev"] = prev
    h = line_hash(obj)
    obj["hash"] = h
    return canonical(obj), h


class AuditLog:
    """An append-only audit log file. Appends are flushed and fsynced line by line.

    ``internal``: the plain text of hidden spans may be recorded (key ``text``);
    otherwise any ``text`` given to `append` is dropped and only its hash kept.
    """

    def __init__(self, path: str | Path, *, internal: bool = False) -> None:
        self.path = Path(path)
        self.internal = internal
        self._seal = read_seal(self.path)

    @property
    def seal(self) -> Seal:
        return self._seal

    def append(self, event: Mapping[str, Any]) -> str:
        """Append one event (a flat mapping); returns the line written."""
        line, h = self.prepare(event, self._seal)
        self.write_lines([line])
        self._seal = Seal(self._seal.count + 1, h)
        return line

    def prepare(self, event: Mapping[str, Any], after: Seal) -> tuple[str, str]:
        ev = dict(event)
        text = ev.pop("text", None)
        if text is not None:
            ev.setdefault("text_sha256", text_sha256(text))
            if self.internal:
                ev["text"] = text
        return chain_line(ev, after.count + 1, after.hash)

    def write_sealed(self, lines: list[str], seal: Seal) -> None:
        """Append ``lines`` chained elsewhere (the review store commits them first);
        ``seal`` is the log's seal after them."""
        self.write_lines(lines)
        if lines:
            self._seal = seal

    def write_lines(self, lines: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8", newline="\n") as f:
            for line in lines:
                f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())


def read_seal(path: Path) -> Seal:
    """The seal of the log as it is on disk (last line's seq and hash); no verification."""
    if not path.exists():
        return EMPTY_SEAL
    last = ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                last = line
    if not last:
        return EMPTY_SEAL
    try:
        obj = json.loads(last)
        return Seal(int(obj["seq"]), str(obj["hash"]))
    except (ValueError, KeyError, TypeError):
        raise AuditError("last line is not an audit event", source=str(path)) from None


# --------------------------------------------------------------------------- verify


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: ``kind`` is edited, deleted, inserted, reordered, truncated or
    malformed; ``line`` the 1-based line of the file it concerns (0 for the whole)."""

    line: int
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    path: str
    count: int
    last_hash: str
    problems: tuple[Problem, ...] = ()
    seal: Seal | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            sealed = f", sealed at {self.seal.count}" if self.seal else ", no seal"
            return f"{self.path}: OK ({self.count} events{sealed})"
        return f"{self.path}: TAMPERED ({len(self.problems)} problem(s))"


def verify(path: str | Path, seal: Seal | str | None = None) -> VerifyResult:
    """Check the chain of the log at ``path`` (and its ``seal``, if given) and say which
    line was edited, deleted, inserted, reordered or truncated."""
    p = Path(path)
    if isinstance(seal, str):
        seal = Seal.parse(seal)
    text = _read_text(p)
    if text is None:
        return VerifyResult(str(p), 0, GENESIS, (Problem(0, "malformed", "not UTF-8 text"),), seal)
    lines, problems = _split_lines(text)
    objs = _parse_lines(lines, problems)
    problems += _check_hashes(objs)
    problems += _check_order(objs)
    count = len(objs)
    last = objs[-1]["hash"] if objs and objs[-1] is not None else GENESIS
    notes: list[str] = []
    if seal is not None and seal.count:
        problems += _check_seal(objs, seal, notes)
    return VerifyResult(str(p), count, last, tuple(_dedupe(problems)), seal, tuple(notes))


# A line read as an audit event (``None``: not one, or its ``seq`` is not a number).
_Line = dict[str, Any] | None


def _read_text(p: Path) -> str | None:
    """The log's text; ``None`` if it is not UTF-8; `AuditError` if it cannot be read."""
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise AuditError("no such file", source=str(p)) from None
    except OSError as exc:
        raise AuditError(f"cannot read: {exc.strerror or exc}", source=str(p)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _split_lines(text: str) -> tuple[list[str], list[Problem]]:
    """The lines, and a `truncated` problem if the last has no line end."""
    problems: list[Problem] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    elif lines:
        problems.append(Problem(len(lines), "truncated",
                                f"line {len(lines)} is cut off (no line end)"))
    return lines, problems


def _event(line: str) -> dict[str, Any] | None:
    """The line as an audit event (an object with ``seq``, ``prev`` and ``hash``)."""
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if not isinstance(obj, dict) or not {"seq", "prev", "hash"} <= obj.keys() \
            or not isinstance(obj["prev"], str) or not isinstance(obj["hash"], str):
        return None
    return obj


def _parse_lines(lines: list[str], problems: list[Problem]) -> list[_Line]:
    """Each line as an event, or ``None``; adds an `edited` problem for each that is not
    one (except a last line already found cut off)."""
    objs: list[_Line] = []
    for i, line in enumerate(lines, 1):
        obj = _event(line)
        objs.append(obj)
        if obj is None and not (problems and problems[-1].kind == "truncated"
                                and problems[-1].line == i):
            problems.append(Problem(i, "edited", f"line {i} is not an audit event"))
    return objs


def _check_hashes(objs: list[_Line]) -> list[Problem]:
    """Lines whose content does not match their hash; a line whose ``seq`` is not a
    number is dropped from ``objs`` (it cannot be placed in the sequence)."""
    problems = []
    for i, obj in enumerate(objs, 1):
        if obj is None:
            continue
        bad_seq = not isinstance(obj["seq"], int) or isinstance(obj["seq"], bool)
        if bad_seq or line_hash(obj) != obj["hash"]:
            problems.append(Problem(i, "edited", f"line {i} (seq {obj['seq']}) was edited: "
                                    "its content does not match its hash"))
            if bad_seq:
                objs[i - 1] = None
    return problems


def _check_seal(objs: list[_Line], seal: Seal, notes: list[str]) -> list[Problem]:
    """The log against its seal: cut short, or its sealed line changed. Events after
    the seal are not a problem: ``notes`` says how many."""
    problems = []
    count = len(objs)
    at = [(i, o) for i, o in enumerate(objs, 1) if o is not None and o["seq"] == seal.count]
    top = max((o["seq"] for o in objs if o is not None), default=0)
    if not at and top < seal.count:
        problems.append(Problem(count, "truncated",
                                f"log truncated: seq {top + 1}-{seal.count} missing after "
                                f"line {count} (sealed at {seal.count})"))
    elif at and all(o["hash"] != seal.hash for _, o in at):
        problems.append(Problem(at[0][0], "edited",
                                f"line {at[0][0]} (seq {seal.count}) does not match the seal"))
    if top > seal.count:
        notes.append(f"{top - seal.count} event(s) after the seal")
    return problems


_Numbered = list[tuple[int, dict[str, Any]]]  # (line number, event)


def _check_order(objs: list[_Line]) -> list[Problem]:
    """Deleted, inserted and reordered lines, from the sequence numbers first and then
    from the links (an attacker who renumbers still breaks a link)."""
    valid = [(i, o) for i, o in enumerate(objs, 1) if o is not None]
    inserted, problems = _duplicated_seqs(valid)
    rest = [(i, o) for i, o in valid if i not in inserted]
    ordered = sorted(o["seq"] for _, o in rest)
    problems += _reordered(rest, ordered)
    problems += _deleted(objs, rest, ordered)
    if problems:
        return problems
    return _broken_links(valid, rest)  # the sequence looks intact: check each link


def _duplicated_seqs(valid: _Numbered) -> tuple[set[int], list[Problem]]:
    """Duplicated seq: the copy nothing links to (or the later one) was inserted."""
    linked = {o["prev"] for _, o in valid}
    by_seq: dict[int, _Numbered] = {}
    for i, o in valid:
        by_seq.setdefault(o["seq"], []).append((i, o))
    inserted: set[int] = set()
    problems = []
    for seq, group in by_seq.items():
        if len(group) < 2:
            continue
        genuine = [g for g in group if g[1]["hash"] in linked] or group[:1]
        for i, _o in group:
            if i != genuine[0][0]:
                inserted.add(i)
                problems.append(Problem(i, "inserted", f"line {i} was inserted (a second "
                                        f"seq {seq})"))
    return inserted, problems


def _reordered(rest: _Numbered, ordered: list[int]) -> list[Problem]:
    if [o["seq"] for _, o in rest] == ordered:
        return []
    return [Problem(i, "reordered", f"line {i} holds seq {o['seq']} where seq {want} "
                    "belongs: lines were reordered")
            for (i, o), want in zip(rest, ordered, strict=True) if o["seq"] != want]


def _deleted(objs: list[_Line], rest: _Numbered, ordered: list[int]) -> list[Problem]:
    """Gaps in the sequence not explained by as many unreadable lines in their place."""
    problems = []
    prev_seq, prev_line = 0, 0
    for (i, _o), seq in zip(rest, ordered, strict=True):
        unreadable = i - prev_line - 1 == seq - prev_seq - 1 and all(
            objs[x - 1] is None for x in range(prev_line + 1, i))
        if seq > prev_seq + 1 and not unreadable:
            missing = f"seq {prev_seq + 1}" if seq == prev_seq + 2 else \
                f"seq {prev_seq + 1}-{seq - 1}"
            where = f"between line {prev_line} and line {i}" if prev_line else "before line 1"
            problems.append(Problem(i, "deleted", f"{missing} deleted {where}"))
        prev_seq, prev_line = seq, i
    return problems


def _broken_links(valid: _Numbered, rest: _Numbered) -> list[Problem]:
    """Each line must link to the one before it: a line that links further back has
    lines inserted before it; one that links nowhere follows an edited line."""
    problems = []
    by_hash = {o["hash"]: i for i, o in valid}
    for k, (i, o) in enumerate(rest):
        want = GENESIS if k == 0 else rest[k - 1][1]["hash"]
        if o["prev"] == want or (k > 0 and rest[k - 1][0] != i - 1):
            continue
        j = by_hash.get(o["prev"])
        if j is not None and j < i - 1:
            span = f"line {i - 1}" if j + 1 == i - 1 else f"lines {j + 1}-{i - 1}"
            problems.append(Problem(i - 1, "inserted", f"{span} inserted: line {i} links to "
                                    f"line {j}"))
        elif k == 0:
            problems.append(Problem(1, "edited", "line 1 does not start the chain"))
        else:
            problems.append(Problem(i - 1, "edited", f"line {i - 1} (seq {rest[k - 1][1]['seq']})"
                                    f" was edited: line {i} no longer links to it"))
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, str]] = set()
    out = []
    for pr in sorted(problems, key=lambda x: x.line):
        if (pr.line, pr.kind) not in seen:
            seen.add((pr.line, pr.kind))
            out.append(pr)
    return out
