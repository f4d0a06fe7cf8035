"""The home table's columns and filter, as plain functions (easy to test, no widgets)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rich.text import Text

from observe.app.plain import one_line, plain
from observe.core.shorten import shorten
from observe.core.summary import SessionSummary

WIDE = 120  # from this width the table also shows region, observer and title

# Words that name a column: "wave 2" filters on the wave, not on every "2" in a date.
FIELDS = ("wave", "region", "partner", "mode", "status", "observer", "title", "date", "cohort")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    flex: int = 0  # share of the spare width; 0: fixed


FIXED = {
    "date": Column("date", "Date", 10),
    "wave": Column("wave", "Wave", 4),
    "mode": Column("mode", "Mode", 9),
    "status": Column("status", "Status", 12),
    "notes": Column("notes", "Notes", 5),
}
FLEX = {
    "facilitators": Column("facilitators", "Facilitators", 12, flex=3),
    "partner": Column("partner", "Partner", 8, flex=2),
    "region": Column("region", "Region", 8, flex=2),
    "observer": Column("observer", "Observer", 8, flex=2),
    "title": Column("title", "Title", 8, flex=3),
}
NARROW_ORDER = ("date", "facilitators", "wave", "partner", "mode", "status", "notes")
WIDE_ORDER = (
    "date",
    "facilitators",
    "wave",
    "region",
    "partner",
    "mode",
    "observer",
    "status",
    "notes",
    "title",
)


def columns_for(width: int) -> list[Column]:
    """The columns that fit ``width`` cells, flexible ones sharing what the fixed ones leave."""
    order = WIDE_ORDER if width >= WIDE else NARROW_ORDER
    columns = [FIXED.get(k) or FLEX[k] for k in order]
    # Each column has one cell of padding either side; keep three cells for the scrollbar
    # and the table's own edge, so no horizontal scrollbar appears.
    spare = width - 3 - 2 * len(columns) - sum(c.width for c in columns)
    weights = sum(c.flex for c in columns)
    out = []
    for column in columns:
        extra = max(0, spare) * column.flex // weights if column.flex else 0
        out.append(Column(column.key, column.label, column.width + extra, column.flex))
    return out


def display(row: SessionSummary) -> dict[str, str]:
    """The text of each column for one readable row."""
    return {
        "date": row.date,
        "facilitators": ", ".join(row.facilitators),
        "wave": row.wave,
        "partner": row.partner,
        "mode": row.mode.replace("_", " "),
        "status": row.status.replace("_", " "),
        "notes": str(row.notes),
        "region": row.region,
        "observer": row.observer,
        "title": row.title,
        "cohort": row.cohort,
    }


def _initial(word: str) -> str:
    return f"{word[0]}." if word else ""


def names_fitting(names: list[str], width: int) -> str:
    """Every facilitator in ``width`` cells where it can be: "Asha Rahman, Tom Price", then
    "Asha R., Tom P.", then "Asha, Tom" (when the first names differ), then "A.R., T.P."; a
    co-facilitator is never the one dropped."""
    if len(names) < 2:
        return ", ".join(names)  # one name: the cell shortens it, keeping its start
    firsts = [n.split()[0] if n.split() else n for n in names]
    forms = [
        names,
        [
            " ".join([n.split()[0], *map(_initial, n.split()[1:])]) if n.split() else n
            for n in names
        ],
        *([firsts] if len(set(firsts)) == len(firsts) else []),
        ["".join(map(_initial, n.split())) or n for n in names],
    ]
    for form in forms:
        text = ", ".join(form)
        if len(text) <= width:
            return text
    return ", ".join(forms[-1])


def row_cells(row: SessionSummary, columns: list[Column], warning: str) -> list[Text]:
    if row.reason is not None:
        # The file name where the facilitators go, the reason beside it, all in warning colour.
        cells: dict[str, str] = {
            "date": "⚠",
            "facilitators": row.file,
            "status": "unreadable",
            "partner": row.reason,
        }
        style = f"bold {warning}"
        return [plain(shorten(one_line(cells.get(c.key, "")), c.width), style) for c in columns]
    text = display(row)
    for column in columns:
        if column.key == "facilitators":
            text["facilitators"] = names_fitting(list(row.facilitators), column.width)
    # Text, never str: a DataTable reads a str cell as markup, and these are user text.
    return [plain(shorten(one_line(text[c.key]), c.width)) for c in columns]


@dataclass(frozen=True)
class Query:
    fields: tuple[tuple[str, str], ...] = ()  # ("wave", "2"): the column's text holds the word
    words: tuple[str, ...] = ()  # each must appear somewhere in the row's visible text


def parse_filter(text: str) -> Query:
    """``wave 2 online asha`` -> wave is 2, and "online" and "asha" appear in the row."""
    tokens = text.lower().replace(",", " ").split()
    fields: list[tuple[str, str]] = []
    words: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].rstrip(":")
        if token in FIELDS and i + 1 < len(tokens):
            fields.append((token, tokens[i + 1]))
            i += 2
            continue
        words.append(tokens[i])
        i += 1
    return Query(tuple(fields), tuple(words))


@functools.lru_cache(maxsize=16384)  # rows are frozen: each one's text is worked out once
def haystack(row: SessionSummary) -> str:
    """The row's searchable text."""
    if row.unreadable:
        return f"unreadable {row.file} {row.reason}".lower()
    return " | ".join(display(row).values()).lower()


def matches(row: SessionSummary, query: Query) -> bool:
    if not query.fields and not query.words:
        return True
    text = haystack(row)
    if any(word not in text for word in query.words):
        return False
    if query.fields:
        if row.unreadable:
            return False
        shown = display(row)
        for name, value in query.fields:
            field_text = shown.get(name, "").lower()
            if field_text != value and not re.search(rf"\b{re.escape(value)}\b", field_text):
                return False
    return True


FIRST_RUN = (
    "[b]No observations here yet.[/b]\n\n"
    "Press [b]n[/b] to start a new observation: say who is facilitating, and the live notes"
    " screen opens.\n\n"
    "To look around first with made-up sessions, quit ([b]ctrl+q[/b]) and run"
    " [b]observe demo[/b] in a terminal, then start observe again.\n\n"
    "Press [b]F1[/b] at any time for the keys of the screen you are on."
)
