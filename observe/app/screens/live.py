"""Live observation: the timer and phase, the criteria, the notes timeline and the note input.

The note input has the focus; Enter saves a note, Tab takes an offered completion or else
moves to the criteria and back, where 1-4 rate the highlighted criterion for the selected
facilitator, 0 marks it not observed, Backspace clears it and u undoes the last change.
Every change goes to the session's owner at once: the screen never waits on the disk.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Input, OptionList, Static

from observe.app.plain import plain, styled
from observe.app.screens.live_focus import OwnFocusOnLive
from observe.app.screens.live_keys import LIVE_BINDINGS
from observe.app.screens.rating_keys import RatingKeys
from observe.app.screens.typing import TypingGuard
from observe.app.widgets.criteria import CriteriaList, CriterionDetails
from observe.app.widgets.note_input import HINT, NoteHint, NoteInput
from observe.app.widgets.save_status import SaveStatus
from observe.app.widgets.timeline import Timeline
from observe.app.widgets.timer import SessionTimer, hms
from observe.core.models import Consent, Note
from observe.core.notetext import compose, parse
from observe.core.shorten import shorten
from observe.services.session_owner import SessionOwner

DRAFT_DEBOUNCE_S = 0.3


class LiveScreen(RatingKeys, TypingGuard, OwnFocusOnLive):
    HELP_TITLE = "Live observation"
    HELP = (
        "Type what you see and hear; Enter saves the note. Start a note with + for a strength,"
        ' - for something to develop, ? for a question, " for a quote. #R1 links a criterion,'
        " @name a facilitator, !A1 an action from last time (Tab, → or End takes the"
        " suggestion). With no suggestion Tab"
        " moves to the criteria (marked RATING), where 1-4 rate the highlighted one for the"
        " facilitator shown at the top, 0 means not observed this time, Backspace clears the"
        " rating, u or ctrl+z undoes the last rating change, f or F2 changes facilitator,"
        " j/k or arrows move. Every rating is confirmed on the top line."
    )
    TYPING_HINT = "The criteria list takes ratings, not words: Tab to the note box to write."
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = LIVE_BINDINGS

    def __init__(self, owner: SessionOwner) -> None:
        super().__init__()
        self.state = owner  # the open session: read from it, change it through it
        self.editing: Note | None = None
        self._typed_at = 0.0  # when the draft last changed; 0: saved
        self.show_details = False

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        s = self.state.session
        meta = s.meta
        names = ", ".join(p.name for p in meta.facilitators)
        title = f"{meta.title or 'Observation'} · {names}"
        with Horizontal(id="live-bar"):
            yield Static(plain(title), id="live-title")
            if meta.consent is not Consent.GIVEN:  # observed without a yes: always in sight
                yield Static(f"⚠ consent {meta.consent.label}", id="live-consent")
            yield SessionTimer(s.clock, self.state.now, self.state.phase, id="live-timer")
            yield Static("", id="live-rating")
        yield Static(self._last_time_line(), id="live-last")
        yield self.own_focus_line()
        with Horizontal(id="live-main"):
            yield CriteriaList(
                s.framework.content,
                meta.mode,
                list(meta.facilitators),
                meta.focus,
                self.state.levels,
                self.state.selected,
                id="criteria",
            )
            yield Timeline(id="timeline")
            yield CriterionDetails(id="details")
        yield NoteInput(
            self.state.vocab,
            cursor_blink=self.observe_app.options.cursor_blink,
            id="note",
        )
        yield NoteHint(HINT, id="note-hint")
        yield SaveStatus(self.state, id="live-save")
        # Whole keys at 80 columns; F1 lists every key, ctrl+p included.
        yield Footer(compact=True, show_command_palette=False)

    def _last_time_line(self) -> Text:
        """One line naming what was agreed last time and how far it is marked."""
        ups = self.state.followups
        if not ups:
            return Text("")
        marked = sum(1 for u in ups if u.mark is not None)
        line = Text("From last time ", style="bold")
        line.append(f"({marked}/{len(ups)} marked, F5): ")
        line.append(" · ".join(f"{u.label} {shorten(' '.join(u.text.split()), 24)}" for u in ups))
        return line

    def action_last_time(self) -> None:
        from observe.app.dialogs.last_time import LastTime

        if not self.state.followups:
            self.notify("Nothing was agreed at an earlier observation of them", timeout=3)
            return

        def closed(_: None) -> None:
            self.query_one("#live-last", Static).update(self._last_time_line())
            self.query_one(NoteInput).focus()

        self.app.push_screen(LastTime(self.state), closed)

    def on_mount(self) -> None:
        self.query_one("#live-last").display = bool(self.state.followups)
        self.query_one(Timeline).load(self.state.notes, self.state.session.phases)
        self.query_one("#live-timer", SessionTimer).set_state(self.state.clock, self.state.phase)
        self._show_rating_for()
        note = self._note = self.query_one(NoteInput)
        self._hint = self.query_one(NoteHint)
        self.set_interval(DRAFT_DEBOUNCE_S / 3, self._draft_tick)
        if self.state.draft:
            note.value = self.state.draft
            note.cursor_position = len(note.value)
        note.focus()
        self._show_details()
        self._offer_resume()

    def _offer_resume(self) -> None:
        """Reopened with the timer paused (F12 pauses it): say so, and offer to resume."""
        from observe.app.dialogs.resume_timer import ResumeTimer

        clock = self.state.clock
        if clock.started_at is None or clock.paused_since is None:
            return

        def answered(resume: bool | None) -> None:
            if resume:
                self.action_pause()
            self.query_one(NoteInput).focus()

        elapsed = hms(clock.elapsed(self.state.now()))
        self.app.push_screen(ResumeTimer(clock.paused_since, elapsed), answered)

    def on_screen_resume(self) -> None:
        # Back from wrap-up: ratings, and whose they are, may have changed there.
        criteria = self.query_one(CriteriaList)
        criteria.selected = self.state.selected
        criteria.set_ratings(self.state.levels)
        self._show_rating_for()
        self.query_one(NoteInput).focus()

    # ------------------------------------------------------------ notes

    @on(Input.Submitted, "#note")
    def save_note(self, event: Input.Submitted) -> None:
        parsed = parse(event.value, self.state.vocab)  # the input has already been cleared
        if self.editing is not None:
            if not parsed.empty:
                self.state.edit_note(self.editing, parsed)
                self.notify("Note updated", timeout=2)
            self._end_edit()
            self._reload_timeline()
            return  # the draft put aside by the edit is back in the input, still saved
        if parsed.empty:
            return
        self._cancel_draft_timer()
        # The note and what the input holds now (a cleared draft) go to disk in one write.
        note = self.state.add_note(parsed, draft=self._note.value)
        self.query_one(Timeline).add_note(note)
        if parsed.warning():
            self.notify(f"Saved; {parsed.warning()}: kept as plain text", timeout=4)
        if self.state.clock.paused_since is not None:
            # Every note written while paused gets the same time: never without saying so.
            self.notify(
                f"Saved at {hms(note.elapsed_s)} with the timer PAUSED · F4 resumes it",
                severity="warning",
                timeout=4,
            )

    @on(Input.Changed, "#note")
    def note_changed(self, event: Input.Changed) -> None:
        # Runs on every key: kept to plain attribute work (no queries, no new timers).
        self._hint.show_for(event.value, self._note.cursor_position, self.state.vocab)
        if self.editing is None:
            self._typed_at = time.monotonic()

    def _draft_tick(self) -> None:
        """Save the draft once typing has paused for DRAFT_DEBOUNCE_S."""
        if self._typed_at and time.monotonic() - self._typed_at >= DRAFT_DEBOUNCE_S:
            self._save_draft()

    def _save_draft(self) -> None:
        self._typed_at = 0.0
        if self.editing is None:
            self.state.save_draft(self._note.value)

    def _cancel_draft_timer(self) -> None:
        self._typed_at = 0.0

    def _reload_timeline(self) -> None:
        self.query_one("#live-last").display = bool(self.state.followups)
        self.query_one(Timeline).load(self.state.notes, self.state.session.phases)

    def on_note_input_edit_last(self, event: NoteInput.EditLast) -> None:
        self.action_edit_last()

    def action_edit_last(self) -> None:
        live = self.state.live_notes()
        if not live:
            self.notify("No note to edit yet", timeout=2)
            return
        note_input = self.query_one(NoteInput)
        if note_input.value and self.editing is None:
            self._save_draft()
        self.editing = live[-1]
        note_input.value = compose(self.editing.kind, self.editing.text)
        note_input.cursor_position = len(note_input.value)
        note_input.border_title = "Editing the last note · Enter saves · Esc leaves it as it was"
        note_input.add_class("-editing")
        note_input.focus()

    def _end_edit(self) -> None:
        """Leave editing (saved or not): what was being typed before it comes back."""
        self.editing = None
        note_input = self.query_one(NoteInput)
        note_input.border_title = None
        note_input.remove_class("-editing")
        note_input.value = self.state.draft
        note_input.cursor_position = len(note_input.value)

    def action_cancel_edit(self) -> None:
        if self.editing is not None:
            self._end_edit()

    def action_delete_last(self) -> None:
        if self.editing is not None:
            self.action_cancel_edit()
        gone = self.state.delete_last()
        if gone is None:
            self.notify("No note to remove", timeout=2)
            return
        self._reload_timeline()
        self.notify(f"Removed “{shorten(gone.text, 30)}” · F8 brings it back", timeout=4)

    def action_undo_delete(self) -> None:
        back = self.state.undo_delete()
        if back is None:
            self.notify("Nothing to bring back", timeout=2)
            return
        self._reload_timeline()
        self.notify(f"Brought back “{shorten(back.text, 30)}”", timeout=3)

    # ------------------------------------------------------------ ratings

    def _show_rating_for(self) -> None:
        people = self.state.session.meta.facilitators
        name = people[self.state.selected].name
        more = " (F2: next)" if len(people) > 1 else ""
        self.query_one("#live-rating", Static).update(plain(f"rating {name}{more}"))
        if len(people) > 1:
            # Say whose rating each column of "3 · –" is; the one being rated in bold.
            parts: list[str | tuple[str, str]] = ["ratings "]
            for i, person in enumerate(people):
                first = (person.name.split() or [""])[0]
                parts += [" · "] if i else []
                parts.append((first, "bold") if i == self.state.selected else first)
            self.query_one(CriteriaList).border_title = styled(*parts)

    def on_criteria_list_next_facilitator(self, event: CriteriaList.NextFacilitator) -> None:
        self.action_next_facilitator()

    def action_next_facilitator(self) -> None:
        people = self.state.session.meta.facilitators
        self.state.selected = (self.state.selected + 1) % len(people)
        self.query_one(CriteriaList).select_facilitator(self.state.selected)
        self._show_rating_for()
        self.show_mode()

    @on(OptionList.OptionHighlighted, "#criteria")
    def criterion_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_details()
        self.show_mode()

    def rating_mode(self, line: str) -> None:
        # The line under the note box says what the keys do now; the box itself looks idle.
        if not hasattr(self, "_hint"):
            return  # not mounted yet
        note = self._note
        if line:
            self._hint.show_rating(line + " to notes")
        else:
            self._hint.show_for(note.value, note.cursor_position, self.state.vocab)

    def _show_details(self) -> None:
        criteria = self.query_one(CriteriaList)
        details = self.query_one(CriterionDetails)
        details.show(criteria.current, self.state.session.framework.content)

    def action_details(self) -> None:
        self.show_details = not self.show_details
        self.set_class(self.show_details, "-details")
        if self.show_details:
            self.notify("ctrl+↓ and ctrl+↑ scroll the details", timeout=3)

    def action_scroll_details(self, lines: int) -> None:
        details = self.query_one(CriterionDetails)
        if not details.display:
            self.action_details()  # the keys are for the details: show them first
        details.scroll_relative(y=lines, animate=False)

    # ------------------------------------------------------------ timer and phases

    def action_pause(self) -> None:
        paused = self.state.toggle_pause()
        self.query_one("#live-timer", SessionTimer).set_state(self.state.clock, self.state.phase)
        self.notify("Timer paused: a break" if paused else "Timer running again", timeout=2)

    def action_phase(self) -> None:
        from observe.app.dialogs.phase_picker import PhasePicker

        def chosen(name: str | None) -> None:
            if name:
                phase = self.state.start_phase(name)
                self.query_one(Timeline).add_phase(phase)
                timer = self.query_one("#live-timer", SessionTimer)
                timer.set_state(self.state.clock, self.state.phase)
            self.query_one(NoteInput).focus()

        self.app.push_screen(PhasePicker(), chosen)

    # ------------------------------------------------------------ leaving

    def _keep_draft(self) -> None:
        self._cancel_draft_timer()
        self._save_draft()

    def keep_typing(self) -> None:
        """Quit or a signal: what is in the input now is the draft (unless it is an edit)."""
        self._keep_draft()

    def on_unmount(self) -> None:
        if not self.state.closed:  # the app exiting under this screen: keep what is typed
            self._keep_draft()

    def action_wrapup(self) -> None:
        from observe.app.screens.wrapup import WrapUpScreen

        self._keep_draft()

        def back(result: str | None) -> None:
            if result == "finished":
                self.observe_app.release(self.state)
                self.dismiss(None)

        self.app.push_screen(WrapUpScreen(self.state, over_live=True), back)

    def action_leave(self) -> None:
        self._keep_draft()
        if self.state.clock.paused_since is None:
            self.state.toggle_pause()  # time away is not observation; F4 resumes on return
        self.observe_app.release(self.state)
        self.notify("Saved; the session stays in progress, its timer paused", timeout=3)
        self.dismiss(None)
