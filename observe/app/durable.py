"""What the App does so that nothing typed is lost: one writer, flushed before any exit.

Quit, SIGTERM, SIGHUP and an unhandled exception all flush the writer and close the open
sessions (releasing their locks) first. A mixin for the Textual App; it imports no Textual
itself, so the App module stays thin.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from typing import TYPE_CHECKING, Any

from observe.store.writer import Writer

if TYPE_CHECKING:  # at run time the sessions come in ready-made: keep pydantic off start-up
    from observe.store.repository import OpenSession, Repository

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGTERM, signal.SIGHUP)
# If the terminal is gone (SIGHUP) the exit itself may stall; the data is safe by then.
EXIT_GRACE_S = 3.0


class DurableApp:
    """Mixed into ObserveApp: ``writer``, ``hold``/``release`` of open sessions, ``flush_all``."""

    _writer: Writer | None = None
    _held: list[OpenSession]
    _ui_loop: asyncio.AbstractEventLoop | None = None

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(on_error=self._write_failed)
        return self._writer

    def repository(self) -> Repository:
        """The workspace's sessions, on the app's clock (a fixed one in tests)."""
        from observe.store.repository import Repository, local_now

        clock = self.options.get("clock") or local_now  # type: ignore[attr-defined]
        return Repository(self.workspace, clock=clock)  # type: ignore[attr-defined]

    def hold(self, session: OpenSession) -> None:
        """Keep ``session`` open until it is released or the app exits (then it is closed)."""
        held = self.__dict__.setdefault("_held", [])
        if session not in held:
            held.append(session)

    def release(self, session: OpenSession) -> None:
        """Close ``session`` after everything queued for it is written."""
        held = self.__dict__.setdefault("_held", [])
        if session in held:
            held.remove(session)
        self.writer.submit(session.close)
        # Leaving a session is a screen change, not typing: wait the few milliseconds it takes
        # so that the screen shown next (home) lists the session as it now is, unlocked.
        self.writer.flush(5.0)
        # Home, at the bottom of the stack, reads the list again when it is shown next.
        stack = self.screen_stack  # type: ignore[attr-defined]
        if stack and hasattr(stack[0], "_stale"):
            stack[0]._stale = True

    def flush_all(self, timeout: float = 10.0) -> bool:
        """Everything handed to the writer is on disk, and every held session is closed."""
        ok = True
        if self._writer is not None:
            ok = self._writer.flush(timeout)
        for session in list(self.__dict__.get("_held", [])):
            try:
                session.close()
            except Exception:  # closing the rest matters more than this one failure
                log.exception("closing %s failed", session.path)
                ok = False
        self.__dict__["_held"] = []
        return ok

    def _write_failed(self, error: BaseException) -> None:
        # Called on the writer thread: never block on the UI (it may be waiting on a flush).
        loop = self._ui_loop
        if loop is not None and not loop.is_closed():
            message = f"Could not save a change: {error}"
            loop.call_soon_threadsafe(self._notify_error, message)

    def _notify_error(self, message: str) -> None:
        self.notify(message, severity="error", timeout=15)  # type: ignore[attr-defined]

    def install_exit_guards(self) -> None:
        """Flush on SIGTERM and SIGHUP. Call from on_mount (the loop is running then)."""
        self._ui_loop = asyncio.get_running_loop()
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers belong to the main thread (tests may run elsewhere)
        for signum in SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                self._ui_loop.add_signal_handler(signum, self._on_signal, signum)

    def _on_signal(self, signum: int) -> None:
        self.flush_all()
        code = 128 + signum
        timer = threading.Timer(EXIT_GRACE_S, os._exit, args=(code,))
        timer.daemon = True
        timer.start()
        self.exit(return_code=code)  # type: ignore[attr-defined]

    async def action_quit(self) -> None:
        self.flush_all()
        self.exit()  # type: ignore[attr-defined]

    async def _on_exit_app(self) -> None:
        # Every way out (quit, a screen calling exit, a signal, the end of a test run) passes
        # here: flush, close the sessions, and let the writer thread go.
        self.flush_all()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        await super()._on_exit_app()  # type: ignore[misc]

    def _handle_exception(self, error: Exception) -> None:
        try:
            self.flush_all()
        except Exception:
            log.exception("flush after a crash failed")
        super()._handle_exception(error)  # type: ignore[misc]

    def open_requested(self, options: dict[str, Any]) -> None:
        """``observe new`` / ``observe open``: go straight to the session's screen."""
        if options.get("open_session") is None and options.get("new_session") is None:
            return  # the plain home screen: keep the core's imports off its first frame
        from observe.core.errors import ObserveError
        from observe.core.models import Status

        session: OpenSession | None = options.get("open_session")
        new = options.get("new_session")
        if new is not None:
            meta, framework = new
            repo = self.repository()
            try:
                session = repo.create(meta, framework)
            except ObserveError as exc:
                self.notify(str(exc), severity="error", timeout=15)  # type: ignore[attr-defined]
                return
        if session is None:
            return
        if session.session.status is Status.IN_PROGRESS:
            from observe.app.screens.live import LiveScreen

            self.push_screen(LiveScreen(session))  # type: ignore[attr-defined]
        else:
            from observe.app.screens.wrapup import WrapUpScreen

            self.push_screen(WrapUpScreen(session))  # type: ignore[attr-defined]
