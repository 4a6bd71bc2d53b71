"""A reviewer's walk through 05PARIS174 with real key presses, then the files written.

Walk (by marking: ¶3, ¶6, ¶6+, ¶1, ¶2, ¶4, ¶4+, ¶5): withhold "Bertolotti" everywhere,
accept one British source (with a note) and reject another, mark a span by keyboard with codes from
the picker, withhold ¶6, undo it and withhold it again, accept the rest, try to release
¶4 in full (refused: a name in it is withheld), finish. Then the release copy and the
audit log are checked, and the resume test reopens a review left midway.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from reviewtool.core.audit import verify
from reviewtool.tui.screens.finish import FinishScreen
from reviewtool.tui.screens.review import ReviewScreen

from .conftest import FIXED, REVIEWER

SIZE = (120, 36)


def by_text(review, text: str, paragraph: int) -> list[str]:
    return [s.id for s in review.suggestions if s.text == text and s.paragraph == paragraph]


def test_walk_paris174(make_app):
    asyncio.run(_walk(make_app))
    _check_written()


async def _walk(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        review = screen.review
        cable = review.cable
        # The walk starts at the highest marking: ¶3 (S//NF).
        assert cable.paragraphs[screen.current].label == "¶3"
        assert screen._focused().text == "Bertolotti"

        await pilot.press("e")  # the name, everywhere in the cable
        bertolotti = [s for s in review.suggestions if s.text == "Bertolotti"]
        assert bertolotti and all(review.decision(s.id).accepted for s in bertolotti)
        assert screen._focused().text == "British Embassy officer"

        await pilot.press("a")
        (embassy,) = by_text(review, "British Embassy officer", 2)
        assert review.decision(embassy).accepted
        await pilot.press("h", "n", *"UK liaison channel", "enter")  # a note on it
        assert review.decision(embassy).note == "UK liaison channel"
        await pilot.press("l")
        await pilot.press("x")
        (security,) = by_text(review, "British security representatives", 2)
        assert review.decision(security).status == "reject"

        # Manual redaction by keyboard: from the focused span move three words on,
        # start there, select two words, pick 1.4(d) then (b)(1) by typing, confirm.
        await pilot.press("m")
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right", "space", "w", "w",
                          "enter")
        await pilot.press(*"1.4d", "enter", "b", "1", "enter", "enter")
        await pilot.pause()
        (manual,) = review.manuals()
        assert cable.text[manual.start:manual.end] == "in Paris"
        assert manual.codes == ("(b)(1)", "1.4(d)")

        await pilot.press("j")  # ¶6
        assert cable.paragraphs[screen.current].label == "¶6"
        await pilot.press("w", "enter")  # the picker proposes the paragraph's codes
        assert review.disposition(screen.current) == "withhold"
        await pilot.press("u")
        assert review.disposition(screen.current) is None
        await pilot.press("w", "enter")
        assert review.paragraph_status(screen.current) == "withheld"

        for label in ("¶6+", "¶1", "¶2", "¶4", "¶4+", "¶5"):
            await pilot.press("j")
            assert cable.paragraphs[screen.current].label == label
            if label == "¶4":
                await pilot.press("f")  # refused: Bertolotti is withheld in it
                assert review.disposition(screen.current) is None
            await pilot.press("A")
            assert review.paragraph_status(screen.current) == "in part"
        assert review.pending() == []

        await pilot.press("F")
        assert isinstance(app.screen, FinishScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.written is not None


def _check_written():
    out = Path("reviews/out")
    release = (out / "05PARIS174.txt").read_text(encoding="utf-8")
    head, body = release.split("=" * 72, 1)
    assert head.startswith("RELEASE IN PART")
    for hidden in ("Bertolotti", "British Embassy officer", "in Paris had met",
                   "suspect cooperation", "New Technologies Islamabad", "In'Trad"):
        assert hidden not in body, hidden
    for kept in ("British security representatives", "EST officer", "Charles de"):
        assert kept in body, kept
    assert "B6" in head and "1.4(D)" in head

    audit = out / "05PARIS174.audit.jsonl"
    assert verify(audit).ok
    events = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    actions = [e["action"] for e in events]
    for action in ("accept", "reject", "manual", "set_note", "dispose", "undo", "output"):
        assert action in actions, action
    assert actions.index("undo") > actions.index("dispose")
    assert {e["reviewer"] for e in events if "reviewer" in e} == {REVIEWER}
    assert all(e["time"].startswith(FIXED.date().isoformat()) for e in events if "time" in e)
    (mark,) = [e for e in events if e["action"] == "manual" and not e.get("origin")]
    assert mark["codes"] == ["(b)(1)", "1.4(d)"]


def test_resume_lands_on_the_same_paragraph(make_app):
    asyncio.run(_resume(make_app))


async def _resume(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a", "j", "j", "x", "l", "a")
        review = screen.review
        stopped_at = screen.current
        decided = {s.id: review.decision(s.id).status for s in review.suggestions
                   if review.decision(s.id) is not None}
        assert len(decided) == 3
        await pilot.press("q")
    assert not app.is_running

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.current == stopped_at
        assert screen.review.cable.paragraphs[stopped_at].label == "¶6+"
        now = {s.id: screen.review.decision(s.id).status for s in screen.review.suggestions
               if screen.review.decision(s.id) is not None}
        assert now == decided
        await pilot.press("u")  # undo survives the restart too
        assert len([1 for s in screen.review.suggestions
                    if screen.review.decision(s.id) is not None]) == 2
