"""Home's co-observation keys: observe the highlighted delivery too (another observer, same
details, facilitators and framework, the same calibration id), and compare and agree once
every observer of it has finished. Screens go through observe.services.calibration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.screen import Screen

from observe.app.screens.base import ObserveScreen
from observe.app.screens.home_onward import Refused, readable, session_file
from observe.core.summary import SessionSummary as Row

CO_OBSERVATION_BINDINGS = [
    Binding(
        "b",
        "observe_too",
        "Observe too",
        id="home.observe_too",
        show=False,  # in F1 and the palette: the footer keeps to 80 columns
        tooltip="Observe this delivery too, as another observer rating blind",
    ),
    Binding(
        "a",
        "compare",
        "Compare",
        id="home.compare",
        show=False,
        tooltip="Compare and agree a co-observed delivery's ratings, once all finish",
    ),
]


class CoObserve(ObserveScreen[None]):
    """Mixed into home, which supplies ``highlighted``, ``_go`` and ``_refused``."""

    BINDINGS = CO_OBSERVATION_BINDINGS

    def highlighted(self) -> Row | None:
        raise NotImplementedError  # home's

    def _go(
        self, make: Callable[[], Screen[Any]], then: Callable[[Any], None] | None = None
    ) -> None:
        raise NotImplementedError  # home's

    def _refused(self, refused: Refused) -> None:
        raise NotImplementedError  # home's

    def action_observe_too(self) -> None:
        row = self.highlighted()
        try:
            row = readable(row)
            if row.agreed:
                raise Refused("This is an agreed record: highlight one of the observers' sessions.")
        except Refused as refused:
            self._refused(refused)
            return
        from observe.app.dialogs.ask_text import AskText
        from observe.services.sessions import remembered_defaults

        def named(observer: str | None) -> None:
            if observer:
                self._go(lambda: self._start_too(row, observer))

        ours = remembered_defaults(self.observe_app.workspace).get("observer", "")
        self.app.push_screen(
            AskText(
                "Observe this delivery too: your name?",
                "Same details, facilitators and framework. You rate blind: nobody's ratings"
                " show until every observer has finished; then compare (a on home).",
                ours if ours != row.observer else "",
            ),
            named,
        )

    def _start_too(self, row: Row, observer: str) -> Screen[Any]:
        from observe.app.screens.live import LiveScreen
        from observe.core.errors import ObserveError
        from observe.services.calibration import co_observation

        app = self.observe_app
        try:
            meta, framework = co_observation(app.workspace, session_file(app, row), observer)
            owner = app.create_session(meta, framework)
        except ObserveError as exc:
            raise Refused(str(exc), title="Not started", severity="error", timeout=8) from exc
        return LiveScreen(owner)

    def action_compare(self) -> None:
        self._go(self._compare_screen)

    def _compare_screen(self) -> Screen[Any]:
        row = readable(self.highlighted())
        if not row.calibration:
            raise Refused(
                "This delivery has one observer. b starts another observer of it; once both"
                " have finished, a compares.",
                severity="information",
            )
        from observe.app.screens.compare import CompareScreen
        from observe.core.errors import ObserveError
        from observe.services.calibration import comparison

        try:
            records, agreed, lines = comparison(self.observe_app.workspace, row.calibration)
        except ObserveError as exc:
            raise Refused(str(exc), title="Not yet", severity="information", timeout=8) from exc
        return CompareScreen(row.calibration, records, agreed, lines)
