"""What the facilitator asked to be looked at, in their own words, beside what was seen.

Page one of their feedback opens with it when they wrote a self-assessment before the
session (``meta.self_assessments``): for each criterion they chose, their line, and beside it
the level given (its label) and the best note on it. Their words are shown as written, with
no judgement on them; the observer's level is what was seen this once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from observe.core.focus import for_facilitator
from observe.core.models import Framework, Meta, Note
from observe.report.evidence import Evidence, best


@dataclass
class OwnHope:
    criterion_id: str
    title: str
    hope: str  # their words ("" when they chose it without a line)
    seen: str  # the level's label ("2 Developing"), "Not observed", or "" when not rated
    comment: str  # the observer's comment on the rating
    evidence: list[Evidence] = field(default_factory=list)  # the best note on it
    shown_above: int = 0  # notes on it printed elsewhere on the page


@dataclass
class OwnFocus:
    hopes: list[OwnHope]
    overall: str
    written: date | None

    @property
    def criteria(self) -> set[str]:
        return {h.criterion_id for h in self.hopes}

    @property
    def listed(self) -> str:
        """ "R2 and L2", "R1, R2 and L2": for the heading."""
        ids = [h.criterion_id for h in self.hopes]
        return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def _seen(row: Any) -> str:
    if row is None or not row.rated:
        return ""
    return f"{row.level} {row.label}" if row.observed else row.label


def own_focus(
    meta: Meta,
    fid: str,
    framework: Framework,
    notes: list[Note],
    printer: Callable[[Note], Evidence],
    linked: Iterable[str],
    rows_by_id: dict[str, Any],
    shown: set[str],
) -> OwnFocus | None:
    """``fid``'s own focus with what was seen of it, or None when they wrote none; the notes
    it prints are added to ``shown`` (each note is printed once)."""
    mine = for_facilitator(meta.self_assessments, fid)
    if mine is None or not mine.hopes:
        return None
    linked = set(linked)
    hopes = []
    for hope in mine.hopes:
        criterion = framework.criterion(hope.criterion)
        cid = criterion.id if criterion else hope.criterion
        on_it = [n for n in notes if cid in n.criteria]
        fresh = [n for n in on_it if n.id not in shown]
        picked = best(fresh, 1, linked)
        shown.update(n.id for n in picked)
        row = rows_by_id.get(cid)
        hopes.append(
            OwnHope(
                cid,
                criterion.title if criterion else "",
                hope.text,
                _seen(row),
                row.comment if row is not None else "",
                [printer(n) for n in picked],
                shown_above=len(on_it) - len(fresh),
            )
        )
    return OwnFocus(hopes, mine.overall, mine.written)
