"""A review's settings: the banner template and the case facts it fills in.

The settings live in the store's ``meta`` table as one JSON object; `Settings` is a
dict that writes itself back whenever it changes, so ``review.settings["case_no"] = ...``
is recorded at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DEFAULT_SETTINGS: dict[str, Any] = {
    "case_no": "",
    "doc_no": "",
    "authority": "",
    "banner": "{classification} U.S. Department of State Case No. {case_no} "
              "Doc No. {doc_no} Date: {date} Reviewer: {reviewer}",
    "date_format": "%m/%d/%Y",
}


class Settings(dict[str, Any]):
    """A dict that writes itself to the store whenever it changes."""

    def __init__(self, data: dict[str, Any], save: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(data)
        self._save = save

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._save(dict(self))

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._save(dict(self))

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._save(dict(self))
