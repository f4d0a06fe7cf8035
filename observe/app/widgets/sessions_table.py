"""Home's table of sessions."""

from __future__ import annotations

from observe.app.textual_compat import FixedColumnsDataTable


class SessionsTable(FixedColumnsDataTable):
    """The sessions table. Its column widths are set by the screen (see ``columns_for``), so
    DataTable's measuring of every new cell, a second and more for 5,000 rows, is skipped."""

    HELP_NAME = "sessions table"
