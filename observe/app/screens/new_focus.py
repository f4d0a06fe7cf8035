"""The new-observation form's part in the facilitator's own focus.

When a facilitator is named who has a focus waiting (written on this machine, or brought by
sync from their own), the form ticks its criteria and shows what they wrote; the session
keeps it in ``meta.self_assessments`` and the focus is marked used. With the facilitator
there, the observer can also open "their focus" (F3) and write it with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.widgets import Input, SelectionList, Static

from observe.app.plain import styled
from observe.app.screens.base import ObserveScreen
from observe.core.errors import ObserveError
from observe.core.focus import SelfAssessment
from observe.core.models import Framework, Meta, Person
from observe.core.shorten import shorten

if TYPE_CHECKING:
    from textual.content import Content

    from observe.services.team_people import TeamPeople

SHOWN = 160  # characters of each line shown in the form; the session keeps them whole

FOCUS_FORM_KEYS = [
    Binding(
        "f3",
        "write_focus",
        "Their focus",
        id="new.their_focus",
        show=False,  # said under the facilitators once one is named; the footer keeps 80 columns
        tooltip="Write the facilitator's own focus with them, before you start",
    ),
]


def summary(assessments: list[SelfAssessment]) -> Content:
    parts: list[str | tuple[str, str]] = []
    for a in assessments:
        when = f" (written {a.written.isoformat()})" if a.written else ""
        parts.append((f"{a.name or a.facilitator}'s own focus{when}", "bold"))
        for hope in a.hopes:
            parts.append(f"\n  {hope.criterion}  {shorten(hope.text, SHOWN) or '-'}")
        if a.overall:
            parts.append(f"\n  Overall: {shorten(a.overall, SHOWN)}")
        parts.append("\n")
    return styled(*parts)


class FocusInForm(ObserveScreen[None]):
    """Holds the self-assessments the new session will keep (NewObservationScreen composes
    ``focus_panel`` and lists ``FOCUS_FORM_KEYS``)."""

    people: TeamPeople | None

    def __init__(self) -> None:
        super().__init__()
        self.attached: dict[str, SelfAssessment] = {}  # facilitator id -> theirs
        self.waiting: set[str] = set()  # ids of those taken from a focus waiting here

    @staticmethod
    def focus_panel() -> Static:
        panel = Static("", id="form-self-assessment")
        panel.display = False
        return panel

    def named(self) -> list[Person]:
        from observe.app.screens.new_form import split_names

        out = []
        for name in split_names(self.query_one("#facilitators", Input).value):
            try:
                out.append(self.people.person(name) if self.people else Person.named(name))
            except (ObserveError, ValueError):
                continue  # not (yet) a name on the roster: nothing to take up
        return out

    def look_for_focus(self) -> None:
        """Take up the focus waiting for each facilitator named (and drop those no longer)."""
        from observe.services import focus

        named = self.named()
        ids = {p.id for p in named}
        for fid in [f for f in self.attached if f not in ids]:
            self.waiting.discard(self.attached.pop(fid).id)
        for person in named:
            if person.id in self.attached:
                continue
            found = focus.waiting_for(self.observe_app.workspace, person)
            if found is not None:
                self.attached[person.id] = found
                self.waiting.add(found.id)
        self.show_attached(named=bool(named))

    def show_attached(self, named: bool = True) -> None:
        panel = self.query_one("#form-self-assessment", Static)
        found = list(self.attached.values())
        hint = styled(("No focus of theirs is waiting · F3 writes one with them", "dim"))
        panel.update(summary(found) if found else hint)
        panel.display = bool(found) or named
        box = self.query_one("#focus", SelectionList)
        for a in found:
            for cid in a.criteria:
                try:
                    box.select(cid)
                except Exception:  # a criterion this framework does not have
                    continue

    @on(Input.Changed, "#facilitators")
    def _facilitators_changed(self) -> None:
        self.look_for_focus()

    def action_write_focus(self) -> None:
        from observe.app.screens.focus import FocusScreen

        named = self.named()
        if not named:
            self.notify("Name the facilitator first", severity="warning")
            return
        person = next((p for p in named if p.id not in self.attached), named[0])
        framework = self.query_one("#framework").value  # type: ignore[attr-defined]

        def written(made: SelfAssessment | None) -> None:
            if made is not None:
                old = self.attached.get(made.facilitator)
                if old is not None:
                    self.waiting.discard(old.id)
                self.attached[made.facilitator] = made
                self.show_attached()

        self.app.push_screen(
            FocusScreen(
                facilitator=person,
                keep=False,
                framework_id=framework if isinstance(framework, str) else None,
                start=self.attached.get(person.id),
            ),
            written,
        )

    # ------------------------------------------------------------------ into the session

    def with_self_assessments(self, meta: Meta, framework: Framework) -> Meta:
        from observe.services import focus

        return focus.take_up(meta, framework, list(self.attached.values()))

    def self_assessments_used(self) -> None:
        from observe.services import focus

        used = [a for a in self.attached.values() if a.id in self.waiting]
        try:
            focus.mark_used(self.observe_app.workspace, used)
        except OSError as exc:  # the session has it; only "offered again" is at stake
            self.notify(f"Could not mark the focus used: {exc}", severity="warning")
