"""Small modal dialogs shared by the screens."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static

from observe.app.plain import plain, shown
from observe.core.models import Person
from observe.services.sharing import MEANING


class ResumeDialog(ModalScreen[bool]):
    """Offer to resume a session whose editor stopped without closing it (a crash, a kill)."""

    HELP_TITLE = "Resume an interrupted observation"
    HELP = "An observation was not closed cleanly last time. Its notes are safe on disk."
    BINDINGS = [
        Binding("r", "resume", "Resume", id="resume.resume", tooltip="Open it where you left off"),
        Binding(
            "escape,l",
            "later",
            "Later",
            id="resume.later",
            tooltip="Not now; it stays in the list and is not offered again until next start",
        ),
    ]

    def __init__(self, description: str, more: int = 0) -> None:
        super().__init__()
        self.description = description
        self.more = more

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-panel", classes="dialog"):
            yield Static("[b]Pick up where you left off?[/b]", classes="dialog-title")
            yield Static(
                "This observation was interrupted before it was closed. "
                "Everything written was kept.",
                classes="dialog-text",
            )
            yield Static(shown(self.description), id="resume-what", markup=False)
            if self.more:
                others = "another" if self.more == 1 else f"{self.more} others"
                yield Static(
                    f"({others} interrupted too: open from the list when you are ready)",
                    classes="dialog-text",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Later", id="later")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "resume")

    def action_resume(self) -> None:
        self.dismiss(True)

    def action_later(self) -> None:
        self.dismiss(False)


class ChooseFacilitator(ModalScreen[int | None]):
    """Co-delivered sessions: whose feedback is this? Escape chooses nobody."""

    HELP_TITLE = "Whose feedback is this?"
    HELP = "Pick a facilitator with the arrows and Enter. Escape goes back and changes nothing."
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="choose.cancel",
            tooltip="Go back without opening anyone's feedback; nothing changes",
        )
    ]

    def __init__(self, people: list[Person]) -> None:
        super().__init__()
        self.people = people

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-box"):
            yield Static("[b]Whose feedback is this?[/b]\nThe session was co-delivered.")
            yield OptionList(*[plain(p.name) for p in self.people], id="choose-list")
            yield Static("Enter opens their feedback   Esc back", classes="dialog-text")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmShare(ModalScreen[bool]):
    """Sharing is deliberate: say what it means and ask before a session becomes shared."""

    HELP_TITLE = "Share with the facilitators"
    HELP = f"Sharing: {MEANING}. Exporting a PDF or reading the review never shares."
    BINDINGS = [
        Binding("y", "answer(True)", "Share", id="share.yes", tooltip="Share it now"),
        Binding(
            "escape,n",
            "answer(False)",
            "Not now",
            id="share.no",
            tooltip="Go back; the session stays completed",
        ),
    ]

    def __init__(self, names: list[str], what: str) -> None:
        super().__init__()
        self.names = names
        self.what = what

    def compose(self) -> ComposeResult:
        who = " and ".join(self.names) if len(self.names) < 3 else ", ".join(self.names)
        with Vertical(id="share-panel", classes="dialog"):
            yield Static(plain(f"Share with {who}?", style="bold"), classes="dialog-title")
            yield Static(plain(self.what), id="share-what")
            yield Static(f"Sharing means {MEANING}.", classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Share (y)", id="share-yes", variant="primary")
                yield Button("Not now (n, Esc)", id="share-no")

    def on_mount(self) -> None:
        # Sharing cannot be taken back (the observer can no longer reopen the session): an
        # Enter pressed on autopilot must not do it. y, or Tab to the button, shares.
        self.query_one("#share-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "share-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmDeclined(ModalScreen[bool]):
    """Observing after the facilitators said no is a decision, asked for and then recorded."""

    HELP_TITLE = "Consent declined"
    HELP = "The facilitators declined to be observed. Start only if that is agreed otherwise."
    BINDINGS = [
        Binding("y", "answer(True)", "Start", id="declined.yes", tooltip="Start observing"),
        Binding(
            "escape,n",
            "answer(False)",
            "Back",
            id="declined.no",
            tooltip="Back to the form; nothing is saved",
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="declined-panel", classes="dialog"):
            yield Static("Consent declined: observe anyway?", classes="dialog-title")
            yield Static(
                "You recorded that the facilitators declined to be observed. If you start,"
                " the live screen and the feedback say consent was declined.",
                classes="dialog-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start anyway (y)", id="declined-yes", variant="warning")
                yield Button("Back (n, Esc)", id="declined-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#declined-no", Button).focus()  # Enter alone goes back

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "declined-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
