"""F1: the bindings of the screen you came from, each with a line on what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def describe_bindings(screen: Screen) -> list[tuple[str, str]]:
    """(key, description) for every binding active on ``screen`` and its focused widget."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for _, binding, enabled, tooltip in screen.active_bindings.values():
        if not enabled or binding.key in seen:
            continue
        seen.add(binding.key)
        keys = screen.app.get_key_display(binding)
        rows.append((keys, tooltip or binding.tooltip or binding.description or binding.action))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, origin: Screen) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        title = getattr(self.origin, "HELP_TITLE", None) or type(self.origin).__name__
        intro = getattr(self.origin, "HELP", "") or ""
        lines = [f"[b]{title}[/b]", ""]
        if intro:
            lines += [intro.strip(), ""]
        for key, text in describe_bindings(self.origin):
            lines.append(f"  [b]{key:<14}[/b] {text}")
        lines += ["", "[dim]Escape closes this help.[/dim]"]
        with VerticalScroll(id="help-panel"):
            yield Static("\n".join(lines), markup=True)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
