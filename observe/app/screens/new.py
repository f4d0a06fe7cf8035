"""New observation: the metadata form. On start it creates the session and opens live notes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)

from observe.app.plain import plain, plain_lines
from observe.app.screens.base import ObserveScreen
from observe.core.frameworks import Catalog, load_all
from observe.core.models import Framework, Mode
from observe.services.sessions import remember_defaults, remembered_defaults

MODES = [(mode.label, mode.value) for mode in Mode]
TEXT_FIELDS = (
    ("observer", "Observer", "you"),
    ("programme", "Programme", ""),
    ("wave", "Wave", "e.g. 2"),
    ("region", "Region", ""),
    ("partner", "Partner", "local delivery partner"),
    ("cohort", "Cohort", ""),
    ("title", "Session title", "e.g. Reflective supervision, day 2"),
)


def split_names(text: str) -> list[str]:
    """Facilitators typed as "Asha Rahman, Tom Price" (commas or semicolons between)."""
    return [n.strip() for n in re.split(r"[,;]", text) if n.strip()]


def form_problems(values: dict[str, Any]) -> dict[str, str]:
    """A message for each field that is not right, keyed by field name (empty: all good):
    the same checks as every new session's, and a framework chosen."""
    from observe.services.sessions import new_session_problems

    names = split_names(values.get("facilitators", ""))
    problems = new_session_problems(
        names, date=values.get("date", ""), start=values.get("start", "")
    )
    if not names:  # how to type several, in the form's words
        problems["facilitators"] = problems["facilitators"].rstrip(".") + " (commas between names)."
    if not values.get("framework"):
        problems["framework"] = "Choose a framework (none in criteria/ is valid)."
    return problems


class NewObservationScreen(ObserveScreen[None]):
    HELP_TITLE = "New observation"
    HELP = (
        "Who is facilitating, where and what: enough to find the session again and to shape"
        " the feedback. Only the facilitators are needed; the rest is remembered from your"
        " last observation. Space ticks a focus criterion."
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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog = Catalog()
        self._started = False

    def _now(self) -> datetime:
        clock = self.observe_app.options.get("clock")
        return clock() if clock else datetime.now().astimezone()

    def compose(self) -> ComposeResult:
        workspace = self.observe_app.workspace
        self.catalog = load_all(workspace.criteria_dir)
        remembered = remembered_defaults(workspace)
        now = self._now()
        yield Header()
        with VerticalScroll(id="new-form", can_focus=False):  # its fields take the focus
            yield from self._row(
                "facilitators",
                "Facilitators",
                Input(
                    placeholder="names, commas between: Asha Rahman, Tom Price",
                    id="facilitators",
                    compact=True,
                ),
            )
            for name, label, hint in TEXT_FIELDS:
                yield from self._row(
                    name,
                    label,
                    Input(remembered.get(name, ""), placeholder=hint, id=name, compact=True),
                )
            yield from self._row(
                "date", "Date", Input(now.date().isoformat(), id="date", compact=True)
            )
            yield from self._row(
                "start", "Start time", Input(now.strftime("%H:%M"), id="start", compact=True)
            )
            mode = remembered.get("mode", Mode.IN_PERSON.value)
            yield from self._row(
                "mode",
                "Mode",
                Select(
                    MODES,
                    value=mode if mode in Mode._value2member_map_ else Mode.IN_PERSON.value,
                    allow_blank=False,
                    id="mode",
                    compact=True,
                ),
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
                SelectionList[str](id="focus", compact=True),
            )
            yield from self._row(
                "consent",
                "Consent",
                Checkbox("The facilitators agreed to be observed", id="consent", compact=True),
            )
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(id="new-buttons"):
                yield Button(
                    "Start observing (ctrl+s)", id="start", variant="primary", compact=True
                )
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer()

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

    # ------------------------------------------------------------------ values and checks

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: self.query_one(f"#{name}", Input).value
            for name in ("facilitators", "date", "start", *(f[0] for f in TEXT_FIELDS))
        }
        mode = self.query_one("#mode", Select).value
        framework = self.query_one("#framework", Select).value
        out["mode"] = mode if isinstance(mode, str) else Mode.IN_PERSON.value
        out["framework"] = framework if isinstance(framework, str) else ""
        out["focus"] = list(self.query_one("#focus", SelectionList).selected)
        out["consent"] = self.query_one("#consent", Checkbox).value
        return out

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
        from observe.core.errors import ObserveError
        from observe.services.sessions import new_session_meta

        values = self.values()
        errors = form_problems(values)
        if errors:
            self.show_errors(errors)
            first = next(name for name in self._order() if name in errors)
            self.query_one(f"#{first}").focus()
            return
        from observe.app.screens.live import LiveScreen

        workspace = self.observe_app.workspace
        fields = {name: values[name].strip() for name, _, _ in TEXT_FIELDS if name != "observer"}
        try:
            meta, framework = new_session_meta(
                workspace,
                facilitators=split_names(values["facilitators"]),
                observer=values["observer"],
                framework_id=values["framework"],
                focus=values["focus"],
                mode=values["mode"],
                now=self._now(),
                date=values["date"],
                start=values["start"],
                **fields,
            )
            meta = meta.model_copy(update={"consent": bool(values["consent"])})
            owner = self.observe_app.create_session(meta, framework)
        except ObserveError as exc:
            self.show_errors({"form": str(exc)})
            return
        self._started = True
        remember_defaults(workspace, values)
        self.app.switch_screen(LiveScreen(owner))

    def _order(self) -> list[str]:
        return ["facilitators", *(f[0] for f in TEXT_FIELDS), "date", "start", "mode", "framework"]
