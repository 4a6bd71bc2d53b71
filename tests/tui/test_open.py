"""Opening cables fast without losing anything: a resumed review does not run the engine
(a later background check still tells the reviewer when the engine now suggests
differently), the review screen is composed once and reused from the queue, and the
one-widget key bar does what the footer did (click a key, hover for its tooltip)."""

from __future__ import annotations

import pytest

import reviewtool.core.suggest.engine as engine
import reviewtool.tui.app as app_module
from reviewtool.tui.screens.help import HelpScreen
from reviewtool.tui.screens.queue import QueueScreen
from reviewtool.tui.screens.review import ReviewScreen
from reviewtool.tui.widgets.footer import KeyBar
from reviewtool.tui.widgets.paragraph_list import ParagraphList

from ..conftest import SAMPLES
from .conftest import run


@pytest.fixture
def engine_calls(monkeypatch):
    """Count the engine's runs; ``drop_first`` makes it suggest one less than it did."""
    calls: list[str] = []
    original = engine.suggest
    state = {"drop_first": False}

    def counted(cable, rules, *args, **kwargs):
        calls.append(cable.id)
        out = original(cable, rules, *args, **kwargs)
        return out[1:] if state["drop_first"] else out

    monkeypatch.setattr(engine, "suggest", counted)
    monkeypatch.setattr(app_module, "CHECK_DELAY", 0.05)
    return calls, state


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_resumed_review_does_not_run_the_engine(make_app, engine_calls, monkeypatch):
    calls, _state = engine_calls
    decided = {}

    async def first(app, pilot):
        assert calls == ["05PARIS174"]  # a new review: the engine ran once
        decided["id"] = app.screen.focus_id
        await pilot.press("a")

    run(make_app, first)
    calls.clear()
    monkeypatch.setattr(app_module, "CHECK_DELAY", 60)  # no background check in this run

    async def second(app, pilot):
        assert isinstance(app.screen, ReviewScreen)
        assert calls == []  # resumed from the store alone
        assert app.screen.review.resumed
        assert app.screen.review.decision(decided["id"]).accepted

    run(make_app, second)


def test_engine_that_now_suggests_differently_is_reported_after_opening(make_app,
                                                                         engine_calls):
    calls, state = engine_calls
    kept = {}

    async def first(app, pilot):
        kept["n"] = len(app.screen.review.suggestions)

    run(make_app, first)

    async def same(app, pilot):
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any("suggest differently" in n for n in _notes(app))

    calls.clear()
    run(make_app, same)
    assert calls == ["05PARIS174"]  # the check ran, after the screen was up

    async def changed(app, pilot):
        assert len(app.screen.review.suggestions) == kept["n"]  # the stored ones, kept
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("suggest differently" in n for n in _notes(app))

    state["drop_first"] = True
    run(make_app, changed)


def test_queue_reuses_the_review_screen_for_another_cable(make_app):
    async def script(app, pilot):
        assert isinstance(app.screen, QueueScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.cable.id == "05PARIS174"
        paris = screen.review
        await pilot.press("j", "a")  # a decision on paragraph two of the walk
        paris_progress = paris.progress()
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("slash", *"tunis", "enter", "enter")
        assert app.screen is screen  # composed once, shown again
        assert screen.cable.id == "06TUNIS55" and screen.review is not paris
        plist = screen.query_one(ParagraphList)
        assert sorted(plist.order) == [p.index for p in screen.cable.paragraphs]
        assert screen.current == screen.walk[0]  # a review just begun: top of the walk
        assert plist.highlighted == 0 and plist.scroll_offset.y == 0
        assert all(it.start >= screen.cable.paragraphs[screen.current].start
                   for it in screen.items)  # the items are the new cable's
        await pilot.press("f")  # a decision goes to the cable now shown
        assert screen.review.disposition(screen.current) == "release"
        assert paris.progress() == paris_progress
        await pilot.press("escape", "slash", *"paris174", "enter", "enter")
        assert app.screen is screen and screen.cable.id == "05PARIS174"
        assert screen.current == paris.position  # back where the reviewer stopped

    run(make_app, script, target=SAMPLES)


def test_key_bar_click_presses_the_key_and_hover_shows_its_tooltip(make_app):
    async def script(app, pilot):
        bar = app.screen.query_one(KeyBar)
        spans = {key[0].action: (a, b) for a, b, key in bar._spans}
        assert {"accept", "reject", "finish", "help"} <= set(spans)
        a, _b = spans["accept"]
        await pilot.hover(KeyBar, offset=(a, 0))
        await pilot.pause()
        assert "Accept the focused suggestion" in str(bar.tooltip)
        focused = app.screen.focus_id
        await pilot.click(KeyBar, offset=(a, 0))
        await pilot.pause()
        assert app.screen.review.decision(focused).accepted
        h, _ = spans["help"]
        await pilot.click(KeyBar, offset=(h, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)

    run(make_app, script)


def test_key_bar_follows_a_remapped_key(make_app):
    async def script(app, pilot):
        bar = app.screen.query_one(KeyBar)
        shown = {key[0].action: key[1] for _a, _b, key in bar._spans}
        assert shown["accept"] == "y"

    run(make_app, script, keymap={"review.accept": "y"})
