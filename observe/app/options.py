"""How the app was asked to start: by the command line, or by a test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from observe.core.models import Framework, Meta
    from observe.core.survey import Round
    from observe.services.opening import Clock, OpenSession


@dataclass(frozen=True)
class AppOptions:
    clock: Clock | None = None  # a fixed one in tests; local time otherwise
    cursor_blink: bool = True  # off where a frame is compared (snapshots)
    # `observe open` and `observe new`: the session, opened and locked before the app starts
    open_session: OpenSession | None = None
    # a session to create once the app is up (a failure is shown on screen)
    new_session: tuple[Meta, Framework] | None = None
    # `observe survey answer`: the round whose answer screen opens once home is up
    survey_round: Round | None = None
