"""TUI test fixtures: a fixed rule set, reviewer, clock, theme and terminal; no user
key map; no cursor blink; every review folder under the test's own directory, given as
a relative path so nothing machine-specific reaches a snapshot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewtool.tui.app import ReviewApp, create_app

from ..conftest import SAMPLES

HERE = Path(__file__).resolve().parent
RULES = HERE / "data" / "rules"
PARIS174 = SAMPLES / "05PARIS174.txt"
FIXED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
REVIEWER = "tester"


def fixed_clock() -> datetime:
    return FIXED


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Build the app the way the CLI does, deterministically, in a scratch folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEWTOOL_KEYMAP", raising=False)

    def make(target: Path = PARIS174, **kwargs) -> ReviewApp:
        options = dict(rules=[RULES], reviewer=REVIEWER, review_dir="reviews",
                       clock=fixed_clock, keymap={}, theme="textual-dark", blink=False)
        options.update(kwargs)
        return create_app(target, **options)

    return make


SIZE = (120, 36)


def run(make_app, script, **kwargs):
    """Run ``script(app, pilot)`` in a fresh app at `SIZE`; return the app."""

    async def go():
        app = make_app(**kwargs)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await script(app, pilot)
        return app

    return asyncio.run(go())
