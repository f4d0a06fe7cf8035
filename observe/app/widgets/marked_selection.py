"""A SelectionList whose ticked and unticked options differ by a mark, not by colour alone.

Textual draws the same "X" in every option's box and tells ticked from unticked by colour;
here a ticked box shows ✓ and an unticked one is empty, which reads in any theme and to
anyone who cannot tell the colours apart.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist

ValueT = TypeVar("ValueT")

TICKED, UNTICKED = "✓", " "


class MarkedSelectionList(SelectionList[ValueT], Generic[ValueT]):
    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        if len(segments) < 2:
            return line
        inner = segments[1]  # after the box's left side: the box's inside
        mark = TICKED if option.value in self.selected else UNTICKED
        segments[1] = Segment(mark, inner.style, inner.control)
        return Strip(segments, line.cell_length)
