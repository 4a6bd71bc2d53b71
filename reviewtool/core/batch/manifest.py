"""What makes a run resumable: ``OUT/manifest.jsonl`` (one record per cable outcome) and
``OUT/.consistency-cache.jsonl`` (the consistency scan's hits under the manifest's hash).

A rerun skips each cable whose content, rule set, mode and date match its entry and
whose outputs are intact; a rerun that changes nothing reuses the scan's hits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reviewtool.core.batch.types import FORMAT, Hits, ManifestRecord
from reviewtool.core.files import atomic_writer

MANIFEST = "manifest.jsonl"

# What a record was made with: format, content SHA-256, rules SHA-256, mode, date.
Key = tuple[object, ...]


@dataclass(slots=True)
class Entry:
    """What the manifest keeps in memory of one record: where it is, and enough to tell
    whether its cable is done."""

    key: Key
    offset: int
    length: int
    ok: bool
    name: str | None
    outputs: dict[str, int]
    size: int = 0
    seen: bool = False


def record_key(rec: ManifestRecord) -> Key:
    return (rec.get("format"), rec.get("sha256"), rec.get("rules_sha256"), rec.get("mode"),
            rec.get("on"))


def _sort_key(rel: str) -> tuple[str, ...]:
    return tuple(rel.split("/"))


class Manifest:
    """``OUT/manifest.jsonl``: a journal of one JSON record per cable outcome, appended as
    cables finish (a killed run keeps every finished record; a torn last line is ignored),
    compacted at the end of a run into walk order with one record per present cable.

    Only a small index (key, offset, outputs) is held in memory; records stay on disk."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST
        self.index: dict[str, Entry] = {}
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
                    self.index[rec["file"]] = _entry(rec, offset, len(line))
                except (ValueError, KeyError, TypeError):
                    pass  # an unreadable record only means that cable is done again
                offset += len(line)
        if offset != self.path.stat().st_size:
            with open(self.path, "r+b") as f:
                f.truncate(offset)  # so that appends start on a clean line

    def done(self, file: str, key: Key) -> Entry | None:
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

    def record(self, rec: ManifestRecord) -> None:
        line = (json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        old = self.index.get(rec["file"])
        if old is not None:
            for rel in set(old.outputs) - set(rec.get("outputs") or {}):
                with contextlib.suppress(OSError):
                    (self.out_dir / rel).unlink()
        self._fh.write(line)
        self._fh.flush()
        self.index[rec["file"]] = _entry(rec, self._end, len(line), seen=True)
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

    def records(self) -> Iterator[ManifestRecord]:
        """The compacted records, in walk order, read one at a time."""
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def _entry(rec: ManifestRecord, offset: int, length: int, *, seen: bool = False) -> Entry:
    return Entry(record_key(rec), offset, length, rec["status"] == "ok", rec.get("name"),
                 dict(rec.get("outputs") or {}), int(rec.get("size") or 0), seen=seen)


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
