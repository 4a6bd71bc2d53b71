"""A cable file -> `Cable`: bytes read (a regular file only, at most
`max_cable_bytes`), decoded (UTF-8, then the 8-bit encodings real exports use), then
parsed. Every failure is a `CableError` that names the file."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.parse import parse_cable
from reviewtool.errors import CableError

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

MAX_CABLE_BYTES = 20 * 1024 * 1024  # a real cable is a few KB; the largest corpus one 200 KB
MAX_BYTES_ENV = "REVIEWTOOL_MAX_CABLE_BYTES"


def max_cable_bytes() -> int:
    """The largest cable file read: `MAX_CABLE_BYTES`, or ``$REVIEWTOOL_MAX_CABLE_BYTES``."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return MAX_CABLE_BYTES
    if not raw.isdigit() or int(raw) < 1:
        raise CableError(f"must be a positive number of bytes, not {raw!r}",
                         source=MAX_BYTES_ENV)
    return int(raw)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return what
    return "not a regular file"


def read_cable_bytes(path: str | Path) -> bytes:
    """A cable file's bytes: only a regular file (a FIFO or a device would block or never
    end) and only up to `max_cable_bytes`; `CableError` naming the file otherwise."""
    p = str(path)
    limit = max_cable_bytes()
    try:
        # O_NONBLOCK: should the path turn into a FIFO after any check, opening it must
        # not wait for a writer; fstat then tells what was opened.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise CableError("no such file", source=p) from None
    except IsADirectoryError:
        raise CableError("is a directory", source=p) from None
    except OSError as exc:
        raise CableError(f"cannot read: {exc.strerror or exc}", source=p) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = file_kind(mode)
        raise CableError("is a directory" if what == "a directory" else
                         f"{what}, not a regular file; refusing to read it", source=p)
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise CableError(f"cannot read: {exc.strerror or exc}", source=p) from None
    if len(data) > limit:
        raise CableError(f"larger than {limit} bytes; refusing to read it (set "
                         f"{MAX_BYTES_ENV} to raise the limit)", source=p)
    return data


def decode_cable_bytes(data: bytes, source: str | None = None) -> str:
    """Bytes -> text: UTF-8, then the 8-bit encodings real exports use; binary refused."""
    name = source or "<input>"
    if not data.strip():
        raise CableError("empty file", source=name)
    if b"\x00" in data[:8192]:
        raise CableError("binary file (NUL bytes), not a cable", source=name)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROL_CHARS.findall(text, 0, 20000))
        if controls > max(3, len(text[:20000]) // 100):
            continue
        return text
    raise CableError("unreadable text: not UTF-8 or a known 8-bit encoding", source=name)


def read_cable(path: str | Path) -> Cable:
    """Read and parse a cable file; `CableError` names the file on any failure."""
    p = str(path)
    return parse_cable(decode_cable_bytes(read_cable_bytes(p), p), source=p)
