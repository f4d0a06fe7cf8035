"""The framework's criteria by domain, each row showing its rating for every facilitator."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from observe.app.plain import one_line, plain, shown
from observe.core.models import Criterion, Framework, Mode, Person, Scale

UNRATED = "–"
NOT_OBSERVED = "○"


def level_mark(level: int | None, rated: bool) -> str:
    if not rated:
        return UNRATED
    return NOT_OBSERVED if level is None else str(level)


class CriteriaList(OptionList):
    """Arrows or j/k move; digits rate the highlighted criterion for the selected facilitator."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="criteria.down"),
        Binding("k", "cursor_up", "Up", show=False, id="criteria.up"),
        *[
            Binding(str(n), f"rate({n})", f"Rate {n}", show=False, id=f"criteria.rate{n}")
            for n in range(1, 10)
        ],
        Binding("0", "rate(0)", "Not observed", show=False, id="criteria.not_observed"),
        Binding("f", "next_facilitator", "Next facilitator", show=False, id="criteria.next"),
        Binding("backspace,delete", "clear", "Clear the rating", show=False, id="criteria.clear"),
        Binding("u,ctrl+z", "undo", "Undo the last rating", show=False, id="criteria.undo"),
    ]

    @dataclass
    class Rate(Message):
        criterion: str
        key: int  # 0: not observed

    @dataclass
    class NextFacilitator(Message):
        pass

    @dataclass
    class Clear(Message):
        criterion: str

    @dataclass
    class Undo(Message):
        pass

    def __init__(
        self,
        framework: Framework,
        mode: Mode,
        facilitators: list[Person],
        focus: list[str],
        ratings: dict[tuple[str, str], int | None] | None = None,
        selected: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.framework = framework
        self.facilitators = facilitators
        self.focus_ids = {f.upper() for f in focus}
        self.selected = selected  # index of the facilitator being rated
        # (facilitator, criterion) -> level; given up front so the rows are built once
        self.ratings: dict[tuple[str, str], int | None] = dict(ratings or {})
        self.criteria: dict[str, Criterion] = {c.id: c for _, c in framework.criteria(mode)}
        self._mode = mode

    def on_mount(self) -> None:
        options: list[Option] = []
        for domain in self.framework.domains:
            rows = [c for c in domain.criteria if c.applies_to(self._mode)]
            if not rows:
                continue
            options.append(Option(_one_line(plain(domain.title, "bold")), disabled=True))
            options += [Option(self._prompt(c), id=c.id) for c in rows]
        self.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.highlighted = first

    def _prompt(self, criterion: Criterion) -> Table:
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(width=3, no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right")
        mark = "★" if criterion.id.upper() in self.focus_ids else " "
        marks = Text()
        for i, person in enumerate(self.facilitators):
            if i:
                marks.append(" · ", style="dim")
            key = (person.id, criterion.id)
            shown = level_mark(self.ratings.get(key), key in self.ratings)
            marks.append(
                shown,
                style="bold reverse"
                if i == self.selected and len(self.facilitators) > 1
                else "bold",
            )
        grid.add_row(plain(mark + criterion.id), plain(criterion.title), marks)
        return grid

    def set_ratings(self, ratings: dict[tuple[str, str], int | None]) -> None:
        self.ratings = dict(ratings)
        for criterion in self.criteria.values():
            self.replace_option_prompt(criterion.id, self._prompt(criterion))

    def set_rating(self, facilitator: str, criterion: str, level: int | None) -> None:
        self.ratings[(facilitator, criterion)] = level
        self._redraw(criterion)

    def clear_rating(self, facilitator: str, criterion: str) -> None:
        self.ratings.pop((facilitator, criterion), None)
        self._redraw(criterion)

    def _redraw(self, criterion: str) -> None:
        if criterion in self.criteria:
            self.replace_option_prompt(criterion, self._prompt(self.criteria[criterion]))

    def select_facilitator(self, index: int) -> None:
        self.selected = index % len(self.facilitators)
        self.set_ratings(self.ratings)

    @property
    def current(self) -> Criterion | None:
        option = self.highlighted_option
        return self.criteria.get(option.id) if option is not None and option.id else None

    def action_rate(self, key: int) -> None:
        if self.current is not None:
            self.post_message(self.Rate(self.current.id, key))

    def action_next_facilitator(self) -> None:
        self.post_message(self.NextFacilitator())

    def action_clear(self) -> None:
        if self.current is not None:
            self.post_message(self.Clear(self.current.id))

    def action_undo(self) -> None:
        self.post_message(self.Undo())

    def help_rows(self, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """F1: one line for the rating keys of this framework's scale, not a line per digit."""
        rating = {f"Rate {n}" for n in range(1, 10)} | {"Not observed"}
        rest = [row for row in rows if row[1] not in rating]
        scale = self.framework.scale
        if not scale.values:
            return rest
        keys = f"{scale.values[0]}-{scale.values[-1]}"
        text = f"Rate the highlighted criterion {keys}"
        if scale.not_observed:
            keys += ", 0"
            text += "; 0 not observed"
        return [(keys, text), *rest]


def _one_line(text: Text) -> Table:
    # A grid cell is the one place a Rich prompt reliably truncates instead of wrapping.
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_row(text)
    return grid


def level_lines(criterion: Criterion, scale: Scale, *, indent: str = "", words: str = "") -> Text:
    """A line per level of ``scale``: its number and label, then what it looks like for
    ``criterion`` (the criterion's own descriptor, else the scale's), styled ``words``."""
    out = Text()
    for level in scale.levels:
        descriptor = criterion.descriptors.get(level.value) or level.descriptor
        out.append(f"{indent}{level.value} {one_line(level.label)}: ", style="bold")
        out.append(f"{shown(descriptor)}\n", style=words)
    return out


class CriterionDetails(VerticalScroll, can_focus=False):
    """The highlighted criterion's prompt, look-fors and level descriptors; taller than the
    room at 80x24, so it scrolls (the screen's keys scroll it: it never takes the focus)."""

    def compose(self) -> ComposeResult:
        yield Static(id="details-text")

    def update(self, content: Text | str) -> None:
        self.query_one("#details-text", Static).update(content)

    def show(self, criterion: Criterion | None, framework: Framework) -> None:
        if criterion is None:
            self.update("")
            return
        out = Text()
        out.append(one_line(f"{criterion.id} {criterion.title}") + "\n", style="bold")
        if criterion.prompt:
            out.append(shown(criterion.prompt) + "\n", style="italic")
        if criterion.look_fors:
            out.append("\nLook for\n", style="bold")
            for item in criterion.look_fors:
                out.append(f" • {shown(item)}\n")
        if framework.scale.levels:
            out.append("\nLevels\n", style="bold")
            out.append_text(level_lines(criterion, framework.scale, indent=" "))
            if framework.scale.not_observed:
                out.append(" 0 not observed this time\n", style="bold")
        self.update(out)
        self.scroll_home(animate=False)  # a new criterion's details start at the top
