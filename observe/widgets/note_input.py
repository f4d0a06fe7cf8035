"""The note input: completes the #criterion or @facilitator being typed, inline.

Tab stays free to move focus to the criteria; a suggestion is accepted with the right arrow
or End, as in any Textual Input. The candidates line under it shows every match.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, Static

from observe.notetext import Vocabulary, complete, parse, suggest

HINT = (
    '[b]+[/b] strength  [b]-[/b] development  [b]?[/b] question  [b]"[/b] quote  '
    "[b]#R1[/b] criterion  [b]@name[/b] facilitator"
)


class TagSuggester(Suggester):
    def __init__(self, vocab: Vocabulary) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        self.vocab = vocab

    async def get_suggestion(self, value: str) -> str | None:
        return suggest(value, self.vocab)


class NoteInput(Input):
    """Where the observer types; Enter submits (handled by the screen)."""

    BINDINGS = [
        Binding("up", "edit_last", "Edit last note", show=False, id="note.edit_last"),
    ]

    @dataclass
    class EditLast(Message):
        """Up in an empty input: the observer wants the last note back to correct it."""

    def __init__(self, vocab: Vocabulary, *, cursor_blink: bool = True, **kwargs: object) -> None:
        super().__init__(
            placeholder="Type a note; Enter saves it",
            suggester=TagSuggester(vocab),
            **kwargs,  # type: ignore[arg-type]
        )
        self.vocab = vocab
        self.cursor_blink = cursor_blink

    async def _on_key(self, event: events.Key) -> None:
        # Enter is handled here, in the input's own queue, not as a binding: a binding runs
        # when the key has bubbled up to the App, after keys typed later may already have
        # reached the input, and a fast typist's next note would join this one.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)

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

    DEFAULT_CSS = """
    NoteHint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def show_for(self, text: str, cursor: int, vocab: Vocabulary) -> None:
        found = complete(text, cursor, vocab)
        if found is not None:
            if found.candidates:
                shown = "  ".join(c.label for c in found.candidates)
                self.update(f"→ {_escape(shown)}")
            else:
                kind = "criterion" if found.sigil == "#" else "facilitator"
                self.update(f"no {kind} starts with {_escape(found.sigil + found.prefix)}")
            return
        warning = parse(text, vocab).warning() if text else ""
        self.update(f"[i]{_escape(warning)}: kept as plain text[/i]" if warning else HINT)


def _escape(text: str) -> str:
    return text.replace("[", r"\[")
