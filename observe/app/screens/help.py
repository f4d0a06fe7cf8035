"""F1: the keys of the screen you came from, each with a line on what it does.

Order: the screen's own keys, then those of the widget that has the focus (its plain cursor and
editing keys summed up in one line), then the keys that work everywhere.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from observe.app.keys import action_state, declared_bindings

# Movement and editing keys every list or text box has: one summary line instead of twenty.
NOISE_PREFIXES = ("cursor_", "scroll_", "page_", "delete_", "select_", "scroll", "move_")
NOISE_ACTIONS = {
    "backspace",
    "delete",
    "home",
    "end",
    "first",
    "last",
    "cut",
    "copy",
    "paste",
    "undo",
    "redo",
    "focus_next",
    "focus_previous",
    "submit",
}
NOISE_SUMMARY = {
    "Input": "Usual text editing keys: arrows, Home/End, Backspace/Delete, ctrl+w deletes a word.",
    "TextArea": "Usual text editing keys: arrows, Home/End, ctrl+z undo, ctrl+y redo.",
}
DEFAULT_SUMMARY = "Arrows, Page Up/Down and Home/End move through it."


def _noise(action: str) -> bool:
    name = action.partition("(")[0]
    return name in NOISE_ACTIONS or name.startswith(NOISE_PREFIXES)


def _text(binding: Binding) -> str:
    """A line on what the key does: the binding's tooltip, else its label."""
    return binding.tooltip or binding.description or binding.action.replace("_", " ")


def node_bindings(
    node: DOMNode, screen: Screen, keep_noise: bool = True, own_only: bool = False
) -> tuple[list[tuple[str, str]], bool]:
    """(keys, description) for each action bound on ``node``, and whether noise was left out."""
    grouped: dict[str, tuple[list[str], str]] = {}
    noisy = False
    for binding in declared_bindings(node, own_only=own_only):
        action = binding.action
        if binding.system or action_state(node, action) is False:
            continue
        if not keep_noise and _noise(action):
            noisy = True
            continue
        display = screen.app.get_key_display(binding)
        if action in grouped:
            if display not in grouped[action][0]:
                grouped[action][0].append(display)
        else:
            grouped[action] = ([display], _text(binding))
    return [(", ".join(keys), text) for keys, text in grouped.values()], noisy


KINDS = {
    "DataTable": "table",
    "Input": "text box",
    "TextArea": "text area",
    "OptionList": "list",
    "SelectionList": "list",
    "Select": "drop-down",
    "SelectOverlay": "drop-down",
    "Checkbox": "checkbox",
    "Button": "button",
    "Tree": "tree",
}


def widget_name(widget: DOMNode) -> str:
    """ "sessions table", "filter text box": the focused widget as a person would call it."""
    named = getattr(widget, "HELP_NAME", None)
    if named:
        return str(named)
    kind = next((KINDS[c.__name__] for c in type(widget).__mro__ if c.__name__ in KINDS), "")
    name = (widget.id or "").replace("-", " ").replace("_", " ")
    return " ".join(p for p in (name, kind) if p) or type(widget).__name__


def help_sections(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help page's sections: (heading, [(keys, description)])."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    rows, _ = node_bindings(screen, screen, own_only=True)
    if rows:
        sections.append(("Keys on this screen", rows))
    focused = screen.focused
    if focused is not None:
        rows = []
        summaries: list[str] = []
        for node in focused.ancestors_with_self:
            if node is screen or node is screen.app:
                break
            found, noisy = node_bindings(node, screen, keep_noise=False)
            tidy = getattr(node, "help_rows", None)
            if callable(tidy):  # a widget that sums up its own keys (the rating digits)
                found = tidy(found)
            rows += found
            if noisy and node is focused:  # a scrolling container's keys are not news
                name = next(
                    (c.__name__ for c in type(node).__mro__ if c.__name__ in NOISE_SUMMARY), ""
                )
                summary = NOISE_SUMMARY.get(name, DEFAULT_SUMMARY)
                if summary not in summaries:
                    summaries.append(summary)
        rows += [("", s) for s in summaries]
        if rows:
            sections.append((f"In the {widget_name(focused)}", rows))
    rows, _ = node_bindings(screen.app, screen, own_only=True)
    # The app binds tab and shift+tab itself (see ObserveApp); one line says both.
    rows = [r for r in rows if not r[0].startswith(("tab", "shift+tab"))]
    rows.append(("tab, shift+tab", "Move between the parts of the screen"))
    sections.append(("Everywhere", rows))
    return sections


def render_help(screen: Screen) -> Group:
    """The help page: title, the screen's intro, then a key table per section."""
    title = getattr(screen, "HELP_TITLE", None) or type(screen).__name__
    intro = (getattr(screen, "HELP", "") or "").strip()
    parts: list[RenderableType] = [Text(title, style="bold")]
    if intro:
        parts += [Text(""), Text(intro)]
    for heading, rows in help_sections(screen):
        parts += [Text(""), Text(heading, style=f"bold {_accent(screen)}")]
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, min_width=12, style="bold")
        table.add_column(ratio=1)
        for keys, text in rows:
            table.add_row(keys, text)
        parts.append(Padding(table, (0, 0, 0, 2)))
    parts += [
        Text(""),
        Text("ctrl+p searches these actions. Escape or F1 closes this help.", style="dim"),
    ]
    return Group(*parts)


def help_text(screen: Screen) -> str:
    """The same page as plain text (for tests and for reading in a log)."""
    lines = [getattr(screen, "HELP_TITLE", None) or type(screen).__name__]
    for heading, rows in help_sections(screen):
        lines.append(heading)
        lines += [f"  {keys:<14} {text}" for keys, text in rows]
    return "\n".join(lines)


def _accent(screen: Screen) -> str:
    return screen.app.theme_variables.get("accent", "cyan")


class HelpScreen(ModalScreen[None]):
    HELP_TITLE = "Help"
    BINDINGS = [
        Binding(
            "escape,f1,q",
            "dismiss",
            "Close help",
            id="help.close",
            tooltip="Back to the screen you came from",
        ),
    ]

    def __init__(self, origin: Screen) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel"):
            yield Static(render_help(self.origin), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-panel").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
