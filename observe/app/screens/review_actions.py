"""The review's agreed actions: added, reworded (keeping their id), removed, and closed (done,
dropped) or carried to the next observation. Mixed into the review screen, whose response
for the facilitator shown they change; each change is saved at once."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen
from textual.widgets import DataTable, Input, TabbedContent

from observe.app.plain import one_line, plain
from observe.app.screens.typing import TypingGuard
from observe.core.actions import with_state
from observe.core.choices import ActionState
from observe.core.models import Action, Response
from observe.core.shorten import shorten

if TYPE_CHECKING:
    from observe.services.session_owner import SessionOwner


def parse_by(text: str) -> date | None:
    """A "by when" date: 2026-05-01 or 1/5/2026 (day first, as written in the UK); "" is none."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date: write it as 2026-05-01 or 1/5/2026") from None


class AgreedActions(TypingGuard, Screen[None]):
    _editing: int | None = None  # the action row being edited, if any

    if TYPE_CHECKING:  # the review's: the session, the response shown, and its save
        session: SessionOwner | None

        @property
        def response(self) -> Response: ...

        def _save_now(self) -> None: ...

    def _show_actions(self) -> None:
        table = self.query_one("#review-actions", DataTable)
        table.clear()
        for action in self.response.actions:
            by = action.by.isoformat() if action.by else ""
            text, owner = (
                plain(shorten(one_line(t), w)) for t, w in ((action.text, 38), (action.owner, 16))
            )
            if action.state is not ActionState.OPEN:  # "dropped 28 Nov" fits the column
                day = f"{action.changed:%-d %b}" if action.changed else ""
                by = f"{action.state.label} {day}".strip()
            table.add_row(text, owner, by)
        table.can_focus = bool(self.response.actions)

    def show_action(self, action_id: str) -> None:
        """The response's tab, its list of actions focused on this one (if it is there)."""
        ids = [a.id for a in self.response.actions]
        if action_id not in ids:
            return
        self.query_one(TabbedContent).active = "response"
        table = self.query_one("#review-actions", DataTable)
        table.focus()
        table.move_cursor(row=ids.index(action_id), animate=False)

    @on(Input.Submitted, "#action-form Input")
    def _submit_action(self, event: Input.Submitted) -> None:
        text = self.query_one("#action-text", Input)
        owner = self.query_one("#action-owner", Input)
        by = self.query_one("#action-by", Input)
        if not text.value.strip():
            self.notify("Write the action first.", severity="warning", timeout=3)
            text.focus()
            return
        try:
            when = parse_by(by.value)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=5)
            by.focus()
            return
        if when is not None and self.session is not None and when < self.session.now().date():
            # Kept as agreed (it may be written down late): only said, once, gently.
            self.notify(f"Kept: {when:%-d %b %Y} has already passed.", timeout=4)
        action = Action(text=text.value.strip(), owner=owner.value.strip(), by=when)
        actions = self.response.actions
        if self._editing is not None and self._editing < len(actions):
            # The same action, reworded: it keeps its id (actions are followed up later).
            was = actions[self._editing]
            keep = {"id": was.id, "state": was.state, "changed": was.changed}
            actions[self._editing] = action.model_copy(update=keep)
        else:
            actions.append(action)
        self._editing = None
        for box in (text, owner, by):
            box.value = ""
        text.focus()
        self._show_actions()
        self._save_now()

    @on(DataTable.RowSelected, "#review-actions")
    def _edit_action(self, event: DataTable.RowSelected) -> None:
        action = self.response.actions[event.cursor_row]
        self._editing = event.cursor_row
        self.query_one("#action-text", Input).value = action.text
        self.query_one("#action-owner", Input).value = action.owner
        self.query_one("#action-by", Input).value = action.by.isoformat() if action.by else ""
        self.query_one("#action-text", Input).focus()

    def action_remove_action(self) -> None:
        table = self.query_one("#review-actions", DataTable)
        actions = self.response.actions
        if self.focused is not table or not actions:
            return
        del actions[min(table.cursor_row, len(actions) - 1)]
        self._editing = None
        self._show_actions()
        if not actions:
            self.query_one("#action-text", Input).focus()  # the empty list is no Tab stop
        self._save_now()

    def _highlighted_action(self) -> Action | None:
        table = self.query_one("#review-actions", DataTable)
        actions = self.response.actions
        if self.focused is not table or not actions:
            return None
        return actions[min(table.cursor_row, len(actions) - 1)]

    def action_close_action(self, state: str) -> None:
        action = self._highlighted_action()
        if action is None or self.session is None:
            return
        if action.state is not ActionState.OPEN:
            self.notify(f"Already {action.state.label}: a closed action stays closed", timeout=4)
            return
        today = self.session.now().date()
        response = with_state(self.response, action.id, ActionState(state), today)
        self.response.actions[:] = response.actions
        self._show_actions()
        self._save_now()

    def action_carry_action(self) -> None:
        action = self._highlighted_action()
        if action is None:
            return
        if action.state is not ActionState.OPEN:
            self.notify(f"Already {action.state.label}: a closed action stays closed", timeout=4)
            return
        self.notify("Kept open: it comes with the next observation (Enter changes its date)")
