"""Frameworks: the criteria/ files, each previewed, and those that do not validate with why."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from observe.app.screens.base import ObserveScreen
from observe.core.frameworks import Catalog, load_all
from observe.core.models import Framework


def preview(framework: Framework, path: Path | None = None) -> str:
    """The framework as Rich markup: scale, then each domain's criteria and look-fors."""
    out = [f"[b]{escape(framework.title)}[/b]  [dim]{framework.id} v{escape(framework.version)}"]
    if path is not None:
        out[-1] += f" · {escape(path.name)}"
    out[-1] += "[/dim]"
    if framework.description:
        out += ["", escape(framework.description)]
    out += ["", "[b]Scale[/b]"]
    for level in framework.scale.levels:
        line = f"  {level.value} [b]{escape(level.label)}[/b]"
        if level.descriptor:
            line += f": {escape(level.descriptor)}"
        out.append(line)
    if framework.scale.not_observed:
        out.append("  0 [b]Not observed[/b]: allowed")
    for domain in framework.domains:
        out += ["", f"[b reverse] {escape(domain.id)} [/] [b]{escape(domain.title)}[/b]"]
        if domain.description:
            out.append(f"[dim]{escape(domain.description)}[/dim]")
        for criterion in domain.criteria:
            modes = ""
            if criterion.modes is not None:
                modes = " [i](" + ", ".join(m.label for m in criterion.modes) + " only)[/i]"
            out.append(f"  [b]{escape(criterion.id)}[/b] {escape(criterion.title)}{modes}")
            if criterion.prompt:
                out.append(f"     [i]{escape(criterion.prompt)}[/i]")
            for look_for in criterion.look_fors:
                out.append(f"     • {escape(look_for)}")
    return "\n".join(out)


class FrameworksScreen(ObserveScreen[None]):
    HELP_TITLE = "Frameworks"
    HELP = (
        "The frameworks of criteria in this workspace's criteria/ folder. Highlight one to"
        " preview it; a file that does not validate is listed with the file, line and field"
        " at fault. Edit the TOML files in any text editor, then reload (r). Sessions keep the"
        " framework they started with."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="frameworks.back", tooltip="Back to home"),
        Binding("r", "reload", "Reload", id="frameworks.reload", tooltip="Read criteria/ again"),
        Binding(
            "tab",
            "switch",
            "List/preview",
            id="frameworks.switch",
            tooltip="Move between the list and the preview (to scroll it)",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalog = Catalog()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="frameworks-body"):
            yield OptionList(id="frameworks-list", compact=True)
            with VerticalScroll(id="frameworks-preview", can_focus=True):
                yield Static("", id="frameworks-text", markup=True)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.catalog = load_all(self.observe_app.workspace.criteria_dir)
        options = self.query_one("#frameworks-list", OptionList)
        options.clear_options()
        for fid, framework in self.catalog.frameworks.items():
            options.add_option(Option(f"{framework.title}\n  [dim]{fid}[/dim]", id=f"ok:{fid}"))
        for path in self.catalog.errors:
            options.add_option(Option(f"[b $warning]⚠ {escape(path.name)}[/]", id=f"bad:{path}"))
        if options.option_count:
            options.highlighted = 0
            self._show(options.get_option_at_index(0).id)
        else:
            self.query_one("#frameworks-text", Static).update(
                "No framework files in criteria/. Copy one in, or start observe with a fresh"
                " workspace to get the default."
            )
        options.focus()

    @on(OptionList.OptionHighlighted, "#frameworks-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option.id)

    def _show(self, option_id: str | None) -> None:
        text = self.query_one("#frameworks-text", Static)
        if option_id is None:
            return
        kind, _, key = option_id.partition(":")
        if kind == "ok":
            text.update(preview(self.catalog.frameworks[key], self.catalog.paths.get(key)))
        else:
            path = Path(key)
            text.update(
                f"[b $warning]⚠ {escape(path.name)} does not validate[/]\n\n"
                f"{escape(self.catalog.errors[path])}\n\n"
                "[dim]The file is left as it is. Fix it in a text editor, then press r;"
                " `observe criteria check FILE` gives the same message.[/dim]"
            )
        self.query_one("#frameworks-preview", VerticalScroll).scroll_home(animate=False)

    def action_switch(self) -> None:
        if self.focused is self.query_one("#frameworks-list"):
            self.query_one("#frameworks-preview").focus()
        else:
            self.query_one("#frameworks-list").focus()

    def action_back(self) -> None:
        self.dismiss()
