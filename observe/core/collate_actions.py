"""Collation of agreed actions: per facilitator, how many were agreed in the selected
sessions and what became of them (done, dropped, still open, past their date).

Read from the index's rows of actions (``observe.core.summary.ActionRow``), as the other
figures are read from its packed ratings; people are labelled as the rest of collation
labels them (codes unless names are asked for). Counts, never a ranking: the rows are in the
order of their labels.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from observe.core.choices import ActionState
from observe.core.collate import Selection
from observe.core.pseudonyms import Pseudonyms
from observe.core.summary import ActionRow

TOTAL = "all facilitators"


@dataclass(frozen=True)
class ActionFigures:
    facilitator: str  # a label: a code, or a name with names asked for; TOTAL for the sum
    agreed: int
    done: int
    dropped: int
    open: int
    past: int  # open and past their date

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def action_figures(
    selection: Selection, today: Date, names: bool = False, facilitator: str | None = None
) -> list[ActionFigures]:
    """One row per facilitator with actions in the selected sessions, then the total (none
    when no action was agreed); with ``facilitator`` (an id) only theirs."""
    people, _ = selection.people()
    labels = Pseudonyms(people, "F", names, secret=selection.secret)
    counts: dict[str, Counter[str]] = {}
    for entry in selection.entries:
        ours = {p.get("id") for p in entry.meta.get("facilitators") or []}
        for raw in getattr(entry, "actions", None) or ():
            row = ActionRow.of(raw)
            if row is None or row.facilitator not in ours:
                continue  # a row the index cannot honestly hold, or not this session's
            if facilitator is not None and row.facilitator != facilitator:
                continue
            tally = counts.setdefault(row.facilitator, Counter())
            tally[row.state.value] += 1
            if row.state is ActionState.OPEN and row.by is not None and row.by < today:
                tally["past"] += 1
    if not counts:
        return []
    out = [_figures(labels(pid), tally) for pid, tally in counts.items()]
    out.sort(key=lambda f: (f.facilitator.casefold(), f.facilitator))
    return [*out, _figures(TOTAL, sum(counts.values(), Counter()))]


def _figures(label: str, tally: Counter[str]) -> ActionFigures:
    still, done, dropped = (tally[s.value] for s in ActionState)
    return ActionFigures(label, still + done + dropped, done, dropped, still, tally["past"])
