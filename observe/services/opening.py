"""Sessions opened for the app: each one's owner, on the app's clock.

The app holds owners (``SessionOwner``) and never the storage beneath them; this is where
it gets them. ``Workspace`` and ``OpenSession`` are named here for the app's type hints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from observe.core.models import Framework, Meta
from observe.services.session_owner import SessionOwner
from observe.store.open_session import OpenSession
from observe.store.repository import Repository, local_now
from observe.store.workspace import Workspace

__all__ = ["Clock", "OpenSession", "Workspace", "create_owner", "open_owner", "owner_of"]

Clock = Callable[[], datetime]


def _repository(workspace: Workspace, clock: Clock | None) -> Repository:
    return Repository(workspace, clock=clock or local_now)


def open_owner(workspace: Workspace, path: Path, clock: Clock | None = None) -> SessionOwner:
    """The owner of the session in ``path``, opened and locked (ObserveError if it cannot be)."""
    return SessionOwner.open(_repository(workspace, clock), path)


def create_owner(
    workspace: Workspace, meta: Meta, framework: Framework, clock: Clock | None = None
) -> SessionOwner:
    """A new session's owner; its file is written by the owner's thread, like any change."""
    return SessionOwner.create(_repository(workspace, clock), meta, framework)


def owner_of(session: OpenSession) -> SessionOwner:
    """The owner of a session opened already (``observe open`` opens it before the app)."""
    return SessionOwner(session)
