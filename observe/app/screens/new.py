"""New observation: the metadata form. On start it creates the session and opens live notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)

from observe.app.plain import plain, plain_lines
from observe.app.screens.new_focus import FOCUS_FORM_KEYS, FocusInForm
from observe.app.screens.new_form import FormValues, form_problems, split_names
from observe.app.widgets.marked_selection import MarkedSelectionList
from observe.app.widgets.remembered_input import RememberedInput
from observe.app.widgets.roster_suggester import RosterSuggester
from observe.core.frameworks import Catalog, load_all
from observe.core.models import Consent, Framework, Mode
from observe.services.sessions import remember_defaults, remembered_defaults
from observe.services.team_people import TeamPeople, team_people

MODES = [(mode.label, mode.value) for mode in Mode]
# Asked, never assumed: each answer says itself in words (not by a colour or a tick).
CONSENTS = [
    ("given: they agreed to be observed", Consent.GIVEN.value),
    ("not asked", Consent.NOT_ASKED.value),
    ("declined: they did not agree", Consent.DECLINED.value),
]
TEXT_FIELDS = (
    ("observer", "Observer", "you"),
    ("programme", "Programme", ""),
    ("wave", "Wave", "e.g. 2"),
    ("region", "Region", ""),
    ("partner", "Partner", "local delivery partner"),
    ("cohort", "Cohort", ""),
    ("title", "Session title", "e.g. Reflective supervision, day 2"),
)


class NewObservationScreen(FocusInForm):
    HELP_TITLE = "New observation"
    HELP = (
        "Who is facilitating, where and what: enough to find the session again and to shape"
        " the feedback. The facilitators, their consent and the mode are asked each time;"
        " other fields offer what you typed last time (→ or End takes it). Space ticks a"
        " focus criterion. A facilitator's own focus, when one is waiting, is taken up;"
        " F3 writes it with them."
    )
    BINDINGS = [
        Binding(
            "ctrl+s,f10",
            "start",
            "Start observing",
            id="new.start",
            priority=True,
            tooltip="Create the session and open the live notes screen",
        ),
        Binding(
            "escape", "cancel", "Cancel", id="new.cancel", tooltip="Back to home; nothing is saved"
        ),
        *FOCUS_FORM_KEYS,
    ]

    def __init__(self, prefill: dict[str, str] | None = None) -> None:
        super().__init__()
        self.prefill = dict(prefill or {})  # fields filled in, e.g. from a rota assignment
        self.catalog: Catalog = Catalog()
        self._started = False
        self.people: TeamPeople | None = None  # the team's roster, when in a team

    def _now(self) -> datetime:
        clock = self.observe_app.options.clock
        return clock() if clock else datetime.now().astimezone()

    def compose(self) -> ComposeResult:
        workspace = self.observe_app.workspace
        self.catalog = load_all(workspace.criteria_dir)
        remembered = remembered_defaults(workspace)
        self.people = team_people(workspace.root, lenient=True)
        now = self._now()
        yield Header()
        with VerticalScroll(id="new-form", can_focus=False):  # its fields take the focus
            yield from self._row("facilitators", "Facilitators", self._facilitators())
            yield self.focus_panel()  # their own focus, when one is waiting
            yield from self._row(
                "consent",
                "Consent",
                Select(CONSENTS, prompt="asked? choose an answer", id="consent", compact=True),
            )
            # Never carried over: an online session stored as in person reads wrong for ever.
            yield from self._row(
                "mode", "Mode", Select(MODES, prompt="choose one", id="mode", compact=True)
            )
            for name, label, hint in TEXT_FIELDS:
                field: Widget = RememberedInput(
                    remembered.get(name, ""),
                    value=self.prefill.get(name, ""),
                    placeholder=hint,
                    id=name,
                    compact=True,
                )
                if name == "observer" and self.people is not None:
                    field = self._observer(self.people)
                yield from self._row(name, label, field)
            today = now.date().isoformat()
            yield from self._row(
                "date", "Date", Input(today, placeholder=today, id="date", compact=True)
            )
            yield from self._row(
                "start", "Start time", Input(now.strftime("%H:%M"), id="start", compact=True)
            )
            frameworks = [
                (plain(f"{fw.title} ({fid})"), fid) for fid, fw in self.catalog.frameworks.items()
            ]
            chosen = remembered.get("framework")
            if chosen not in self.catalog.frameworks:
                chosen = self._default_framework()
            yield from self._row(
                "framework",
                "Framework",
                Select(
                    frameworks,
                    value=chosen if chosen else Select.NULL,
                    allow_blank=not frameworks,
                    id="framework",
                    compact=True,
                ),
            )
            if self.catalog.errors:
                count = len(self.catalog.errors)
                yield Static(
                    f"{count} framework file{'s' if count > 1 else ''} in criteria/ has errors:"
                    " see Frameworks (f on home).",
                    classes="form-note",
                )
            yield from self._row(
                "focus",
                "Focus criteria",
                MarkedSelectionList[str](id="focus", compact=True),
            )
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(id="new-buttons"):
                yield Button(
                    "Start observing (ctrl+s)", id="start", variant="primary", compact=True
                )
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer()

    def _facilitators(self) -> Input:
        hint = "names, commas between: Asha Rahman, Tom Price"
        suggester = None
        if self.people is not None:  # one spelling per person: the roster's, as typed
            hint = "from the team's roster: type a name, → takes it; commas between"
            suggester = RosterSuggester(self.people.names())
        value = self.prefill.get("facilitators", "")
        return Input(value, placeholder=hint, id="facilitators", suggester=suggester, compact=True)

    def _observer(self, people: TeamPeople) -> Select[str]:
        you = people.find(self.prefill.get("observer", "")) or people.you()
        choices = [(plain(p.name + (" (you)" if p.you else "")), p.id) for p in people.people]
        value = you.id if you is not None else Select.NULL
        prompt = "nobody named"
        return Select(choices, prompt=prompt, value=value, id="observer", compact=True)

    def _row(self, name: str, label: str, field: Widget) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield field
        error = Static("", id=f"{name}-error", classes="field-error")
        error.display = False
        yield error

    def _default_framework(self) -> str | None:
        try:
            return self.catalog.get().id
        except Exception:
            return None

    def on_mount(self) -> None:
        self._fill_focus()
        self.look_for_focus()  # a facilitator filled in (from the rota) may have one waiting
        self.query_one("#facilitators", Input).focus()

    # ------------------------------------------------------------------ focus criteria

    def framework(self) -> Framework | None:
        value = self.query_one("#framework", Select).value
        return self.catalog.frameworks.get(value) if isinstance(value, str) else None

    def _fill_focus(self) -> None:
        framework = self.framework()
        focus = self.query_one("#focus", SelectionList)
        kept = set(focus.selected)
        focus.clear_options()
        if framework is None:
            return
        mode = self.query_one("#mode", Select).value
        for _, criterion in framework.criteria(Mode(mode) if isinstance(mode, str) else None):
            focus.add_option(
                (plain(f"{criterion.id}  {criterion.title}"), criterion.id, criterion.id in kept)
            )
        if focus.option_count:
            focus.highlighted = 0  # so space ticks the first one at once

    @on(Select.Changed, "#framework, #mode")
    def _choice_changed(self, event: Select.Changed) -> None:
        self._fill_focus()

    @on(Select.Changed, "#consent, #mode")
    def _answered(self, event: Select.Changed) -> None:
        error = self.query_one(f"#{event.select.id}-error", Static)
        error.update("")
        error.display = False

    # ------------------------------------------------------------------ values and checks

    def values(self) -> FormValues:
        def typed(name: str) -> str:
            box = self.query_one(f"#{name}")
            return box.value if isinstance(box, Input) else ""

        def chosen(name: str) -> str:
            value = self.query_one(f"#{name}", Select).value
            return value if isinstance(value, str) else ""

        observer = chosen("observer") if self.people is not None else typed("observer")
        return FormValues(
            facilitators=typed("facilitators"),
            date=typed("date"),
            start=typed("start"),
            observer=observer,  # in a team, chosen from the roster by member id
            mode=chosen("mode"),
            framework=chosen("framework"),
            consent=chosen("consent"),
            focus=tuple(self.query_one("#focus", SelectionList).selected),
            texts={name: typed(name) for name, _, _ in TEXT_FIELDS if name != "observer"},
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for widget in self.query(".field-error").results(Static):
            if widget.id and widget.id != "form-error":
                name = widget.id.removesuffix("-error")
                message = errors.get(name, "")
                widget.update(plain_lines(message))
                widget.display = bool(message)
        form_error = self.query_one("#form-error", Static)
        form_error.update(plain_lines(errors.get("form", "")))
        form_error.display = "form" in errors

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        # A message goes as soon as the field it is about is touched again.
        if event.input.id:
            error = self.query_one(f"#{event.input.id}-error", Static)
            if error.display:
                error.update("")
                error.display = False

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # ------------------------------------------------------------------ actions

    def action_cancel(self) -> None:
        self.dismiss()

    def action_start(self) -> None:
        # ctrl+s is a priority key: it runs while keys typed before it may still wait in a
        # field's queue. Each field's queue is drained in turn before the values are read.
        after = self._start_now
        for widget in reversed([*self.query(Input), self]):
            after = self._after_queue(widget, after)
        after()

    @staticmethod
    def _after_queue(widget: Widget, then: Callable[[], None]) -> Callable[[], None]:
        return lambda: widget.call_later(then)

    def _start_now(self) -> None:
        if self._started or not self.is_current:
            return  # a second ctrl+s while the first was on its way
        values = self.values()
        errors = form_problems(values, self._now().date(), self.people)
        if errors:
            self.show_errors(errors)
            first = next(name for name in self._order() if name in errors)
            self.query_one(f"#{first}").focus()
            return
        if values.consent == Consent.DECLINED.value:
            from observe.app.dialogs.session_dialogs import ConfirmDeclined

            def answered(yes: bool | None) -> None:
                if yes and self.is_current:
                    self._create(values)

            self.app.push_screen(ConfirmDeclined(), answered)
            return
        self._create(values)

    def _create(self, values: FormValues) -> None:
        if self._started:
            return
        from observe.app.screens.live import LiveScreen
        from observe.core.errors import ObserveError
        from observe.services.sessions import new_session_meta

        workspace = self.observe_app.workspace
        fields = {name: text.strip() for name, text in values.texts.items()}
        by_roster = {"person": self.people.person} if self.people is not None else {}
        try:
            meta, framework = new_session_meta(
                workspace,
                facilitators=split_names(values.facilitators),
                observer=values.observer,
                framework_id=values.framework,
                focus=list(values.focus),
                mode=values.mode,
                now=self._now(),
                date=values.date,
                start=values.start,
                consent=values.consent,
                **by_roster,
                **fields,
            )
            meta = self.with_self_assessments(meta, framework)
            owner = self.observe_app.create_session(meta, framework)
        except ObserveError as exc:
            self.show_errors({"form": str(exc)})
            return
        self._started = True
        self.self_assessments_used()
        # A member id is no name to offer next time, outside the team.
        remember_defaults(workspace, values.remembered(observer=self.people is None))
        self.app.switch_screen(LiveScreen(owner))

    def _order(self) -> list[str]:
        return [
            "facilitators",
            "consent",
            "mode",
            *(f[0] for f in TEXT_FIELDS),
            "date",
            "start",
            "framework",
        ]
