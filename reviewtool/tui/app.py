"""The review app and its factory, shared by ``reviewtool review`` and the tests.

`create_app(target, ...)` loads the rule set and the cable (or the folder of cables) and
returns a `ReviewApp`; bad input raises a `ReviewToolError` before any screen is drawn.
The app starts on the queue for a folder (and reopens the cable last worked on), or on
the review of a single cable at the paragraph where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from reviewtool.core.cable.read import read_cable
from reviewtool.errors import ReviewToolError, RuleError, StaleReviewError
from reviewtool.tui.commands import ActionsProvider
from reviewtool.tui.messages import CableChosen
from reviewtool.tui.session import Clock, Entry, Workspace, load_entries

if TYPE_CHECKING:  # screens and the core's review are imported when first used
    from reviewtool.core.review.review import Review
    from reviewtool.core.rules.model import RuleSet
    from reviewtool.tui.screens.review import ReviewScreen

KEYMAP_ENV = "REVIEWTOOL_KEYMAP"
CHECK_DELAY = 1.0  # seconds after opening a resumed review before its suggestions are checked


def default_keymap_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reviewtool" / "keymap.yaml"


def load_keymap(path: str | Path | None) -> dict[str, str]:
    """Binding id -> keys (``review.accept: "y,enter"``) from a YAML file; {} if absent."""
    if path is None:
        return {}
    p = Path(path)
    if not p.is_file():
        return {}
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ReviewToolError(f"cannot read the key map: {exc}", source=str(p)) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in data.items()):
        raise ReviewToolError("the key map must map binding ids to keys, e.g. "
                              "'review.accept: y'", source=str(p))
    return data


class ErrorScreen(Screen[None]):
    """An error that stops a review from opening, and what to do about it."""

    BINDINGS = [Binding("escape", "back", "back", id="error.back")]

    def __init__(self, title: str, message: str, advice: str) -> None:
        super().__init__()
        self.title_text, self.message, self.advice = title, message, advice

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(Text(self.message, "bold red"))
            yield Static(self.advice)
            yield Static("q quit" + (" · esc back" if len(self.app.screen_stack) > 1 else ""),
                         classes="dialog-hint")
        yield Footer()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.dismiss()


def advice_for(exc: ReviewToolError) -> str:
    """What the reviewer can do about an error that stops a cable from opening."""
    if isinstance(exc, StaleReviewError):
        return ("The review was begun on a different version of this cable or rule set. "
                "Run with the rules it began with (--rules), or start a new review in "
                "another folder (--review-dir).")
    if isinstance(exc, RuleError):
        return ("Fix the rule named above (reviewtool rules check), then run reviewtool "
                "review again.")
    return "Check the file named above, then run reviewtool review again."


class ReviewApp(App[None]):
    """The interactive review."""

    CSS_PATH = "app.tcss"
    TITLE = "reviewtool"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS = [
        Binding("q", "quit", "quit", id="app.quit",
                tooltip="Quit; every decision is already saved"),
        Binding("question_mark,f1", "help", "help", id="app.help",
                tooltip="Every key of every screen"),
        Binding("ctrl+t", "toggle_theme", "theme", show=False, id="app.theme",
                tooltip="Switch between the light and the dark theme"),
    ]

    def __init__(self, workspace: Workspace, *, keymap: dict[str, str] | None = None,
                 theme: str | None = None, blink: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.blink = blink  # cursor blink in text fields (off in tests and snapshots)
        self.keymap = dict(keymap or {})
        # The review screen, once composed (see open_entry).
        self._review_screen: ReviewScreen | None = None
        if theme:
            self.theme = theme

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        ws = self.workspace
        if ws.folder:
            from reviewtool.tui.screens.queue import QueueScreen

            self.push_screen(QueueScreen(ws))
            last = ws.store.last_cable
            entry = next((e for e in ws.entries if e.cable is not None
                          and _key(e) == last), None)
            if entry is not None:
                self.open_entry(entry)
        else:
            self.open_entry(ws.entries[0])

    def open_entry(self, entry: Entry) -> None:
        """Open (or resume) the review of one cable on the review screen (composed on the
        first open, then reused: updated in place, or pushed again over the queue)."""
        from reviewtool.tui.screens.review import ReviewScreen

        if entry.cable is None:
            self.push_screen(ErrorScreen(f"{entry.path.name} cannot be reviewed",
                                         entry.error or "does not parse",
                                         "Check the file: it is not a cable the parser "
                                         "recognizes."))
            return
        try:
            review = self.workspace.open_review(entry.cable)
        except ReviewToolError as exc:
            self.push_screen(ErrorScreen(f"{entry.cable.id} cannot be opened", str(exc),
                                         advice_for(exc)))
            return
        screen = self._review_screen
        if screen is not None and (screen is self.screen or screen not in self.screen_stack):
            # The one review screen, composed once: shown again with this review.
            screen.load(review)
            if screen is not self.screen:
                self.push_screen(screen)
        else:
            screen = ReviewScreen(self.workspace, review)
            if self._review_screen is None:
                self._review_screen = screen
                self.install_screen(screen, name="review")  # kept when popped: reused
            self.push_screen(screen)
        if review.suggestions_changed:
            self._warn_suggestions_changed()
        elif review.resumed:
            # A resumed review was opened without running the engine; compare its stored
            # suggestions with the engine's once the screen is up and the reviewer reading.
            self.set_timer(CHECK_DELAY, lambda: self._check_suggestions(review))

    def _warn_suggestions_changed(self) -> None:
        self.notify("The rules now suggest differently than when this review began; "
                    "the review keeps its original suggestions.", timeout=8)

    @work(thread=True, group="suggestions-check")
    def _check_suggestions(self, review: Review) -> None:
        try:
            changed = self.workspace.suggestions_changed(review)
        except ReviewToolError:
            return  # the review itself is fine; the engine's own errors show elsewhere
        if changed and not get_current_worker().is_cancelled:
            self.call_from_thread(self._warn_suggestions_changed)

    def on_cable_chosen(self, message: CableChosen) -> None:
        entry = next(e for e in self.workspace.entries if e.path == message.path)
        self.open_entry(entry)

    def help_sections(self) -> list[tuple[str, list[Binding]]]:
        from reviewtool.tui.screens.codes import CodePicker
        from reviewtool.tui.screens.finish import FinishScreen
        from reviewtool.tui.screens.mark import MarkScreen
        from reviewtool.tui.screens.queue import QueueScreen
        from reviewtool.tui.screens.review import ReviewScreen

        sections = [("Review", _bindings(ReviewScreen.BINDINGS)),
                    ("Mark text (manual redaction)", _bindings(MarkScreen.BINDINGS)),
                    ("Code picker", _bindings(CodePicker.BINDINGS)),
                    ("Finish", _bindings(FinishScreen.BINDINGS))]
        if self.workspace.folder:
            sections.insert(0, ("Queue", _bindings(QueueScreen.BINDINGS)))
        sections.append(("Everywhere", [*_bindings(self.BINDINGS), Binding(
            "ctrl+p", "command_palette", "command palette: every action by name",
            id="app.palette")]))
        return sections

    def action_help(self) -> None:
        from reviewtool.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self.keymap))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def on_unmount(self) -> None:
        self.workspace.close()


def _bindings(declared: Iterable[BindingType]) -> list[Binding]:
    """The `Binding`s of a ``BINDINGS`` list (every screen here declares only those)."""
    return [b for b in declared if isinstance(b, Binding)]


def _key(entry: Entry) -> str:
    from reviewtool.core.outputs import cable_key

    return cable_key(entry.cable) if entry.cable else str(entry.path)


def default_rules_path() -> Path:
    """The bundled rule sets."""
    try:
        from reviewtool.core.rules.load import bundled_rules_path
    except ImportError:  # older core: the rules/ folder next to the package
        return Path(__file__).resolve().parents[2] / "rules"
    return Path(bundled_rules_path())


def create_app(target: str | Path, *, rules: Sequence[str | Path] | None = None,
               reviewer: str, review_dir: str | Path = "reviews", clock: Clock | None = None,
               keymap: dict[str, str] | None = None, theme: str | None = None,
               ruleset: RuleSet | None = None, blink: bool = True) -> ReviewApp:
    """The app for a cable file or a folder of cables.

    Raises `RuleError` (a rule set fails validation), `CableError` (the cable does not
    parse, or the folder holds no file) before anything is drawn. ``ruleset`` (an
    already loaded `RuleSet`) skips loading ``rules``.
    """
    from reviewtool.core.files import cable_paths
    from reviewtool.core.rules.load import load_rules

    loaded = ruleset if ruleset is not None else load_rules(
        list(rules) if rules else [default_rules_path()])
    path = Path(target)
    if path.is_dir():
        entries = load_entries(list(cable_paths([str(path)])))
        if not entries:
            from reviewtool.errors import CableError

            raise CableError("no cable files in this folder", source=str(path))
        folder = True
    else:
        entries = [Entry(path, read_cable(path))]
        folder = False
    ws = Workspace(entries, loaded, reviewer, Path(review_dir), folder=folder, clock=clock)
    return ReviewApp(ws, keymap=keymap, theme=theme, blink=blink)
