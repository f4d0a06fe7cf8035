"""The new-observation form's values as typed and chosen, and the checks made on them before
a session is created (the same checks as every new session's, plus the form's own)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date

from observe.services.team_people import TeamPeople


@dataclass(frozen=True)
class FormValues:
    """What the form holds: text as typed, choices by their value ("" when none is made)."""

    facilitators: str = ""
    date: str = ""
    start: str = ""
    observer: str = ""  # a name, or in a team a member id chosen from the roster
    mode: str = ""
    framework: str = ""
    consent: str = ""
    focus: tuple[str, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)  # programme, wave, region, ...

    def remembered(self, observer: bool) -> dict[str, str | list[str]]:
        """The fields offered again next time (``observer``: its name too, outside a team,
        where it is a name and not a member id)."""
        out: dict[str, str | list[str]] = {
            "facilitators": self.facilitators,
            "date": self.date,
            "start": self.start,
            "mode": self.mode,
            "framework": self.framework,
            "consent": self.consent,
            "focus": list(self.focus),
            **self.texts,
        }
        if observer:
            out["observer"] = self.observer
        return out


def split_names(text: str) -> list[str]:
    """Facilitators typed as "Asha Rahman, Tom Price" (commas or semicolons between)."""
    return [n.strip() for n in re.split(r"[,;]", text) if n.strip()]


def form_problems(
    values: FormValues, today: Date | None = None, people: TeamPeople | None = None
) -> dict[str, str]:
    """A message for each field that is not right, keyed by field name (empty: all good):
    the same checks as every new session's, the consent and mode answered, a framework;
    in a team, every facilitator on its roster."""
    from observe.services.sessions import new_session_problems

    names = split_names(values.facilitators)
    by_roster = {"person": people.person} if people is not None else {}
    problems = new_session_problems(
        names, date=values.date, start=values.start, today=today, **by_roster
    )
    if not names:  # how to type several, in the form's words
        problems["facilitators"] = problems["facilitators"].rstrip(".") + " (commas between names)."
    if not values.consent:
        problems["consent"] = (
            "Say whether the facilitators agreed to be observed: given, not asked or declined."
        )
    if not values.mode:
        problems["mode"] = "Choose how the session is delivered: in person, online or hybrid."
    if not values.framework:
        problems["framework"] = "Choose a framework (none in criteria/ is valid)."
    return problems
