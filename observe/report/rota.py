"""The rota's progress as a text table, a CSV and an iCalendar file.

Every name and place in a rota is text from outside: the table escapes control characters,
the CSV neutralises formulas (``spreadsheet_row``), and the calendar carries escaped text in
properties the icalendar package quotes itself. One calendar event per assignment, on its
due date (a whole day), with a stable UID so a re-import updates rather than duplicates.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from observe.core.models import slugify
from observe.core.rota.model import names
from observe.core.rota.progress import Progress
from observe.core.untrusted import escape_controls, spreadsheet_row

HEADERS = [
    "wave",
    "id",
    "observer",
    "facilitators",
    "partner",
    "region",
    "due",
    "progress",
]


def cells(row: Progress) -> list[str]:
    a = row.assignment
    state = row.state
    if row.seen and state != "done":
        state += f" ({names_seen(row)} seen)"
    return [
        row.wave,
        a.id,
        a.observer.name,
        names(a.facilitators),
        a.partner,
        a.region,
        a.due.isoformat(),
        state,
    ]


def names_seen(row: Progress) -> str:
    return " & ".join(row.seen)


def to_csv(rows: list[Progress]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(spreadsheet_row(cells(row)))
    return out.getvalue()


def to_ics(rows: list[Progress], *, stamp: datetime | None = None) -> bytes:
    from icalendar import Calendar, Event  # only the calendar format needs it

    stamp = stamp or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//observe//observation rota//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    e = escape_controls
    for row in rows:
        a = row.assignment
        event = Event()
        event.add("uid", f"{slugify(row.wave)}-{a.id}@observe.rota")  # a swap updates it
        event.add("dtstamp", stamp)
        event.add("dtstart", a.due)
        event.add("dtend", a.due + timedelta(days=1))
        event.add("summary", e(f"Observe {names(a.facilitators)} (wave {row.wave})"))
        where = ", ".join(x for x in (a.partner, a.region) if x)
        if where:
            event.add("location", e(where))
        lines = [
            f"Observer: {a.observer.name}",
            f"Facilitators: {names(a.facilitators)}",
            f"Progress: {row.state}",
        ]
        event.add("description", "\n".join(e(line) for line in lines))
        event.add("status", "CONFIRMED" if row.state == "done" else "TENTATIVE")
        calendar.add_component(event)
    return calendar.to_ical()
