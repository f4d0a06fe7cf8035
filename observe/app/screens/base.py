"""The base of observe's screens: the running app, typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import ModalScreen, Screen

from observe.app.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from observe.app.application import ObserveApp

ResultT = TypeVar("ResultT")


class ObserveScreen(ReportsWorkerFailures, Screen[ResultT]):
    """A full screen of observe: ``observe_app`` is the app with its workspace and options."""

    @property
    def observe_app(self) -> ObserveApp:
        # Every screen of observe runs inside ObserveApp (make_app builds it).
        return cast("ObserveApp", self.app)


class ObserveModal(ReportsWorkerFailures, ModalScreen[ResultT]):
    """A dialog of observe over another screen; ``observe_app`` as on ``ObserveScreen``."""

    @property
    def observe_app(self) -> ObserveApp:
        return cast("ObserveApp", self.app)


AnyScreen = ObserveScreen[Any]
