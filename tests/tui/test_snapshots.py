"""SVG snapshots of the queue, review, help and finish screens (pytest-textual-snapshot).

Deterministic: fixed rule set, reviewer, clock, theme and terminal size, no cursor
blink, review folder given relatively. Update with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import pytest

from ..conftest import SAMPLES


async def _settle(pilot) -> None:
    """Wait until background work (the queue's counts) is done and drawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (200, 60)])
def test_review_screen(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_settle)


def test_review_screen_light_after_decisions(snap_compare, make_app):
    # accept, reject, focus the next one: pending, accepted, rejected and focused styles.
    assert snap_compare(make_app(theme="textual-light"), press=["a", "a", "x", "l"],
                        terminal_size=(120, 36), run_before=_settle)


def test_help_screen(snap_compare, make_app):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(120, 50),
                        run_before=_settle)


def test_finish_screen_after_writing(snap_compare, make_app):
    # Decide every paragraph (accept all, paragraph by paragraph), then finish.
    keys = ["A", "j"] * 7 + ["A", "F", "enter"]
    assert snap_compare(make_app(), press=keys, terminal_size=(120, 36), run_before=_settle)


def test_finish_screen_with_pending(snap_compare, make_app):
    assert snap_compare(make_app(), press=["F"], terminal_size=(100, 30), run_before=_settle)


def test_queue_screen(snap_compare, make_app):
    assert snap_compare(make_app(SAMPLES), terminal_size=(160, 40), run_before=_settle)


def test_code_picker(snap_compare, make_app):
    assert snap_compare(make_app(), press=["m", "w", "enter", "b"], terminal_size=(100, 30),
                        run_before=_settle)
