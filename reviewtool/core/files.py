"""Files: the one atomic writer and the walk over a folder of cables.

Every output is written whole or not at all (a temporary file beside it, fsync, then
`os.replace`), so a reader or a killed run sees the old file or the new, never half. Its
mode follows what it holds: a release copy is meant to be handed over and is an ordinary
file (0666 less the umask); everything else a run writes (suggestions with the withheld
text, reports, review state, manifests) may say what was withheld and is the owner's
alone (0600).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from reviewtool.errors import ReviewError


class Holds(StrEnum):
    """What a file holds, which decides who may read it."""

    RELEASE = "release"  # a release copy: nothing withheld is in it
    PRIVATE = "private"  # anything that may name or describe what was withheld


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()
_MODES = {Holds.RELEASE: 0o666 & ~_UMASK, Holds.PRIVATE: 0o600}


@contextlib.contextmanager
def atomic_writer(path: str | Path, holds: Holds = Holds.PRIVATE) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the block ends without error."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _MODES[holds])  # mkstemp makes 0600
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | Path, data: bytes | str, holds: Holds = Holds.PRIVATE) -> None:
    """Write ``data`` (text is written as UTF-8, its newlines as given) atomically."""
    with atomic_writer(path, holds) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def make_folder(path: str | Path, what: str) -> Path:
    """Create folder ``path`` (and its parents) if missing; `ReviewError` naming ``what``
    (``"output folder"``) and the reason when it cannot be."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReviewError(f"cannot create {what}: {exc.strerror or exc}",
                          source=str(folder)) from None
    return folder


def remove_temporaries(folder: Path, patterns: tuple[str, ...] = (".*.tmp",)) -> None:
    """Temporary files a killed run left behind (never visible under a real name)."""
    if not folder.is_dir():
        return
    for pattern in patterns:
        for p in folder.glob(pattern):
            with contextlib.suppress(OSError):
                p.unlink()


SkipReport = Callable[[Path, str], None]  # a path left out of a walk, and why


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            return sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []


def _skip_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link"
    return f"cannot read: {exc.strerror or exc}"


def walk_cables(root: str | Path, exclude: Path | None = None,
                skipped: SkipReport | None = None) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order (sorted by name at each level,
    depth first), hidden files and folders skipped, ``exclude`` (the output folder) left
    out. A link back to a folder being walked (``up -> ..``), a link loop, a broken link
    and anything not a regular file (a FIFO, a device, a socket) are left out and told to
    ``skipped``, so a hostile folder can neither hang the walk nor make it endless. A
    stream without recursion: one listing per level is held at a time."""
    exclude_real = os.path.realpath(exclude) if exclude is not None else None
    report: SkipReport = skipped or (lambda _p, _why: None)
    top = os.path.realpath(root)
    # Each level: the folder's real path (its ancestors are the levels below) and what
    # is left of its listing.
    stack: list[tuple[str, Iterator[os.DirEntry[str]]]] = [(top, iter(_entries(str(root))))]
    while stack:
        e = next(stack[-1][1], None)
        if e is None:
            stack.pop()
            continue
        try:
            mode = os.stat(e.path).st_mode  # follows links: what the entry is
        except OSError as exc:
            report(Path(e.path), _skip_reason(exc))
            continue
        if stat.S_ISDIR(mode):
            real = os.path.realpath(e.path)
            if real == exclude_real:
                continue
            if any(real == level for level, _ in stack):
                report(Path(e.path), "link to a folder that contains it (a loop)")
                continue
            stack.append((real, iter(_entries(e.path))))
        elif stat.S_ISREG(mode):
            yield Path(e.path)
        else:
            report(Path(e.path), "not a regular file (a FIFO, a device or a socket)")


def cable_paths(paths: Iterable[str | Path], skipped: SkipReport | None = None
                ) -> Iterator[Path]:
    """Files named, and the files inside folders named (see `walk_cables`, which tells
    ``skipped`` what it leaves out). A missing path is yielded as is so the reader
    reports it."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from walk_cables(p, skipped=skipped)
        else:
            yield p
