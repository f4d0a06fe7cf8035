"""The rota: each wave's assignments, done, due or overdue; a lead plans, adjusts, publishes.

An observer highlights an assignment and presses n: the new-observation form opens filled in
from it (facilitators, observer, wave, partner, region). A lead plans a wave (p asks which,
and plans again with another seed when it has a plan), moves an observer (o), swaps two
assignments' observers (x on one, x on the other) and publishes (P). Planning runs in a
worker; every change is the services' (the draft is saved as it changes).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.widgets import DataTable, Footer, Header, Static

from observe.app.plain import one_line, plain, styled
from observe.app.screens.base import ObserveScreen
from observe.app.screens.rota_days import short_date, today_of

if TYPE_CHECKING:
    from rich.text import Text

    from observe.core.rota.model import Plan, Rules
    from observe.core.rota.progress import Progress
    from observe.services.rota import Overview, WaveRota

STATE_STYLE = {"done": "$success", "overdue": "bold $warning", "part done": "", "due": ""}


class RotaScreen(ObserveScreen[None]):
    HELP_TITLE = "Rota"
    HELP = (
        "Who observes whom in each wave, and how it is going: done when the wave holds a"
        " session of that observer with those facilitators, overdue once its date has passed."
        " n starts a new observation from the highlighted assignment. A lead plans a wave (p),"
        " moves an observer (o), swaps two (x, then x on the other) and publishes (P): to the"
        " team folder when there is one. [ and ] change the wave."
    )
    BINDINGS = [
        Binding(
            "n",
            "new_from",
            "New from it",
            id="rota.new",
            tooltip="A new observation filled in from the highlighted assignment",
        ),
        Binding(
            "p", "plan", "Plan", id="rota.plan", tooltip="Plan a wave (again: another proposal)"
        ),
        Binding(
            "o",
            "observer",
            "Observer",
            id="rota.observer",
            tooltip="Give the highlighted assignment another observer",
        ),
        Binding(
            "x",
            "swap",
            "Swap",
            id="rota.swap",
            tooltip="Swap observers: x on one assignment, then x on the other",
        ),
        Binding(
            "P",
            "publish",
            "Publish",
            id="rota.publish",
            tooltip="Publish the wave's plan: signed into the team folder, or kept here",
        ),
        Binding(
            "left_square_bracket",
            "wave(-1)",
            "Wave",
            id="rota.previous",
            show=False,
            tooltip="The wave before",
        ),
        Binding(
            "right_square_bracket",
            "wave(1)",
            "Next wave",
            id="rota.next",
            show=False,
            tooltip="The wave after",
        ),
        Binding("escape", "back", "Back", id="rota.back", tooltip="Back to home"),
    ]

    def __init__(self, open_on: Collection[str] = ()) -> None:
        super().__init__()
        self.open_on = frozenset(open_on)  # first shown: the latest of these waves there is
        self.overview: Overview | None = None
        self.index = 0  # which wave of the overview is shown
        self.marked: str | None = None  # the assignment x marked first
        self._changing = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the rota…", id="rota-title", markup=False)
        yield DataTable(id="assignments", cursor_type="row", zebra_stripes=True)
        yield Static("", id="rota-detail", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.load()

    # ------------------------------------------------------------------ reading

    @property
    def shown(self) -> WaveRota | None:
        if self.overview is None or not self.overview.waves:
            return None
        return self.overview.waves[min(self.index, len(self.overview.waves) - 1)]

    @work(thread=True, exclusive=True, group="rota", exit_on_error=False, name="reading the rota")
    def load(self, wave: str | None = None) -> None:
        from observe.core.errors import ObserveError
        from observe.services.rota import overview

        try:
            found = overview(self.observe_app.workspace, None, today_of(self))
        except ObserveError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, found, wave)

    def _failed(self, message: str) -> None:
        self.query_one("#rota-title", Static).update(plain(f"The rota cannot be read: {message}"))

    def _loaded(self, found: Overview, wave: str | None) -> None:
        first = self.overview is None
        self.overview = found
        if first:  # the latest wave with something due (home's), else the latest wave
            wanted = [i for i, w in enumerate(found.waves) if w.plan.wave in self.open_on]
            self.index = wanted[-1] if wanted else max(0, len(found.waves) - 1)
        if wave is not None:
            self.index = next((i for i, w in enumerate(found.waves) if w.plan.wave == wave), 0)
        elif self.index >= len(found.waves):
            self.index = max(0, len(found.waves) - 1)
        for line in found.refused:
            self.notify(one_line(line), title="Refused from the team folder", severity="warning")
        self.show()

    def show(self) -> None:
        table = self.query_one("#assignments", DataTable)
        title = self.query_one("#rota-title", Static)
        current = table.cursor_row
        table.clear(columns=True)
        shown = self.shown
        if shown is None:
            title.update("No rota yet. A lead presses p to plan a wave.")
            self._detail()
            return
        wide = (self.size.width or 80) >= 110
        rows = [self._cells(row, wide) for row in shown.rows]
        labels = ["", "Observer", "Facilitators", *(["Partner"] if wide else []), "Due", ""]
        limits = [5, 22, 44 if wide else 26, 34, 6, 9]
        for n, label in enumerate(labels):  # widths set here: each load draws them alike
            cap = limits[n if wide or n < 3 else n + 1]
            width = max([len(label), *(r[n].cell_len for r in rows)])
            table.add_column(label, width=min(width, cap))
        for row, cells in zip(shown.rows, rows, strict=True):
            table.add_row(*cells, key=row.assignment.id)
        if shown.rows:
            table.move_cursor(row=min(max(current, 0), len(shown.rows) - 1), animate=False)
        title.update(self._title(shown))
        self._detail()
        table.focus()

    def _cells(self, row: Progress, wide: bool) -> list[Text]:
        from observe.core.rota.model import names

        a = row.assignment
        mark = "▸" if a.id == self.marked else ""
        cells: list[Text] = [
            plain(f"{mark}{a.id}"),
            plain(a.observer.name),
            plain(names(a.facilitators, short=not wide)),
        ]
        if wide:
            cells.append(plain(a.partner))
        cells += [plain(short_date(a.due)), plain(row.state, STATE_STYLE.get(row.state, ""))]
        return cells

    def _title(self, shown: WaveRota) -> object:
        from observe.core.rota.progress import counts

        c = counts(shown.rows)
        state = "draft, not published" if shown.draft else f"published {shown.plan.revision}"
        waves = len(self.overview.waves) if self.overview else 1
        where = f" ({self.index + 1} of {waves}: [ ])" if waves > 1 else ""
        return styled(
            (one_line(f"Wave {shown.plan.wave}"), "bold"),
            f"{where} · {state} · {c['done']} done, {c['due'] + c['part done']} due",
            (f", {c['overdue']} overdue", "bold $warning") if c["overdue"] else "",
        )

    def highlighted(self) -> Progress | None:
        shown = self.shown
        table = self.query_one("#assignments", DataTable)
        if shown is None or not shown.rows:
            return None
        return shown.rows[min(max(table.cursor_row, 0), len(shown.rows) - 1)]

    def _detail(self) -> None:
        detail = self.query_one("#rota-detail", Static)
        row, shown = self.highlighted(), self.shown
        lines = []
        if row is not None:
            a = row.assignment
            where = " · ".join(x for x in (a.partner, a.region) if x)
            seen = f" · seen: {', '.join(row.seen)}" if row.seen and row.state != "done" else ""
            where = f" · {where}" if where else ""
            lines.append(one_line(f"{a.id}: due {a.due.isoformat()}{where}{seen}"))
        if shown is not None and shown.breaches:
            more = f" (+{len(shown.breaches) - 1} more)" if len(shown.breaches) > 1 else ""
            lines.append(one_line(f"⚠ {shown.breaches[0]}{more}"))
        elif self.marked:
            lines.append(f"Swapping {self.marked}: x on the other assignment, Escape to stop")
        detail.update("\n".join(lines))

    @on(DataTable.RowHighlighted, "#assignments")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    # ------------------------------------------------------------------ an observer's key

    def action_new_from(self) -> None:
        row = self.highlighted()
        if row is None:
            self.notify("No assignment highlighted.", severity="warning")
            return
        from observe.app.screens.new import NewObservationScreen
        from observe.services.rota import new_observation_values

        self.app.push_screen(NewObservationScreen(prefill=new_observation_values(row)))

    def on_screen_resume(self) -> None:
        self.load(self.shown.plan.wave if self.shown else None)

    # ------------------------------------------------------------------ a lead's keys

    def _lead_only(self) -> bool:
        if self.overview is not None and not self.overview.lead:
            self.notify("Only a lead of the team plans and publishes the rota.", severity="warning")
            return False
        return self.overview is not None

    def action_plan(self) -> None:
        if not self._lead_only() or self.overview is None:
            return
        from observe.app.dialogs.rota_dialogs import PlanWave

        shown = self.shown
        waves = self.overview.session_waves
        wave = shown.plan.wave if shown else (waves[-1] if waves else "1")

        def chosen(answer: str | None) -> None:
            if answer:  # the same wave again: its rules as last set, another seed
                same = shown.plan if shown is not None and shown.plan.wave == answer else None
                self.plan(answer, same.seed + 1 if same else 1, same.rules if same else None)

        self.app.push_screen(PlanWave(wave), chosen)

    @work(
        thread=True,
        exclusive=True,
        group="rota-change",
        exit_on_error=False,
        name="planning the rota",
    )
    def plan(self, wave: str, seed: int, rules: Rules | None = None) -> None:
        from datetime import datetime

        from observe.core.errors import ObserveError
        from observe.core.rota.model import Rules
        from observe.services.rota import plan

        rules = rules or Rules()
        self.app.call_from_thread(self.notify, f"Planning wave {one_line(wave)}…", timeout=2)
        try:
            now = datetime.now().astimezone()
            plan(self.observe_app.workspace, wave, rules, seed=seed, now=now)
        except ObserveError as exc:
            self.app.call_from_thread(self._said, str(exc))
            return
        self.app.call_from_thread(self.load, wave)

    def _said(self, message: str, severity: SeverityLevel = "error") -> None:
        self.notify(one_line(message), severity=severity, timeout=8)

    def _change(self, change: Callable[[Plan], Plan]) -> None:
        shown = self.shown
        if shown is not None:
            self.adjust(shown.plan.wave, change)

    @work(thread=True, group="rota-change", exit_on_error=False, name="changing the rota")
    def adjust(self, wave: str, change: Callable[[Plan], Plan]) -> None:
        """One change to the draft, off the screen's thread (a team's roster is read first);
        one at a time, so two quick keys never write over each other."""
        from observe.core.errors import ObserveError
        from observe.services.rota import adjust

        with self._changing:
            try:
                adjust(self.observe_app.workspace, wave, change)
            except ObserveError as exc:
                self.app.call_from_thread(self._said, str(exc))
                return
        self.app.call_from_thread(self.load, wave)

    def action_observer(self) -> None:
        row, shown = self.highlighted(), self.shown
        if row is None or shown is None or not self._lead_only():
            return
        from observe.app.dialogs.rota_dialogs import ChooseObserver
        from observe.core.rota import edit

        def chosen(name: str | None) -> None:
            if name:
                self._change(lambda p: edit.set_observer(p, row.assignment.id, name))

        people = [p.name for p in shown.plan.people]
        self.app.push_screen(ChooseObserver(people, row.assignment.observer.name), chosen)

    def action_swap(self) -> None:
        row = self.highlighted()
        if row is None or not self._lead_only():
            return
        if self.marked is None or self.marked == row.assignment.id:
            self.marked = None if self.marked else row.assignment.id
            self.show()
            return
        from observe.core.rota import edit

        first, self.marked = self.marked, None
        self._change(lambda p: edit.swap(p, first, row.assignment.id))

    def action_publish(self) -> None:
        shown = self.shown
        if shown is None or not self._lead_only():
            return
        if not shown.draft:
            self._said(f"Wave {shown.plan.wave}'s plan is published already.", "information")
            return
        self.publish(shown.plan.wave)

    @work(
        thread=True,
        exclusive=True,
        group="rota-publish",  # a publish must not cancel a plan that has not started
        exit_on_error=False,
        name="publishing the rota",
    )
    def publish(self, wave: str) -> None:
        from datetime import datetime

        from observe.core.errors import ObserveError
        from observe.services.rota import publish

        try:
            done, where = publish(self.observe_app.workspace, wave, now=datetime.now().astimezone())
        except ObserveError as exc:
            self.app.call_from_thread(self._said, str(exc))
            return
        place = "to the team folder" if where else "in this workspace"
        said = f"Published wave {done.wave} {place} (revision {done.revision})."
        self.app.call_from_thread(self._said, said, "information")
        self.app.call_from_thread(self.load, wave)

    def action_wave(self, step: int) -> None:
        if self.overview and self.overview.waves:
            self.index = (self.index + step) % len(self.overview.waves)
            self.marked = None
            self.show()

    def action_back(self) -> None:
        if self.marked:
            self.marked = None
            self.show()
            return
        self.dismiss()
