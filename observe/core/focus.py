"""The facilitator's own focus for an observation, written before it.

Observation here starts from what the facilitator wants to learn: before a session they
choose the criteria they would like looked at and say, in a line or two against each, how
they think it goes and what they hope to show. That is a ``SelfAssessment``. It is written on
the facilitator's own machine (and carried through the team folder to their observer) or
with the observer in the new-observation form, and it is kept in the session's metadata
(``meta.self_assessments``, one per facilitator) so that the feedback can set what they hoped
to show beside what was seen, and their portfolio can keep it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date as Date
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from observe.core.errors import UsageError
from observe.core.ids import Id, new_id

if TYPE_CHECKING:
    from observe.core.models import Framework

MAX_HOPES = 12  # a focus is a few criteria; a file with more is refused
MAX_TEXT = 2000  # a short self-assessment, not an essay
MAX_SELF_ASSESSMENTS = 20  # one per facilitator of a session

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
# A framework's criterion id (core.models.CriterionId, not importable here: models imports us).
CriterionKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9._-]{0,15}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
FrameworkKey = Annotated[str, StringConstraints(max_length=64)]


class Hope(BaseModel):
    """One focus criterion and what the facilitator says of it beforehand."""

    model_config = ConfigDict(extra="allow")

    criterion: CriterionKey
    text: Text = ""


class SelfAssessment(BaseModel):
    """A facilitator's focus criteria and short self-assessment for one observation."""

    model_config = ConfigDict(extra="allow")

    id: Id = Field(default_factory=new_id)
    facilitator: Id
    name: Name = ""  # the facilitator's name as written, to show
    framework: FrameworkKey = ""
    written: Date | None = None
    hopes: list[Hope] = Field(default=[], max_length=MAX_HOPES)
    overall: Text = ""  # anything else they would like the observer to know

    @property
    def criteria(self) -> list[str]:
        return [hope.criterion for hope in self.hopes]

    @property
    def written_anything(self) -> bool:
        return bool(self.overall) or any(hope.text for hope in self.hopes)

    def dump(self) -> dict:
        return self.model_dump(mode="json")


def check_criteria(framework: Framework, keys: Iterable[str]) -> list[str]:
    """The framework's ids for ``keys`` as typed (any case), each once; a UsageError naming
    the near ids for one that is not in ``framework``."""
    known = [c.id for _, c in framework.criteria()]
    out: list[str] = []
    for key in keys:
        criterion = framework.criterion(key.strip()) if key.strip() else None
        if criterion is None:
            wanted = key.strip().upper()
            near = difflib.get_close_matches(wanted, known, n=3, cutoff=0.4)
            near = near or [k for k in known if k.upper().startswith(wanted[:1])][:6]
            hint = f"; did you mean {', '.join(near)}?" if near else f" ({', '.join(known[:12])})"
            raise UsageError(f"criterion {key.strip()!r} is not in {framework.id}{hint}")
        if criterion.id in out:
            raise UsageError(f"criterion {criterion.id} is named twice")
        out.append(criterion.id)
    if len(out) > MAX_HOPES:
        raise UsageError(f"a focus is at most {MAX_HOPES} criteria, not {len(out)}")
    return out


def text_problem(text: str, what: str) -> str | None:
    """Why ``text`` cannot be kept in a self-assessment, or None."""
    if len(text.strip()) > MAX_TEXT:
        return f"{what} is {len(text.strip())} characters; keep it under {MAX_TEXT}"
    return None


def hopes_of(criteria: Sequence[str], texts: Sequence[str]) -> list[Hope]:
    """One Hope per criterion with the line written against it ("" where none was)."""
    padded = list(texts) + [""] * (len(criteria) - len(texts))
    return [Hope(criterion=c, text=t) for c, t in zip(criteria, padded, strict=False)]


def for_facilitator(
    assessments: Iterable[SelfAssessment], facilitator_id: str
) -> SelfAssessment | None:
    return next((a for a in assessments if a.facilitator == facilitator_id), None)
