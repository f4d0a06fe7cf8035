"""The facilitator's review: read the feedback, reflect, agree actions, acknowledge.

The feedback is the same content as the PDF (``observe.report.feedback``), read-only. The
response is the facilitator's own voice: saved as typed (debounced) through the session's
owner, each facilitator's into their own response document. The session is acknowledged once
every facilitator of it has acknowledged their feedback; an acknowledgement is never taken
back (a status only moves forward, on every copy of the session).
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from observe.app.debounce import Debounce
from observe.app.dialogs.session_dialogs import ChooseFacilitator
from observe.app.plain import plain
from observe.app.screens.review_actions import AgreedActions
from observe.app.widgets.action_table import ActionTable
from observe.app.widgets.feedback_view import FeedbackView
from observe.app.widgets.marked_checkbox import MarkedCheckbox
from observe.app.widgets.save_status import SaveStatus
from observe.core.errors import ObserveError
from observe.core.models import Person, Response, Status
from observe.report.feedback import feedback_context
from observe.services.session_owner import SessionOwner

SAVE_DEBOUNCE_S = 0.3
TEXTS = ("reflection", "disagreement")
ACKNOWLEDGE = "I have read this feedback and acknowledge it"


def acknowledged_label(response: Response) -> str:
    """What the acknowledgement box says: the question, or once answered, when."""
    if not response.acknowledged:
        return ACKNOWLEDGE
    when = response.acknowledged_at
    return f"Acknowledged on {when:%-d %B %Y}" if when else "Acknowledged"


class ReviewScreen(AgreedActions):
    HELP_TITLE = "Review"
    HELP = (
        "Your feedback from a peer observation (F3), and your response to it (F4): a"
        " reflection, actions you agree, and an acknowledgement, with room to say where you"
        " see things differently. Everything is saved as you type; the screen's own keys are"
        " function keys, so your words never turn into commands."
    )
    TYPING_HINT = "Not a text box, so nothing was typed: Tab to a text box to write."
    BINDINGS = [
        Binding("escape", "back", "Back", id="review.back", tooltip="Save and return"),
        Binding(
            "f3",
            "show('feedback')",
            "Feedback",
            id="review.feedback",
            show=False,  # the tab itself names its key: the footer keeps room at 80 columns
            tooltip="Read the feedback: strengths, development, ratings",
        ),
        Binding(
            "f4",
            "show('response')",
            "Respond",
            id="review.respond",
            show=False,  # the tab itself names its key: the footer keeps room at 80 columns
            tooltip="Your reflection, agreed actions and acknowledgement",
        ),
        Binding(
            "f2",
            "next_facilitator",
            "Facilitator",
            id="review.facilitator",
            tooltip="The next facilitator's feedback (co-delivered sessions)",
        ),
        Binding(
            "f5",
            "export",
            "Export PDF",
            id="review.export",
            tooltip="Write the feedback PDF again, with your response in it",
        ),
        Binding(
            "delete",
            "remove_action",
            "Remove action",
            id="review.remove_action",
            show=False,
            tooltip="Remove the highlighted agreed action",
        ),
    ]

    def __init__(
        self, path: Path, facilitator: int | None = None, action: str | None = None
    ) -> None:
        super().__init__()
        self.path = path
        self.action_id = action  # opened to follow one action up: it is shown highlighted
        self.session: SessionOwner | None = None
        self.selected = facilitator or 0
        self._asked = facilitator is not None  # home asks whose feedback before opening
        self.responses: dict[str, Response] = {}
        self._save_later = Debounce(self, SAVE_DEBOUNCE_S, self._save_now)
        self._editing: int | None = None  # the action row being edited, if any

    def compose(self) -> ComposeResult:
        yield Static("Review", id="review-bar")
        with TabbedContent(id="review-tabs", initial="feedback"):
            with TabPane("Feedback (F3)", id="feedback"), VerticalScroll(id="review-feedback"):
                yield FeedbackView(id="review-feedback-text")
            with (
                TabPane("Your response (F4)", id="response"),
                VerticalScroll(id="review-response", can_focus=False),
            ):
                yield Label("Your reflection")
                yield TextArea(id="review-reflection", soft_wrap=True, tab_behavior="focus")
                yield Label("Agreed actions")
                with Horizontal(id="action-form"):
                    yield Input(placeholder="An action you agree", id="action-text")
                    yield Input(placeholder="Who", id="action-owner")
                    yield Input(placeholder="By (2026-05-01)", id="action-by")
                yield Static(
                    "Enter adds. In the list: d done, x dropped, c carry, Enter edits,"
                    " Del removes.",
                    id="action-hint",
                )
                table: DataTable[str] = ActionTable(id="review-actions", cursor_type="row")
                table.add_column("Action", width=38)
                table.add_column("Who", width=16)
                table.add_column("By when", width=14)
                table.can_focus = False  # a Tab stop only once there is an action to pick
                yield table
                yield MarkedCheckbox(ACKNOWLEDGE, id="review-ack")
                yield Label("Where you see it differently (optional)")
                yield TextArea(id="review-disagreement", soft_wrap=True, tab_behavior="focus")
        yield Footer(compact=True)

    # ------------------------------------------------------------ opening

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.cursor_blink = self.observe_app.options.cursor_blink
        try:
            self.session = self.observe_app.open_session(self.path)
        except ObserveError as exc:
            self.notify(str(exc), title="Cannot open for review", severity="error", timeout=8)
            self.dismiss(None)
            return
        self.mount(SaveStatus(self.session, id="review-save"), before=self.query_one(Footer))
        people = self.session.session.meta.facilitators
        self.responses = {p.id: self.session.response(p.id).model_copy(deep=True) for p in people}
        if self.selected >= len(people):
            self.selected = 0
        self._show_facilitator()
        self.query_one("#review-feedback").focus()
        if self.action_id is not None:
            self.show_action(self.action_id)
        if len(people) > 1 and not self._asked:
            self.app.push_screen(ChooseFacilitator(list(people)), self._choose)

    def _choose(self, index: int | None) -> None:
        if index is None:  # Escape: nobody chosen, so no review opened
            self.dismiss(None)
            return
        self._save_now()
        self.selected = index
        self._show_facilitator()

    @property
    def people(self) -> list[Person]:
        return list(self.session.session.meta.facilitators) if self.session else []

    @property
    def facilitator(self) -> str:
        return self.people[self.selected].id

    @property
    def response(self) -> Response:
        return self.responses[self.facilitator]

    def _show_facilitator(self) -> None:
        if self.session is None:
            return
        person = self.people[self.selected]
        meta = self.session.session.meta
        more = " (F2: next)" if len(self.people) > 1 else ""
        # A completed session read before it is shared is a preview; sharing is done on home.
        preview = (
            "Not shared yet · "
            if self.session.session.status in (Status.IN_PROGRESS, Status.COMPLETED)
            else ""
        )
        self.query_one("#review-bar", Static).update(
            plain(
                f"{preview}Review for {person.name}{more} · {meta.title or 'Observed session'}"
                f" · {meta.date:%-d %b %Y}"
            )
        )
        feedback = feedback_context(self.session.record, person.id)
        self.query_one(FeedbackView).show(feedback)
        response = self.response
        for name in TEXTS:
            area = self.query_one(f"#review-{name}", TextArea)
            with area.prevent(TextArea.Changed):
                area.load_text(getattr(response, name))
            area.move_cursor(area.document.end)  # carry on where the words end
        box = self.query_one("#review-ack", Checkbox)
        with box.prevent(Checkbox.Changed):
            box.value = response.acknowledged
        box.disabled = response.acknowledged  # given, it stays given
        box.label = acknowledged_label(response)
        self._editing = None
        self._show_actions()

    # ------------------------------------------------------------ saving

    def _schedule_save(self) -> None:
        self._save_later.poke()

    def _save_now(self) -> None:
        self._save_later.cancel()
        if self.session is None:
            return
        self.session.set_responses(self.responses)

    def keep_typing(self) -> None:
        """Quit or a signal: the text boxes as they are now, then the responses."""
        if self.session is None:
            return
        for name in TEXTS:
            setattr(self.response, name, self.query_one(f"#review-{name}", TextArea).text)
        self._save_now()

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        name = (event.text_area.id or "").removeprefix("review-")
        if name in TEXTS and self.session is not None:
            setattr(self.response, name, event.text_area.text)
            self._schedule_save()

    @on(Checkbox.Changed, "#review-ack")
    def _acknowledged(self, event: Checkbox.Changed) -> None:
        if self.session is None:
            return
        if not event.value:
            return  # only before it is given: once given the box is disabled
        response = self.response
        response.acknowledged = True
        response.acknowledged_at = self.session.now()
        self._save_now()
        self.query_one("#review-disagreement", TextArea).focus()
        event.checkbox.disabled = True
        event.checkbox.label = acknowledged_label(response)
        self.notify("Thank you: your acknowledgement is saved.", timeout=3)

    # ------------------------------------------------------------ moving about

    def action_show(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        target = "#review-feedback" if pane == "feedback" else "#review-reflection"
        self.query_one(target).focus()

    def action_next_facilitator(self) -> None:
        if len(self.people) > 1:
            self._choose((self.selected + 1) % len(self.people))

    def action_export(self) -> None:
        if self.session is None:
            return
        from observe.app.screens.exporting import ExportScreen

        self._save_now()
        self.session.flush()
        self.app.push_screen(ExportScreen([self.path], facilitator=self.facilitator))

    def action_back(self) -> None:
        self._save_now()
        if self.session is not None:
            self.observe_app.release(self.session)
            self.session = None
        self.dismiss(None)
