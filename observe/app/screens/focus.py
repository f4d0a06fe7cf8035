"""My next observation: the facilitator chooses what they would like looked at, in their words.

Reached with ``m`` on home, where it keeps the focus in the workspace (and, in a team,
publishes it to the people who will observe them); and from the new-observation form, where
a facilitator writes it with the observer there and then, and the form keeps it in the
session. Keyboard only: space ticks a criterion, a line against each ticked one, an overall
line, ctrl+s saves. On home, what is typed is kept as a draft a moment after typing pauses
(offered back when the screen opens, gone once saved or cleared), and in a team the
facilitator names the observers it is for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date as Date
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label, SelectionList, Static

from observe.app.plain import plain, plain_lines
from observe.app.screens.base import ObserveScreen
from observe.app.screens.focus_keep import DRAFT_PAUSE_S, FocusKeeping
from observe.app.widgets.marked_selection import MarkedSelectionList
from observe.core.errors import ObserveError
from observe.core.focus import SelfAssessment
from observe.core.models import Framework, Person

if TYPE_CHECKING:
    from observe.services.focus import Draft, Written

INTRO = (
    "What would you like your observer to look at? Tick a few criteria (space), and against"
    " each say in a line how you think it goes and what you hope to show. These are your"
    " words: your observer reads them before the session, and your feedback answers them."
)
WITH_OBSERVER = (
    "Written with your observer before the session starts: tick the criteria you would like"
    " looked at (space) and say in a line against each what you hope to show."
)


class FocusScreen(FocusKeeping, ObserveScreen[SelfAssessment | None]):
    """``keep``: save it in the workspace (home). Otherwise dismiss with it (the form)."""

    AUTO_FOCUS = ""  # on_mount chooses: the name when it is still to be written, else the list
    HELP_TITLE = "My next observation"
    HELP = INTRO
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="focus.save",
            priority=True,
            tooltip="Keep this focus for the next observation",
        ),
        Binding("f8", "clear", "Clear", id="focus.clear", tooltip="Forget the focus written"),
        Binding("escape", "back", "Back", id="focus.back", tooltip="Back; nothing more is saved"),
    ]

    def __init__(
        self,
        *,
        facilitator: Person | None = None,
        keep: bool = True,
        framework_id: str | None = None,
        start: SelfAssessment | None = None,
    ) -> None:
        super().__init__()
        self.facilitator = facilitator
        self.keep = keep
        self.framework_id = framework_id
        self.start = start
        self.framework: Framework | None = None
        self.own = False
        self.texts: dict[str, str] = {}
        self.ticked: set[str] = set()  # the criteria ticked when the screen opens
        self._rows: dict[str, Vertical] = {}  # criterion id -> its line's row
        self.problem = ""
        self.draft: Draft | None = None
        self.team_names: list[str] | None = None  # the roster's other names, for "For"
        self._typed_at = 0.0  # when the draft last changed; 0: written

    # ------------------------------------------------------------------ compose

    def compose(self) -> ComposeResult:
        from observe.services import focus

        workspace = self.observe_app.workspace
        try:
            self.framework = focus.framework_for(workspace, self.framework_id)
        except ObserveError as exc:
            self.problem = str(exc)
        if self.facilitator is None:
            try:
                self.facilitator, self.own = focus.whose(workspace, None)
            except ObserveError:
                self.facilitator = None  # asked for below
        if self.start is None and self.keep and self.facilitator is not None:
            try:
                self.start = focus.show(workspace, self.facilitator.name)
            except ObserveError as exc:
                self.problem = str(exc)
        elif self.start is None and self.keep:  # no "me": the last one written here
            self.start = focus.last_written(workspace)
        if self.start is not None:
            self.texts = {h.criterion: h.text for h in self.start.hopes}
            self.ticked = set(self.start.criteria)
        self.draft = focus.load_draft(workspace) if self.keep else None
        if self.draft is not None:
            self.texts = {**self.texts, **self.draft.texts}
            self.ticked = set(self.draft.criteria)
            self.problem = "Your words not saved before are back: ctrl+s saves them, F8 clears."
        overall = self.start.overall if self.start else ""
        overall = self.draft.overall if self.draft is not None else overall
        yield Header()
        with VerticalScroll(id="focus-form", can_focus=False):
            yield Static(INTRO if self.keep else WITH_OBSERVER, id="focus-intro")
            if self.facilitator is None:
                with Horizontal(classes="form-row"):
                    yield Label("Your name", classes="form-label")
                    yield Input(
                        self._first_name(),
                        placeholder="as your observer will type it",
                        id="focus-name",
                        max_length=200,
                        select_on_focus=False,
                        compact=True,
                    )
            else:
                yield Static(plain(f"Focus of {self.facilitator.name}"), id="focus-who")
            if self.keep and self.own:
                yield from self._for_row()
            yield Label("Criteria to look at (space ticks)", classes="focus-heading")
            yield MarkedSelectionList[str](id="focus-criteria", compact=True)
            with Vertical(id="focus-hopes"):
                yield from self._hope_rows()
            with Horizontal(classes="form-row"):
                yield Label("Overall", classes="form-label")
                # No max_length: a longer line is refused at ctrl+s with its length, never cut.
                yield Input(
                    overall,
                    placeholder="anything else your observer should know",
                    id="focus-overall",
                    select_on_focus=False,
                    compact=True,
                )
            yield Static(plain_lines(self.problem), id="focus-status")
        yield Footer()

    def _first_name(self) -> str:
        from observe.services.sessions import remembered_defaults

        if self.draft is not None and self.draft.name:
            return self.draft.name
        if self.start is not None and self.start.name:
            return self.start.name
        return remembered_defaults(self.observe_app.workspace).get("observer", "")

    def on_mount(self) -> None:
        chosen = self.ticked
        criteria = self.query_one("#focus-criteria", SelectionList)
        if self.framework is not None:
            for _, c in self.framework.criteria():
                criteria.add_option((plain(f"{c.id}  {c.title}"), c.id, c.id in chosen))
        if criteria.option_count:
            criteria.highlighted = 0
        self.title = "My next observation" if self.keep else "Their focus"
        for box in self.query(Input):
            box.cursor_blink = self.observe_app.options.cursor_blink
        name = next(iter(self.query("#focus-name").results(Input)), None)
        (name if name is not None and not name.value else criteria).focus()
        if self.keep:
            self.set_interval(DRAFT_PAUSE_S / 3, self._draft_tick)

    # ------------------------------------------------------------------ the lines per criterion

    def chosen(self) -> list[str]:
        """The ticked criteria, in the framework's order."""
        box = self.query_one("#focus-criteria", SelectionList)
        ticked = set(box.selected)
        options = (box.get_option_at_index(i).value for i in range(box.option_count))
        return [cid for cid in options if cid in ticked]

    def _hope_rows(self) -> ComposeResult:
        """A line for every criterion, shown only while it is ticked: showing one is
        immediate, so a Tab typed straight after a tick lands in its line."""
        if self.framework is None:
            return
        for _, c in self.framework.criteria():
            row = Vertical(
                Label(plain(f"{c.id}  {c.title}"), classes="focus-hope-label"),
                Input(
                    self.texts.get(c.id, ""),
                    placeholder="how it goes, and what you hope to show",
                    name=c.id,  # criterion ids may hold "." (no widget id can)
                    classes="focus-hope",
                    select_on_focus=False,  # Tab into a line must not put its words at risk
                    compact=True,
                ),
                classes="focus-hope-row",
            )
            row.display = c.id in self.ticked
            self._rows[c.id] = row
            yield row

    def _show_hopes(self) -> None:
        chosen = set(self.chosen())
        for cid, row in self._rows.items():
            row.display = cid in chosen

    @on(SelectionList.SelectedChanged, "#focus-criteria")
    def _ticked(self) -> None:
        self._show_hopes()
        self._changed()

    @on(events.DescendantFocus)
    def _cursor_at_end(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input):
            event.widget.cursor_position = len(event.widget.value)

    @on(Input.Changed)
    def _changed(self) -> None:
        if self.keep and self.is_mounted:
            self._typed_at = time.monotonic()

    @on(Input.Changed, "#focus-name")
    def _name_typed(self, event: Input.Changed) -> None:
        """A name whose focus is kept here brings it back, while nothing is chosen yet."""
        from observe.services import focus

        if self.chosen() or not event.value.strip():
            return
        try:
            found = focus.show(self.observe_app.workspace, event.value)
        except ObserveError:
            return
        if found is not None:
            self._load(found)

    def _load(self, found: SelfAssessment) -> None:
        self.start = found
        self.texts = {h.criterion: h.text for h in found.hopes}
        criteria = self.query_one("#focus-criteria", SelectionList)
        with criteria.prevent(SelectionList.SelectedChanged):
            for cid in self.texts:
                try:
                    criteria.select(cid)
                except Exception:  # a criterion this framework does not have
                    continue
        self.query_one("#focus-overall", Input).value = found.overall
        for cid, row in self._rows.items():
            row.query_one(Input).value = self.texts.get(cid, "")
        self._show_hopes()

    @on(Input.Changed, ".focus-hope")
    def _typed(self, event: Input.Changed) -> None:
        if event.input.name:
            self.texts[event.input.name] = event.value
        self._changed()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # ------------------------------------------------------------------ actions

    def _say(self, text: str) -> None:
        self.query_one("#focus-status", Static).update(plain_lines(text))

    def _today(self) -> Date:
        clock = self.observe_app.options.clock
        return (clock() if clock else datetime.now().astimezone()).date()

    def _person(self) -> Person | None:
        if self.facilitator is not None:
            return self.facilitator
        name = self.query_one("#focus-name", Input).value.strip()
        if not name:
            return None
        from observe.services import focus

        return focus.whose(self.observe_app.workspace, name)[0]

    def assessment(self) -> SelfAssessment:
        """What the screen holds, checked (ObserveError with the reason)."""
        from observe.services import focus

        person = self._person()
        if person is None:
            raise ObserveError("Write your name first: your observer looks for it")
        chosen = self.chosen()
        made = focus.make(
            self.observe_app.workspace,
            person,
            criteria=chosen,
            hopes=[self.texts.get(c, "") for c in chosen],
            overall=self.query_one("#focus-overall", Input).value,
            framework_id=self.framework.id if self.framework else self.framework_id,
            today=self._today(),
        )
        return made

    def action_save(self) -> None:
        # ctrl+s is a priority key: it can run while keys typed before it still wait in a
        # field's queue (a paste, a fast typist). Each field's queue is drained first.
        after: Callable[[], None] = self._save_now
        for widget in reversed([*self.query(Input), self]):
            after = self._after_queue(widget, after)
        after()

    @staticmethod
    def _after_queue(widget: Widget, then: Callable[[], None]) -> Callable[[], None]:
        return lambda: widget.call_later(then)

    def _save_now(self) -> None:
        if not self.is_current:
            return
        try:
            made = self.assessment()
        except ObserveError as exc:
            self._say(str(exc))
            return
        if not self.keep:
            self.dismiss(made)
            return
        self._say("Saving…")
        self._write(made, self._to())

    @work(thread=True, group="focus", exit_on_error=False, name="saving the focus")
    def _write(self, made: SelfAssessment, to: list[str] | None) -> None:
        """Kept here, and in a team sealed to its readers (reading the rota and the roster)."""
        from observe.services import focus

        try:
            written = focus.save(self.observe_app.workspace, made, own=self.own, to=to)
        except (ObserveError, OSError) as exc:
            self.app.call_from_thread(self._say, f"Not saved: {exc}")
            return
        self.app.call_from_thread(self._saved, written)

    def _saved(self, written: Written) -> None:
        self.start = written.assessment
        self._keep_draft()  # what was saved is no draft; words typed since then stay one
        readers = ", ".join(written.readers) or "you"
        where = f"; in the team folder for {readers}, theirs when they sync"
        self._say(f"Saved for your next observation{where if written.published else ''}.")

    def action_clear(self) -> None:
        from observe.services import focus

        person = None
        try:
            person = self._person()
            if self.keep and person is not None:
                focus.clear(self.observe_app.workspace, person.name)
        except ObserveError as exc:
            self._say(str(exc))
            return
        self.start = None
        self._typed_at = 0.0
        if self.keep:
            focus.drop_draft(self.observe_app.workspace)
        self.texts.clear()
        for row in self._rows.values():
            row.query_one(Input).value = ""
        self.query_one("#focus-criteria", SelectionList).deselect_all()
        self.query_one("#focus-overall", Input).value = ""
        self._say("Cleared." if self.keep else "")

    def action_back(self) -> None:
        self.dismiss(None)
