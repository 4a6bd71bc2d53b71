"""The files a rule set reads besides its YAML (``terms_file``): only under its folder,
and each recorded, so that the rule set's SHA-256 covers everything it loaded.

A rule set is often shared or downloaded; letting it name any file would read
``/etc/shadow`` or a case's private notes as "terms" (and show them as suggestions).
So a path must be relative and must stay inside the rule set's folder once symlinks
are resolved; there is no switch to allow more (docs/RULES.md: where terms files go).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePath


class RuleFileError(Exception):
    """A file a rule names cannot be read (the message names the path as written)."""


def digest(entries: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over (name, content) pairs in the order given; each pair adds two
    fixed-length hashes, so no two different lists hash alike."""
    h = hashlib.sha256()
    for name, data in entries:
        h.update(hashlib.sha256(name.encode("utf-8")).digest())
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


class RuleFiles:
    """Reads the files one rule set names, relative to its folder ``folder``; ``loaded``
    holds each one read (its path relative to the folder, POSIX style, and its bytes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loaded: dict[str, bytes] = {}

    def read_text(self, key: str, raw: str) -> str:
        """The text of the file ``raw`` (named under the rule's ``key``), UTF-8."""
        rel, target = self._locate(key, raw)
        try:
            info = os.stat(target)
        except FileNotFoundError:
            raise RuleFileError(f"{key} not found: {raw!r} (in {self.folder})") from None
        except OSError as exc:
            raise RuleFileError(f"cannot read {key} {raw!r}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would hang or never end
            raise RuleFileError(f"{key} {raw!r} is not a regular file")
        try:
            data = target.read_bytes()
            text = data.decode("utf-8-sig")
        except OSError as exc:
            raise RuleFileError(f"cannot read {key} {raw!r}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise RuleFileError(f"{key} {raw!r} is not UTF-8 text: {exc}") from None
        self.loaded[rel] = data
        return text

    def _locate(self, key: str, raw: str) -> tuple[str, Path]:
        """The file's path relative to the folder, and where it really is."""
        written = PurePath(raw)
        if written.is_absolute() or written.drive or written.root or "\0" in raw:
            raise RuleFileError(f"{key} {raw!r} must be a path relative to the rule set's "
                                "folder")
        try:
            folder = self.folder.resolve()
            target = (folder / written).resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, say
            raise RuleFileError(f"cannot resolve {key} {raw!r}: {exc}") from None
        if not target.is_relative_to(folder):
            raise RuleFileError(f"{key} {raw!r} is outside the rule set's folder {folder}: "
                                "place it in that folder or a subfolder (no '..' or symlink "
                                "leading out)")
        return target.relative_to(folder).as_posix(), target
