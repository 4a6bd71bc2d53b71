"""Every key on cables of every shape: duplicates, database rows, a 1966 telegram,
unmarked paragraphs, a cable with no suggestions (test rules) or many (bundled rules).
Nothing may raise; the screen must stay on the review with its state readable."""

from __future__ import annotations

import asyncio

import pytest

from reviewtool.tui.app import default_rules_path
from reviewtool.tui.screens.review import ReviewScreen

from ..conftest import SAMPLES

KEYS = ["j", "l", "a", "x", "h", "A", "e", "u", "U", "o", "v", "v", "k", "i", "z",
        "f", "m", "escape", "w", "escape", "c", "escape", "n", "escape", "d", "escape",
        "r", "escape", "question_mark", "escape", "F", "escape"]


@pytest.mark.parametrize(("name", "bundled"), [
    ("08WARSAW953", True), ("06BERN2115", True), ("66BUENOSAIRES2481", False),
    ("09BRASILIA349", True), ("05MADRID4026", True), ("07MANAMA1060", False)])
def test_every_key_on_every_shape(make_app, name, bundled):
    async def go():
        extra = {"rules": [default_rules_path()]} if bundled else {}
        app = make_app(SAMPLES / f"{name}.txt", **extra)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for key in KEYS:
                await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            decided, total = screen.review.progress()
            assert 0 <= decided <= total
            return app

    app = asyncio.run(go())
    assert app.return_code in (None, 0)
