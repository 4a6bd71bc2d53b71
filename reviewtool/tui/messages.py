"""Messages the widgets post to their screens: plain dataclasses, no logic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message


@dataclass
class ParagraphChosen(Message):
    """The reviewer clicked a paragraph in the list."""

    index: int


@dataclass
class CableChosen(Message):
    """The reviewer opened a cable from the queue."""

    path: Path
