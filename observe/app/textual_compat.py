"""Every use of Textual beyond its public API, in one place, each with its reason.

Textual is pinned to a compatible range; tests/test_textual_compat.py fails when an upgrade
changes what one of these relies on. ``PRIVATE_NAMES`` lists the private Textual names used
here: tests/test_textual_compat.py checks no other module of observe uses them.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable, Input

__all__ = ["COMPAT_CSS", "PRIVATE_NAMES", "FixedColumnsDataTable", "QuickInput"]

# The private Textual names this module touches (without the leading underscore's owner).
PRIVATE_NAMES = ("_update_dimensions", "_suggestion")

# A compact footer gives every key a right margin, the docked palette key too; that column
# then shows the keys scrolled beneath it as a stray letter at the screen's edge. The
# palette key is told apart only by the class Textual's Footer gives it.
COMPAT_CSS = """
Footer.-compact FooterKey.-command-palette {
    margin-right: 0;
    padding-right: 1;
}
"""


class FixedColumnsDataTable(DataTable[Any]):
    """A DataTable whose column widths are all given when the columns are added.

    DataTable measures every new cell to size its auto-width columns: a second and more for
    5,000 rows. With every width fixed there is nothing to measure, and DataTable has no
    public switch for that, so the measuring step is handed no rows. Rows are one line high
    (no ``height=None`` rows: their heights are computed in the same step).
    """

    def _update_dimensions(self, new_rows: Any) -> None:
        super()._update_dimensions(())


class QuickInput(Input):
    """An Input that stays quick per keystroke, with its inline suggestion set directly.

    - Its scroll extent (``virtual_size``) grows with every key; Textual declares that a
      layout change, which re-renders the whole screen per keystroke. A subclass whose size
      is fixed by CSS and that shows no scrollbars needs only a repaint.
    - The inline suggestion is Textual's private ``_suggestion``: the public way, a
      Suggester, starts a worker per keystroke.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    @property
    def inline_suggestion(self) -> str:
        return self._suggestion

    @inline_suggestion.setter
    def inline_suggestion(self, text: str) -> None:
        self._suggestion = text
