"""The Textual App: thin. Screens, global bindings, and the one place worker failures land."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from observe.app.durable import DurableApp
from observe.app.keys import action_state, declared_bindings
from observe.app.options import AppOptions
from observe.app.textual_compat import COMPAT_CSS
from observe.app.workers import failure_text
from observe.core.untrusted import escape_controls

if TYPE_CHECKING:  # a type only: services.opening brings pydantic, kept off start-up
    from observe.services.opening import Workspace

# A failure stays on screen until dismissed (a click) or for an hour: it must not slip by.
FAILURE_NOTICE_S = 3600.0


class ObserveApp(DurableApp, App[None]):
    CSS_PATH = Path(__file__).with_name("observe.tcss")
    CSS = COMPAT_CSS  # the rules aimed at Textual's own widgets' inner classes
    TITLE = "observe"
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Save everything and quit, from anywhere",
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="The keys of the screen you are on"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.palette",
            show=False,
            priority=True,
            tooltip="Search the actions that make sense on this screen",
        ),
        # Priority, so focus moves before the keys that follow are delivered: typed fast or
        # sent in one burst ("Asha<Tab>Jo"), the text after a Tab lands in the next field.
        Binding(
            "tab",
            "focus_next",
            "Next",
            id="app.focus_next",
            show=False,
            priority=True,
            tooltip="Move to the next part of the screen",
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous",
            id="app.focus_previous",
            show=False,
            priority=True,
            tooltip="Move to the previous part of the screen",
        ),
    ]

    def __init__(self, workspace: Workspace, options: AppOptions | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.options = options or AppOptions()
        self.sub_title = escape_controls(str(workspace.root))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is plain text: messages carry names, titles and file names (user text),
        which are never read as markup; control characters show as escapes."""
        from observe.app.plain import shown

        super().notify(
            shown(message), title=shown(title), severity=severity, timeout=timeout, markup=False
        )

    def get_default_screen(self) -> Screen[Any]:
        # Home is the bottom of the stack, so the first frame drawn is already home's.
        from observe.app.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        # Flush-before-exit guards, then `observe new` / `observe open` go straight in.
        self.install_exit_guards()
        self.open_requested(self.options)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A widget that takes Tab itself (the note input: a completion first) gets it in its
        # own queue, in order with the keys typed before and after it.
        if action == "focus_next" and getattr(self.focused, "TAKES_TAB", False):
            return False
        return super().check_action(action, parameters)

    def action_help(self) -> None:
        from observe.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette (ctrl+p): the current screen's own keys first, then Textual's."""
        yield from binding_commands(self, screen)
        yield from super().get_system_commands(screen)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every background task's failure is reported here, once, in words; the app stays up.

        Screens pass their workers' messages here (see observe.app.workers)."""
        if event.state is WorkerState.ERROR:
            self.notify(
                failure_text(event.worker),
                title="Something went wrong",
                severity="error",
                timeout=FAILURE_NOTICE_S,
                markup=False,  # an error's text may hold anything, brackets included
            )


def binding_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """A screen's own keys as palette commands: the key's label, its line of help, its key.

    Keys the screen hides where they do not apply (``check_action`` answers False) are left
    out here too.
    """
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for binding in declared_bindings(screen, own_only=True):
        action = binding.action
        if not binding.description or action_state(screen, action) is False:
            continue
        first.setdefault(action, binding)
        keys.setdefault(action, []).append(app.get_key_display(binding))
    for action, binding in first.items():
        yield SystemCommand(
            binding.description,
            f"{binding.tooltip or binding.description} ({', '.join(keys[action])})",
            partial(app.call_later, app.run_action, action, screen),
        )


def make_app(workspace: Workspace, **options: Any) -> ObserveApp:
    """The one factory for the command line and the tests (``options``: ``AppOptions``'s)."""
    return ObserveApp(workspace, AppOptions(**options))
