"""A cable file -> `Cable`: bytes decoded (UTF-8, then the 8-bit encodings real exports
use), then parsed. Every failure is a `CableError` that names the file."""

from __future__ import annotations

import re
from pathlib import Path

from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.parse import parse_cable
from reviewtool.errors import CableError

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


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
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise CableError("no such file", source=str(p)) from None
    except IsADirectoryError:
        raise CableError("is a directory", source=str(p)) from None
    except OSError as exc:
        raise CableError(f"cannot read: {exc.strerror or exc}", source=str(p)) from None
    return parse_cable(decode_cable_bytes(data, str(p)), source=str(p))
