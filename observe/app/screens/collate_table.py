"""Tables that fit the terminal: numbers always whole, text columns share what is left.

Numeric columns (counts, means, codes) get their full width first; text columns (a criterion's
title, a partner's name) share the remaining width and end in "…" when cut. When even the
numbers do not fit, the table scrolls sideways rather than cutting one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import DataTable

from observe.app.plain import one_line
from observe.core.shorten import shorten

MIN_TEXT = 4  # a text column is never narrower than this ("Ab…")


@dataclass
class Column:
    label: str
    cells: list[str] = field(default_factory=list)
    numeric: bool = False  # never cut; right-aligned
    right: bool | None = None  # alignment, when it differs from ``numeric``

    @property
    def natural(self) -> int:
        return max([len(self.label), *(len(c) for c in self.cells)])


def fit_widths(columns: Sequence[Column], available: int, padding: int = 2) -> list[int]:
    """Content widths for ``columns`` in ``available`` cells (``padding`` per column)."""
    widths = [c.natural for c in columns]
    fixed = sum(w for w, c in zip(widths, columns, strict=True) if c.numeric)
    room = available - fixed - padding * len(columns)
    pending = sorted((i for i, c in enumerate(columns) if not c.numeric), key=widths.__getitem__)
    while pending:  # the narrowest text columns take what they need; the rest share evenly
        share = room // len(pending)
        if widths[pending[0]] <= share:
            room -= widths[pending.pop(0)]
            continue
        for n, i in enumerate(pending):
            extra = 1 if n < room - share * len(pending) else 0
            widths[i] = max(MIN_TEXT, min(widths[i], share + extra))
        break
    return widths


def fill(table: DataTable, columns: Sequence[Column], available: int) -> None:
    """Replace ``table``'s columns and rows with ``columns``, fitted to ``available`` cells."""
    widths = fit_widths(columns, available, 2 * table.cell_padding)
    table.clear(columns=True)
    for c, w in zip(columns, widths, strict=True):
        right = c.numeric if c.right is None else c.right
        table.add_column(Text(one_line(c.label), justify="right" if right else "left"), width=w)
    rows = max((len(c.cells) for c in columns), default=0)
    for i in range(rows):
        cells = []
        for c, w in zip(columns, widths, strict=True):
            value = one_line(c.cells[i]) if i < len(c.cells) else ""  # user text: shown as is
            right = c.numeric if c.right is None else c.right
            cells.append(
                Text(
                    value if c.numeric else shorten(value, w), justify="right" if right else "left"
                )
            )
        table.add_row(*cells)
