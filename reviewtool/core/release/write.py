"""Writing a release copy: atomically, never over an input, never with a leak."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from reviewtool.core.files import Holds, write_atomic
from reviewtool.core.release.model import Release
from reviewtool.errors import LeakError, ReviewError


def is_input(path: str | Path, source: str | Path | None) -> bool:
    """``path`` is the input file ``source`` (by name, or as the same file by a link)."""
    if source is None:
        return False
    out, src = Path(path), Path(source)
    if out.resolve() == src.resolve():
        return True
    return out.exists() and src.exists() and os.path.samefile(out, src)


def refuse_inputs(path: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """Refuse to write over an input (the original cable is never modified)."""
    for src in inputs:
        if is_input(path, src):
            raise ReviewError(f"output path is the input cable {src}; refusing to overwrite it",
                              source=str(path))


def leak_error(release: Release, name: str | None) -> LeakError:
    lines = [f"leak check refused the release copy of {name or 'the cable'}: "
             f"{len(release.leaks)} place(s) still show withheld text"]
    lines += ["  " + leak.describe() for leak in release.leaks]
    return LeakError("\n".join(lines))


def write_release(release: Release, path: str | Path, *,
                  inputs: Iterable[str | Path | None] = (), name: str | None = None) -> Path:
    """Write a release copy atomically; `LeakError` (nothing written) if it leaks."""
    if release.leaks:
        raise leak_error(release, name)
    refuse_inputs(path, inputs)
    write_atomic(path, release.text, Holds.RELEASE)  # creates the folder if need be
    return Path(path)
