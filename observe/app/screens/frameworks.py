"""Frameworks: the criteria/ files, each previewed, and those that do not validate with why."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from observe.app.plain import styled
from observe.app.screens.base import ObserveScreen
from observe.core.frameworks import Catalog, load_all
from observe.core.models import Framework


def preview(framework: Framework, path: Path | None = None) -> Content:
    """The framework as written (its text never read as markup): scale, then each domain's
    criteria and look-fors."""
    where = f" · {path.name}" if path is not None else ""
    parts: list[str | tuple[str, str]] = [
        (framework.title, "bold"),
        "  ",
        (f"{framework.id} v{framework.version}{where}", "dim"),
    ]
    if framework.description:
        parts += ["\n\n", framework.description]
    parts += ["\n\n", ("Scale", "bold")]
    for level in framework.scale.levels:
        parts += [f"\n  {level.value} ", (level.label, "bold")]
        if level.descriptor:
            parts.append(f": {level.descriptor}")
    if framework.scale.not_observed:
        parts += ["\n  0 ", ("Not observed", "bold"), ": allowed"]
    for domain in framework.domains:
        parts += ["\n\n", (f" {domain.id} ", "bold reverse"), " ", (domain.title, "bold")]
        if domain.description:
            parts += ["\n", (domain.description, "dim")]
        for criterion in domain.criteria:
            parts += ["\n  ", (criterion.id, "bold"), " ", criterion.title]
            if criterion.modes is not None:
                only = ", ".join(m.label for m in criterion.modes)
                parts += [" ", (f"({only} only)", "italic")]
            if criterion.prompt:
                parts += ["\n     ", (criterion.prompt, "italic")]
            for look_for in criterion.look_fors:
                parts.append(f"\n     • {look_for}")
    return styled(*parts)


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
            prompt = styled(framework.title, "\n  ", (fid, "dim"))
            options.add_option(Option(prompt, id=f"ok:{fid}"))
        for path in self.catalog.errors:
            options.add_option(Option(styled((f"⚠ {path.name}", "b $warning")), id=f"bad:{path}"))
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
                styled(
                    (f"⚠ {path.name} does not validate", "b $warning"),
                    f"\n\n{self.catalog.errors[path]}\n\n",
                    (
                        "The file is left as it is. Fix it in a text editor, then press r;"
                        " `observe criteria check FILE` gives the same message.",
                        "dim",
                    ),
                )
            )
        self.query_one("#frameworks-preview", VerticalScroll).scroll_home(animate=False)

    def action_switch(self) -> None:
        if self.focused is self.query_one("#frameworks-list"):
            self.query_one("#frameworks-preview").focus()
        else:
            self.query_one("#frameworks-list").focus()

    def action_back(self) -> None:
        self.dismiss()
