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

from datetime import date as Date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from observe.core.ids import Id, new_id

MAX_HOPES = 12  # a focus is a few criteria; a file with more is refused
MAX_TEXT = 2000  # a short self-assessment, not an essay
MAX_SELF_ASSESSMENTS = 20  # one per facilitator of a session

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]


class Hope(BaseModel):
    """One focus criterion and what the facilitator says of it beforehand."""

    model_config = ConfigDict(extra="allow")

    criterion: Id
    text: Text = ""


class SelfAssessment(BaseModel):
    """A facilitator's focus criteria and short self-assessment for one observation."""

    model_config = ConfigDict(extra="allow")

    id: Id = Field(default_factory=new_id)
    facilitator: Id
    framework: str = ""
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
