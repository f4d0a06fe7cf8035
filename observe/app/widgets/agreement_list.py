"""The compare screen's list: one row per criterion and facilitator, every observer's rating
side by side and the agreed one after the arrow. It is the criteria list with other rows:
the same rating keys (digits, 0 not observed, Backspace, u) and their help."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.widgets.option_list import Option

from observe.app.plain import plain
from observe.app.widgets.criteria import CriteriaList, level_mark
from observe.core.calibration import Line, Outcome
from observe.core.models import Framework, Mode, Person

DIFFERS = "≠"
SAME = "="
OPEN = "?"


def outcome_mark(outcome: Outcome | None) -> str:
    if outcome is None:
        return OPEN
    if not outcome.agreed:
        return "differ"
    return level_mark(outcome.level, True)


class AgreementList(CriteriaList):
    """Rows are lines (observe.core.calibration.Line), keyed "facilitator/criterion"."""

    def __init__(
        self,
        framework: Framework,
        mode: Mode,
        facilitators: list[Person],
        lines: list[Line],
        id: str | None = None,
    ) -> None:
        super().__init__(framework, mode, facilitators, [], id=id)
        self.lines = {self.key(line): line for line in lines}
        self.outcomes: dict[str, Outcome] = {
            k: line.outcome for k, line in self.lines.items() if line.outcome is not None
        }

    @staticmethod
    def key(line: Line) -> str:
        return f"{line.facilitator.id}/{line.criterion.id}"

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the criteria list's own rows are not wanted here
        self.set_options([Option(self._row(line), id=k) for k, line in self.lines.items()])
        self.highlighted = 0 if self.lines else None

    def _row(self, line: Line) -> Table:
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(width=4, no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        if len(self.facilitators) > 1:
            grid.add_column(width=8, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right")
        levels = Text(" · ".join(level_mark(s.level, s.rated) for s in line.seen), style="bold")
        outcome = self.outcomes.get(self.key(line))
        levels.append(f"  → {outcome_mark(outcome):>6}", style="bold" if outcome else "dim")
        cells = [
            Text(DIFFERS if line.differs else SAME, style="bold" if line.differs else "dim"),
            plain(line.criterion.id),
            plain(line.criterion.title),
        ]
        if len(self.facilitators) > 1:
            cells.append(plain(line.facilitator.name.split()[0]))
        grid.add_row(*cells, levels)
        return grid

    @property
    def current_line(self) -> Line | None:
        option = self.highlighted_option
        return self.lines.get(option.id) if option is not None and option.id else None

    def action_rate(self, key: int) -> None:
        # As the criteria list's, with the row's key ("facilitator/criterion") as criterion.
        if (line := self.current_line) is not None:
            self.post_message(self.Rate(self.key(line), key))

    def action_clear(self) -> None:
        if (line := self.current_line) is not None:
            self.post_message(self.Clear(self.key(line)))

    def settle(self, key: str, outcome: Outcome | None) -> None:
        if outcome is None:
            self.outcomes.pop(key, None)
        else:
            self.outcomes[key] = outcome
        self.replace_option_prompt(key, self._row(self.lines[key]))
