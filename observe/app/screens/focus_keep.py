"""My next observation kept safe while it is written: the draft, and whom it is for.

What the screen holds is written as a draft a moment after typing pauses (so a crash loses no
words) and is no draft once it equals what was saved. In a team, "For" names the observers
who may read the facilitator's focus besides the leads and the rota's observers; it starts
with those named before, so a focus rewritten reaches the same people.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from observe.app.widgets.roster_suggester import RosterSuggester

if TYPE_CHECKING:
    from observe.core.focus import SelfAssessment

DRAFT_PAUSE_S = 0.3  # the draft is written once typing has paused this long


class FocusKeeping:
    """The draft and "For" of ``FocusScreen`` (its fields: keep, start, texts, _typed_at)."""

    keep: bool
    start: SelfAssessment | None
    texts: dict[str, str]
    team_names: list[str] | None
    _typed_at: float
    observe_app: Any
    query: Any
    query_one: Any

    chosen: Callable[[], list[str]]
    _say: Callable[[str], None]

    def _for_row(self) -> ComposeResult:
        """Whom the focus is for, besides the leads and the rota's observers: the roster's
        names, completed as typed (the new-observation form's way)."""
        from observe.services import focus
        from observe.services.team_people import team_people

        workspace = self.observe_app.workspace
        people = team_people(workspace.root)
        if people is None:
            return
        self.team_names = [p.name for p in people.people if not p.you]
        with Horizontal(classes="form-row"):
            yield Label("For", classes="form-label")
            yield Input(
                ", ".join(focus.readers_named(workspace)),
                placeholder="your observer(s), from the roster: → takes a name; commas between",
                id="focus-to",
                suggester=RosterSuggester(self.team_names),
                select_on_focus=False,
                compact=True,
            )

    def _to(self) -> list[str] | None:
        """The readers named in "For" (None when the screen has no such box)."""
        boxes = list(self.query("#focus-to").results(Input))
        if not boxes:
            return None
        return [n.strip() for n in boxes[0].value.replace(";", ",").split(",") if n.strip()]

    def _draft_tick(self) -> None:
        if self._typed_at and time.monotonic() - self._typed_at >= DRAFT_PAUSE_S:
            self._keep_draft()

    def _keep_draft(self) -> None:
        """Write what the screen holds as the draft; none when it is what was saved."""
        from observe.services import focus

        self._typed_at = 0.0
        chosen = self.chosen()
        texts = {c: self.texts.get(c, "") for c in chosen}
        overall = self.query_one("#focus-overall", Input).value
        start = self.start
        stripped = {c: t.strip() for c, t in texts.items()}
        if start is not None and (
            start.criteria == chosen
            and {h.criterion: h.text for h in start.hopes} == stripped
            and start.overall == overall.strip()
        ):
            focus.drop_draft(self.observe_app.workspace)
            return
        name = next(iter(self.query("#focus-name").results(Input)), None)
        draft = focus.Draft(
            name=name.value if name is not None else "",
            criteria=chosen,
            texts=texts,
            overall=overall,
        )
        try:
            focus.save_draft(self.observe_app.workspace, draft)
        except OSError as exc:
            self._say(f"The draft is not kept: {exc}")
