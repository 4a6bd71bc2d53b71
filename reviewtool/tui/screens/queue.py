"""The queue: each cable of the folder with id, subject, classification, date, paragraphs
per marking, suggestions pending, declassification status and progress; sort, filter,
open one. Suggestion counts and progress are filled in by a background worker so the
queue shows at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from reviewtool.core.cable.declass import declassification_status
from reviewtool.core.cable.markings import Level
from reviewtool.core.cable.model import Cable
from reviewtool.core.outputs import cable_key
from reviewtool.errors import ReviewToolError
from reviewtool.tui.messages import CableChosen
from reviewtool.tui.session import Entry, Workspace
from reviewtool.tui.view import LEVEL_BADGE
from reviewtool.tui.widgets.footer import KeyBar

SORTS = ("marking", "id", "date", "pending", "progress")
LEVELS: tuple[str | None, ...] = (None, "TS", "S", "C", "U")


@dataclass
class Progress:
    """What the worker found for a cable: suggestions pending, decided, total."""

    pending: int
    decided: int
    total: int
    started: bool


def marking_counts(cable: Cable) -> str:
    """``2 S//NF · 6 S · 1 ?`` (highest first; ? = unmarked)."""
    counts = Counter("?" if (p.marking is None or p.unmarked) else p.marking.format()
                     for p in cable.paragraphs)
    order = sorted(counts, key=lambda m: (m == "?", -_level_of(m), "//" not in m, m))
    return " · ".join(f"{counts[m]} {m}" for m in order)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _level_of(short: str) -> int:
    head = short.split("//")[0]
    return int(Level[head]) if head in Level.__members__ else 0


class QueueScreen(Screen[None]):
    """The cables of a folder."""

    BINDINGS = [
        Binding("enter", "open", "open", id="queue.open", priority=True),
        Binding("s", "cycle_sort", "sort", id="queue.sort"),
        Binding("v", "cycle_level", "level", id="queue.level"),
        Binding("slash", "filter", "filter", id="queue.filter"),
        Binding("escape", "clear_filter", "clear filter", show=False, id="queue.clear_filter"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.sort = "marking"
        self.level: str | None = None
        self.text_filter = ""
        self.progress: dict[str, Progress] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="queue-title")
        yield Input(placeholder="filter by id or subject; enter keeps it, esc clears",
                    id="queue-filter", classes="hidden")
        yield DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("cable", "class.", "date", "pending", "progress", "declass.",
                          "¶ by marking", "subject")
        self._fill()
        table.focus()
        self._count()

    # ------------------------------------------------------------------ rows

    def _key(self, e: Entry) -> str:
        return cable_key(e.cable) if e.cable else str(e.path)

    def _visible(self) -> list[Entry]:
        out = []
        q = self.text_filter.lower()
        for e in self.workspace.entries:
            c = e.cable
            if q and q not in str(e.path).lower() and not (
                    c and (q in (c.id or "").lower()
                           or (c.subject and q in c.subject.value.lower()))):
                continue
            if self.level and (c is None or c.classification.level.name != self.level):
                continue
            out.append(e)

        def sort_key(e: Entry) -> tuple[object, ...]:
            c = e.cable
            if c is None:
                return (1,)
            pr = self.progress.get(self._key(e))
            return (0, {
                "marking": (-int(c.classification.level), len(c.classification.controls) * -1,
                            c.id or ""),
                "id": (c.id or str(e.path),),
                "date": (c.created.isoformat() if c.created else "",),
                "pending": (-(pr.pending if pr else 0), c.id or ""),
                "progress": ((pr.decided / pr.total) if pr and pr.total else 0, c.id or ""),
            }[self.sort])

        return sorted(out, key=sort_key)

    def _row(self, e: Entry) -> tuple[Text | str, ...]:
        c = e.cable
        if c is None:
            return (Text(e.path.name, "bold red"), "", "", "", "", "", "",
                    Text(e.error or "does not parse", "red"))
        st = declassification_status(c, on=self.workspace.today())
        decl = st.status + (f" {st.date.isoformat()}" if st.date else "")
        if st.automatic:
            decl += f" · 25y {st.automatic.year}"
        pr = self.progress.get(self._key(e))
        pending = "…" if pr is None else str(pr.pending)
        progress = "…" if pr is None else (
            f"{pr.decided}/{pr.total}" + ("" if pr.started else " new"))
        subject = c.subject.value if c.subject else ""
        return (Text(c.id or e.path.name, "bold"),
                Text(f" {c.classification.format()} ", LEVEL_BADGE[c.classification.level]),
                c.created.date().isoformat() if c.created else "", pending, progress, decl,
                _clip(marking_counts(c), 28), _clip(subject, 60))

    def _fill(self) -> None:
        try:
            table = self.query_one(DataTable)
            title = self.query_one("#queue-title", Static)
        except NoMatches:  # the app is closing and the screen is being taken down
            return
        keep = None
        if table.row_count and table.cursor_row is not None:
            try:
                keep = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            except Exception:  # noqa: BLE001 - an empty or shrinking table
                keep = None
        table.clear()
        for e in self._visible():
            table.add_row(*self._row(e), key=str(e.path))
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:  # noqa: BLE001 - the row was filtered out
                pass
        n = len(self.workspace.entries)
        bad = sum(1 for e in self.workspace.entries if e.cable is None)
        t = Text.assemble((f" {self.workspace.review_dir} ", "bold reverse"))
        t.append(f"  {table.row_count} of {n} cables")
        if bad:
            t.append(f" · {bad} do not parse", "bold red")
        t.append(f"  sort: {self.sort}")
        if self.level:
            t.append(f"  level: {self.level}", "bold")
        if self.text_filter:
            t.append(f"  filter: {self.text_filter!r}", "bold")
        t.append(f"  reviewer: {self.workspace.reviewer}")
        title.update(t)

    @work(thread=True, exclusive=True, group="queue-count")
    def _count(self) -> None:
        """Suggestions and progress per cable (reviews already begun are read, not
        created)."""
        worker = get_current_worker()
        for e in self.workspace.entries:
            if worker.is_cancelled:
                return
            if e.cable is None:
                continue
            try:
                decided, total, begun = self.workspace.progress(e.cable)
            except ReviewToolError:
                continue  # a review begun with other rules: shown when opened
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._set_progress, cable_key(e.cable),
                                      Progress(total - decided, decided, total, begun))

    def _set_progress(self, key: str, pr: Progress) -> None:
        self.progress[key] = pr
        if self.is_attached and self.is_current:
            self._fill()

    def on_screen_resume(self) -> None:
        self._fill()  # counts that came in while a review was on top
        self._count()  # and a review may have moved on

    # ------------------------------------------------------------------ actions

    def action_open(self) -> None:
        if self.query_one(Input).has_focus:
            self.query_one(DataTable).focus()
            return
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        path = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        self.post_message(CableChosen(next(e.path for e in self.workspace.entries
                                           if str(e.path) == path)))

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._fill()

    def action_cycle_level(self) -> None:
        self.level = LEVELS[(LEVELS.index(self.level) + 1) % len(LEVELS)]
        self._fill()

    def action_filter(self) -> None:
        box = self.query_one(Input)
        box.cursor_blink = getattr(self.app, "blink", True)
        box.remove_class("hidden")
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one(Input)
        box.value = ""
        box.add_class("hidden")
        self.query_one(DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip()
        self._fill()
