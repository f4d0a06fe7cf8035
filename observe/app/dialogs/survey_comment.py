"""The survey's dialogs: a comment on a principle, and the question before submitting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from observe.app.plain import plain
from observe.app.screens.base import ObserveModal
from observe.core.survey import MAX_COMMENT_BYTES, comment_size


class CommentDialog(ObserveModal["str | None"]):
    HELP_TITLE = "Comment"
    HELP = (
        "An optional comment on this principle, in your own words. Leads read comments in a"
        " random order, apart from the answers to the statements; what you write may still"
        " identify you. ctrl+s keeps it; Escape leaves it as it was."
    )
    BINDINGS = [
        Binding(
            "ctrl+s",
            "keep",
            "Keep",
            id="survey_comment.keep",
            tooltip="Keep this comment (an empty one removes it)",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="survey_comment.cancel",
            tooltip="Leave the comment as it was",
        ),
    ]

    def __init__(self, principle: str, text: str) -> None:
        super().__init__()
        self.principle = principle
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="survey-comment-box"):
            yield Static(plain(f"Comment on: {self.principle}", "bold"))
            yield Static(
                "Optional. It may identify you: leave out names, places and dates."
                " ctrl+s keeps it, Esc cancels.",
                markup=False,
            )
            yield TextArea(self.text, id="survey-comment-text", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_keep(self) -> None:
        text = self.query_one(TextArea).text
        if comment_size(text) > MAX_COMMENT_BYTES:
            self.notify(
                f"A comment is at most {MAX_COMMENT_BYTES} bytes; shorten it.", severity="warning"
            )
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmSubmit(ObserveModal["bool | None"]):
    HELP_TITLE = "Submit"
    HELP = "Send the answer. Once sent it cannot be changed, since nothing links it to you."
    BINDINGS = [
        Binding("y,enter", "yes", "Send", id="survey_submit.yes", tooltip="Send the answer now"),
        Binding(
            "n,escape",
            "no",
            "Not yet",
            id="survey_submit.no",
            tooltip="Back to the answer; nothing is sent",
        ),
    ]

    def __init__(self, missing: int) -> None:
        super().__init__()
        self.missing = missing

    def compose(self) -> ComposeResult:
        left = (
            f"{self.missing} statement(s) are not answered; they count as not answered.\n"
            if self.missing
            else ""
        )
        with Vertical(id="survey-submit-box"):
            yield Static("Send your answer?", markup=False, classes="title")
            yield Static(
                left + "Once sent it cannot be changed or withdrawn: nothing links it to you."
                " This machine keeps only that you answered.\n\ny or Enter sends · n or Esc"
                " goes back",
                markup=False,
            )

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
