"""Wrap-up: rate each criterion beside the notes tagged to it, then write strengths, areas
for development and a summary for each facilitator, and finish.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static, TextArea

from observe.app.dialogs.own_focus import hope_line
from observe.app.plain import one_line, plain, styled
from observe.app.screens.rating_keys import RatingKeys, rating_bindings
from observe.app.screens.typing import TypingGuard
from observe.app.widgets.criteria import CriteriaList, level_lines
from observe.app.widgets.save_status import SaveStatus
from observe.app.widgets.timeline import note_line
from observe.core.models import Criterion
from observe.services.session_owner import SessionOwner

SAVE_DEBOUNCE_S = 0.3
FIELDS = [
    ("strengths", "Strengths"),
    ("development", "Areas for development"),
    ("summary", "Summary"),
]


class ConfirmFinish(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter,y", "answer(True)", "Finish", id="finish.yes", tooltip="Mark it completed"),
        Binding(
            "escape,n",
            "answer(False)",
            "Keep working",
            id="finish.no",
            tooltip="Back to the wrap-up; nothing changes",
        ),
    ]

    def __init__(self, unwritten: list[str] | None = None) -> None:
        super().__init__()
        self.unwritten = unwritten or []

    def compose(self) -> ComposeResult:
        reminder: list[str | tuple[str, str]] = []
        if self.unwritten:
            # Co-delivered sessions have one summary each; the second is easy to miss.
            who = " and ".join(self.unwritten)
            reminder = ["Nothing is written yet for ", (who, "bold"), " (F2 switches).\n\n"]
        with Vertical(id="finish-box"):
            yield Static(
                styled(
                    ("Finish this observation?", "bold"),
                    "\n\n",
                    *reminder,
                    "It will be marked completed, ready to share with the facilitator. You can"
                    " reopen it from home until its feedback is shared.\n\n",
                    ("Enter", "bold"),
                    " finish   ",
                    ("Esc", "bold"),
                    " keep working",
                )
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class WrapUpScreen(RatingKeys, TypingGuard, Screen[str | None]):
    RATING_LINE = "#wrap-rating"
    HELP_TITLE = "Wrap-up"
    HELP = (
        "Go through the criteria: the notes you linked to each are beside it, so you can rate"
        " from the evidence (1-4, 0 for not observed, Backspace clears, u undoes). Then write"
        " strengths first, areas for development and a short summary for each facilitator."
        " F3 shows which notes go into each facilitator's feedback, and why (tagged, named or"
        " shared): leave one out or move it before finishing."
        " Everything is saved as you go."
    )
    TYPING_HINT = "The criteria list takes ratings, not words: Tab to Strengths to write."
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        *rating_bindings("wrapup"),
        Binding(
            "f10",
            "finish",
            "Finish",
            id="wrapup.finish",
            tooltip="Mark the observation completed (asks first)",
        ),
        Binding(
            "f2",
            "next_facilitator",
            "Switch",
            id="wrapup.facilitator",
            tooltip="Rate and write for the next facilitator",
        ),
        Binding(
            "f3",
            "feedback_notes",
            "Notes",
            id="wrapup.notes",
            tooltip="Which notes go into each facilitator's feedback, and why; move or leave out",
        ),
        Binding(
            "f12",
            "back",
            "Back",
            id="wrapup.back",
            tooltip="Return to the live screen (or to your sessions)",
        ),
        Binding(
            "ctrl+down",
            "scroll_evidence(3)",
            "Evidence down",
            show=False,
            id="wrapup.evidence_down",
            tooltip="Scroll the notes and level descriptors beside the criteria",
        ),
        Binding(
            "ctrl+up",
            "scroll_evidence(-3)",
            "Evidence up",
            show=False,
            id="wrapup.evidence_up",
            tooltip="Scroll the notes and level descriptors back up",
        ),
    ]

    def __init__(self, owner: SessionOwner, *, over_live: bool = False) -> None:
        super().__init__()
        self.state = owner  # the open session: read from it, change it through it
        # Opened over the live screen, which keeps holding the session when wrap-up closes.
        self.over_live = over_live
        self._pending: dict[str, Timer] = {}

    def compose(self) -> ComposeResult:
        s = self.state.session
        names = ", ".join(p.name for p in s.meta.facilitators)
        with Horizontal(id="wrap-bar"):
            title = f"Wrap-up · {s.meta.title or 'Observation'} · {names}"
            yield Static(plain(title), id="wrap-title")
            yield Static("", id="wrap-rating")
        with Horizontal(id="wrap-main"):
            yield CriteriaList(
                s.framework.content,
                s.meta.mode,
                list(s.meta.facilitators),
                s.meta.focus,
                self.state.levels,
                self.state.selected,
                id="wrap-criteria",
            )
            # Scrolls with the criteria list (or ctrl+up/down), never a Tab stop that takes typing.
            with VerticalScroll(id="wrap-evidence-box", can_focus=False):
                yield Static("", id="wrap-evidence")
        with Horizontal(id="wrap-texts"):
            for field, title in FIELDS:
                area = TextArea(id=f"wrap-{field}", soft_wrap=True, tab_behavior="focus")
                area.border_title = title
                area.cursor_blink = self.observe_app.options.cursor_blink
                yield area
        yield SaveStatus(self.state, id="wrap-save")
        yield Footer(compact=True)  # whole keys at 80 columns; F1 lists them all

    def on_mount(self) -> None:
        self._areas = {field: self.query_one(f"#wrap-{field}", TextArea) for field, _ in FIELDS}
        self._load_texts()
        self._show_rating_for()
        self.show_mode()
        self.query_one(CriteriaList).focus()

    # ------------------------------------------------------------ facilitator

    def _show_rating_for(self) -> None:
        people = self.state.session.meta.facilitators
        more = " (F2: next)" if len(people) > 1 else ""
        self.query_one("#wrap-rating", Static).update(
            plain(f"for {people[self.state.selected].name}{more}")
        )
        self._show_evidence()

    def _load_texts(self) -> None:
        summary = self.state.summary(self.facilitator)
        for field, _ in FIELDS:
            area = self.query_one(f"#wrap-{field}", TextArea)
            with area.prevent(TextArea.Changed):
                area.load_text(getattr(summary, field))

    def _save_pending(self) -> None:
        for field in list(self._pending):
            self._pending.pop(field).stop()
            self._save_field(field, self.facilitator)

    def keep_typing(self) -> None:
        """Quit or a signal: every text box as it is now, whether or not its timer fired."""
        for field in list(self._pending):
            self._pending.pop(field).stop()
        for field, _ in FIELDS:
            self._save_field(field, self.facilitator)

    def on_unmount(self) -> None:
        if not self.state.closed:  # the app exiting under this screen: keep what is typed
            self._save_pending()

    def on_criteria_list_next_facilitator(self, event: CriteriaList.NextFacilitator) -> None:
        self.action_next_facilitator()

    def action_next_facilitator(self) -> None:
        self._save_pending()
        self.state.selected = (self.state.selected + 1) % len(self.state.session.meta.facilitators)
        self.query_one(CriteriaList).select_facilitator(self.state.selected)
        self._load_texts()
        self._show_rating_for()
        self.show_mode()

    # ------------------------------------------------------------ rating from evidence

    def after_rating(self) -> None:
        self._show_evidence()

    @on(OptionList.OptionHighlighted, "#wrap-criteria")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_evidence()
        self.show_mode()

    def _show_evidence(self) -> None:
        criterion: Criterion | None = self.query_one(CriteriaList).current
        box = self.query_one("#wrap-evidence", Static)
        self.query_one("#wrap-evidence-box", VerticalScroll).scroll_home(animate=False)
        if criterion is None:
            box.update("")
            return
        out = Text()
        out.append(one_line(f"{criterion.id} {criterion.title}") + "\n", style="bold")
        out.append_text(hope_line(self.state.session.meta, self.facilitator, criterion.id))
        linked = set(self.state.evidence(self.facilitator, criterion.id))
        notes = [n for n in self.state.notes if n.id in linked]
        if notes:
            for note in notes:
                out.append_text(note_line(note))
                out.append("\n")
        else:
            out.append("No notes linked to this criterion yet.\n", style="dim italic")
        scale = self.state.session.framework.content.scale
        out.append("\n")
        out.append_text(level_lines(criterion, scale, words="dim"))
        box.update(out)

    def action_scroll_evidence(self, lines: int) -> None:
        box = self.query_one("#wrap-evidence-box", VerticalScroll)
        box.scroll_relative(y=lines, animate=False)

    def action_feedback_notes(self) -> None:
        from observe.app.dialogs.feedback_notes import FeedbackNotes

        self._save_pending()

        def back(_: None) -> None:
            # The person shown there may have changed, and with it the evidence here.
            self.query_one(CriteriaList).select_facilitator(self.state.selected)
            self._load_texts()
            self._show_rating_for()

        self.app.push_screen(FeedbackNotes(self.state), back)

    # ------------------------------------------------------------ writing

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        field = (event.text_area.id or "").removeprefix("wrap-")
        if field not in dict(FIELDS):
            return
        if field in self._pending:
            self._pending.pop(field).stop()
        who = self.facilitator
        self._pending[field] = self.set_timer(SAVE_DEBOUNCE_S, lambda: self._save_field(field, who))

    def _save_field(self, field: str, facilitator: str) -> None:
        self._pending.pop(field, None)
        text = self._areas[field].text
        if facilitator == self.facilitator:
            self.state.set_summary(facilitator, field, text)

    # ------------------------------------------------------------ leaving

    def action_back(self) -> None:
        self._save_pending()
        if not self.over_live:
            self.observe_app.release(self.state)
        self.dismiss(None)

    def action_finish(self) -> None:
        self._save_pending()

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.state.finish()
            if not self.over_live:
                self.observe_app.release(self.state)
            self.notify("Observation completed. Thank you for the care in it.", timeout=4)
            self.dismiss("finished")

        session = self.state.session
        unwritten = [
            p.name for p in session.meta.facilitators if not self.state.summary(p.id).written
        ]
        self.app.push_screen(ConfirmFinish(unwritten), answered)
