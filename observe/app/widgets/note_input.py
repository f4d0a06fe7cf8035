"""The note input: completes the #criterion, @facilitator or !action being typed, inline.

Tab takes an offered completion (as in a shell); with none offered it moves to the criteria.
The right arrow and End take it too. The candidates line under it shows every match.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from observe.app.plain import in_markup
from observe.app.textual_compat import QuickInput
from observe.core.notetext import Vocabulary, complete, ends_in_whole_tag, parse, suggest

HINT = (
    '[b]+[/b] strength  [b]-[/b] development  [b]?[/b] question  [b]"[/b] quote  '
    "[b]#R1[/b] criterion  [b]@name[/b] facilitator"
)


class NoteInput(QuickInput):
    """Where the observer types; Enter submits (handled by the screen).

    A ``QuickInput``: a keystroke repaints the input only, never the whole screen.
    """

    TAKES_TAB = True  # the app leaves Tab to this input: see ObserveApp.check_action
    BINDINGS = [
        Binding("up", "edit_last", "Edit last note", show=False, id="note.edit_last"),
    ]

    @dataclass
    class EditLast(Message):
        """Up in an empty input: the observer wants the last note back to correct it."""

    def __init__(
        self, vocab: Vocabulary, *, cursor_blink: bool = True, id: str | None = None
    ) -> None:
        super().__init__(
            placeholder="Type a note; Enter saves it",
            # Text put back here (a recovered draft, a note to correct) is kept, never
            # selected: the first key typed goes after it, not over it.
            select_on_focus=False,
            id=id,
        )
        self.vocab = vocab
        self.cursor_blink = cursor_blink

    def watch_value(self, value: str) -> None:
        # After Input's own watcher, which clears the suggestion. The inline completion is
        # computed here rather than by a Suggester: that would start a worker on every
        # keystroke, and typing must stay as quick as in a bare Input.
        if "#" in value or "@" in value or "!" in value:
            self.inline_suggestion = suggest(value, self.vocab) or ""

    async def on_key(self, event: events.Key) -> None:
        # Enter is handled here, in the input's own queue, not as a binding: a binding runs
        # when the key has bubbled up to the App, after keys typed later may already have
        # reached the input, and a fast typist's next note would join this one. Handlers run
        # from the subclass up: preventing the default keeps Input's own from seeing it.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
        elif event.key == "tab":
            # Here too, in order with the keys around it: the words after a Tab that took a
            # completion stay in the note, they never reach the criteria as ratings.
            event.stop()
            event.prevent_default()
            if self.inline_suggestion and self.cursor_at_end:
                self.action_cursor_right()
            elif self.cursor_at_end and ends_in_whole_tag(self.value, self.vocab):
                self.insert_text_at_cursor(" ")  # the offered tag is whole: Tab ends it
            else:
                self.screen.focus_next()

    def action_end(self, select: bool = False) -> None:
        # Textual's End only moves the cursor; here, at the end of the text, it also takes
        # the offered completion, as the right arrow does (and as shells do).
        if not select and self.cursor_at_end and self.inline_suggestion:
            self.action_cursor_right()
            return
        super().action_end(select)

    async def action_submit(self) -> None:
        # Cleared here, between key events, so that keys typed straight after Enter start the
        # next note instead of joining this one before the screen has handled it.
        value = self.value
        self.post_message(self.Submitted(self, value, None))
        self.value = ""

    def action_edit_last(self) -> None:
        if not self.value:
            self.post_message(self.EditLast())


class NoteHint(Static):
    """One line under the input: candidates for the tag being typed, or what the markers mean."""

    _shown: str = HINT

    def show_for(self, text: str, cursor: int, vocab: Vocabulary) -> None:
        self._show(self.hint_for(text, cursor, vocab))

    @staticmethod
    def hint_for(text: str, cursor: int, vocab: Vocabulary) -> str:
        if "#" not in text and "@" not in text and "!" not in text:
            return HINT  # the common case, kept cheap: most keys type plain words
        found = complete(text, cursor, vocab)
        if found is not None:
            if found.candidates:
                return "→ " + _escape("  ".join(c.label for c in found.candidates))
            kind = {"#": "criterion", "@": "facilitator"}.get(found.sigil, "action from last time")
            return f"no {kind} starts with {_escape(found.sigil + found.prefix)}"
        warning = parse(text, vocab).warning()
        return f"[i]{_escape(warning)}: kept as plain text[/i]" if warning else HINT

    def show_rating(self, line: str) -> None:
        """The keys rate now, not type: said here, in words that cannot be missed."""
        self._show(f"[b]{_escape(line)}[/b]")

    def _show(self, markup: str) -> None:
        if markup != self._shown:
            self._shown = markup
            self.update(markup, layout=False)  # one line, always: no layout pass per key


def _escape(text: str) -> str:
    return in_markup(text)
