"""The app beyond the walk: palette, key map, mouse, header and preview, refusals shown
in the UI (leak check, a review begun with other rules), the queue, and the CLI's
one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewtool.cli import main
from reviewtool.tui.app import ErrorScreen, default_rules_path
from reviewtool.tui.screens.codes import CodePicker
from reviewtool.tui.screens.finish import FinishScreen
from reviewtool.tui.screens.header import HeaderScreen, PreviewScreen
from reviewtool.tui.screens.help import HelpScreen
from reviewtool.tui.screens.queue import QueueScreen
from reviewtool.tui.screens.review import ReviewScreen

from ..conftest import SAMPLES
from .conftest import PARIS174, RULES, run


def test_palette_runs_a_screen_action(make_app):
    async def script(app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"withhold")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, CodePicker)
        await pilot.press("enter")  # the proposed codes
        review = app.screen_stack[1].review
        assert review.disposition(app.screen_stack[1].current) == "withhold"

    run(make_app, script)


def test_keymap_remaps_by_binding_id(make_app):
    async def script(app, pilot):
        screen = app.screen
        first = screen.focus_id
        await pilot.press("a")  # no longer bound
        assert screen.review.decision(first) is None
        await pilot.press("y")
        assert screen.review.decision(first).accepted
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)

    run(make_app, script, keymap={"review.accept": "y"})


def test_mouse_picks_a_paragraph(make_app):
    async def script(app, pilot):
        screen = app.screen
        await pilot.click("#plist", offset=(3, 2))  # second row: ¶6
        await pilot.pause()
        assert screen.cable.paragraphs[screen.current].label == "¶6"

    run(make_app, script)


def test_order_filter_header_and_preview(make_app):
    async def script(app, pilot):
        screen = app.screen
        await pilot.press("o")
        assert screen.walk == list(range(len(screen.cable.paragraphs)))
        await pilot.press("v")  # S only: every paragraph of this cable
        assert screen.level == "S"
        await pilot.press("d")
        assert isinstance(app.screen, HeaderScreen)
        await pilot.press("escape", "a", "r")
        assert isinstance(app.screen, PreviewScreen)
        shown = str(app.screen.query_one("#preview-body").render())
        assert "RELEASE IN PART B6" in shown and "[B6]" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)

    run(make_app, script)


def test_leak_check_refusal_is_shown_and_nothing_written(make_app):
    async def script(app, pilot):
        await pilot.press("a", "F", "exclamation_mark")  # one Bertolotti of many
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        assert app.screen.written is None
        shown = str(app.screen.query_one("#finish-result").render())
        assert "leak check refused" in shown and "No decision was lost" in shown

    run(make_app, script)
    assert not Path("reviews/out/05PARIS174.txt").exists()


def test_pending_refusal_then_finish_anyway(make_app):
    async def script(app, pilot):
        await pilot.press("F", "enter")
        assert app.screen.written is None
        assert "still pending" in str(app.screen.query_one("#finish-result").render())

    run(make_app, script)


def test_review_begun_with_other_rules_is_refused_in_the_ui(make_app):
    async def first(app, pilot):
        await pilot.press("a")

    run(make_app, first)

    async def second(app, pilot):
        assert isinstance(app.screen, ErrorScreen)
        assert "--rules" in str(app.screen.advice)

    run(make_app, second, rules=[default_rules_path()])


def test_queue_opens_a_cable_and_reopens_the_last_one(make_app):
    async def script(app, pilot):
        assert isinstance(app.screen, QueueScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")  # the first row: highest marking first
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.cable.id == "05PARIS174"
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("slash", *"tunis", "enter", "enter")
        assert app.screen.cable.id == "06TUNIS55"

    run(make_app, script, target=SAMPLES)

    async def again(app, pilot):
        assert isinstance(app.screen, ReviewScreen)  # straight back where we were
        assert app.screen.cable.id == "06TUNIS55"

    run(make_app, again, target=SAMPLES)


@pytest.mark.parametrize(("args", "needle"), [
    (["--rules", "BAD"], "bad.yaml:"),
    ([], "binary.txt"),
    ([], "no such file"),
])
def test_cli_errors_are_one_line(tmp_path, capsys, args, needle):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ruleset: bad\nrules:\n  - id: a\n    kind: terms\n    terms: [x]\n"
                   "    codes: [b99]\n    reason: r\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    target = {"bad.yaml:": PARIS174, "binary.txt": binary,
              "no such file": tmp_path / "missing.txt"}[needle]
    argv = ["review", str(target), "--rules", str(bad) if args else str(RULES),
            "--review-dir", str(tmp_path / "r")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
    assert err.startswith("reviewtool: ")


def test_cli_help_lists_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    out = capsys.readouterr().out
    for option in ("CABLE_OR_DIR", "--rules", "--reviewer", "--review-dir", "--keymap"):
        assert option in out
