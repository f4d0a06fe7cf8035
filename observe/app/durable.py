"""What the App does so that nothing typed is lost: it holds the owners of the open sessions.

Each open session has one ``SessionOwner`` (observe/services/session_owner.py), held here and
handed to the screens. Quit (ctrl+q), SIGTERM and SIGHUP first let the keys already delivered
be handled, take what is typed as the drafts, write everything, and only then exit. Changes
that cannot be written are never dropped silently: quitting asks (try again, write the
session to another folder, or lose them), a signal tries once more and then writes an
emergency copy and says where. A mixin for the Textual App, on its public API only.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # at run time these come in lazily: keep pydantic off start-up
    from textual.app import App
    from textual.dom import DOMNode

    from observe.app.options import AppOptions
    from observe.core.models import Framework, Meta
    from observe.services.opening import OpenSession, Workspace
    from observe.services.session_owner import SessionOwner

    _Base = App[None]
else:
    _Base = object

SIGNALS = (signal.SIGTERM, signal.SIGHUP)
FLUSH_S = 3.0  # how long quitting waits for a write before asking
# If the terminal is gone (SIGHUP) the exit itself may stall: the data is safe by then.
EXIT_GRACE_S = 4.0
# A signal can overtake keys typed just before it: they are written to the terminal but not
# yet read by the app (its input thread may wait for a busy core). This long is left for
# them to arrive before the keys delivered are handled and the sessions closed.
KEYS_IN_FLIGHT_S = 0.25


class KeepsTyping(Protocol):
    def keep_typing(self) -> None:
        """Hand what is typed but not yet saved (a draft, a text box) to the owner now."""


class DurableApp(_Base):
    """Mixed into ObserveApp: the open sessions' owners, and every way out keeps their data."""

    workspace: Workspace
    options: AppOptions

    # ------------------------------------------------------------ the open sessions

    @property
    def owners(self) -> list[SessionOwner]:
        return self.__dict__.setdefault("_owners", [])

    @property
    def exit_notes(self) -> list[str]:
        """Lines for stderr after the screen is gone: where unsaved changes were written."""
        return self.__dict__.setdefault("_exit_notes", [])

    def own(self, session: OpenSession) -> SessionOwner:
        from observe.services.opening import owner_of

        owner = owner_of(session)
        self.owners.append(owner)
        return owner

    def open_session(self, path: Path) -> SessionOwner:
        """The owner of the session in ``path``: the one already open here, or a new one
        (ObserveError if it cannot be opened)."""
        for owner in self.owners:
            if owner.path == path and owner.keep_open():
                return owner
        from observe.services.opening import open_owner

        owner = open_owner(self.workspace, path, self.options.clock)
        self.owners.append(owner)
        return owner

    def create_session(self, meta: Meta, framework: Framework) -> SessionOwner:
        from observe.services.opening import create_owner

        owner = create_owner(self.workspace, meta, framework, self.options.clock)
        self.owners.append(owner)
        return owner

    def release(self, owner: SessionOwner) -> None:
        """A screen is done with the session: write it and let it go. If the write fails
        it stays open here, its writer still trying, and quitting asks about it."""
        if owner.close(timeout=2.0):
            with contextlib.suppress(ValueError):
                self.owners.remove(owner)
        from observe.app.screens.home import HomeScreen

        stack = self.screen_stack
        if stack and isinstance(stack[0], HomeScreen):  # at the bottom of the stack
            stack[0].sessions_changed(owner.path.name)

    def unsaved(self) -> list[SessionOwner]:
        return [o for o in self.owners if not o.closed and o.pending]

    def write_all(self, timeout: float = 10.0) -> bool:
        """Every open session's changes on disk now; False if any write failed."""
        return not self._flush_owners(timeout)

    def _flush_owners(self, timeout: float) -> list[SessionOwner]:
        """Write every open session; those whose write failed."""
        return [o for o in self.owners if not o.closed and not o.flush(timeout)]

    # ------------------------------------------------------------ keys first, then out

    def keep_typing(self) -> None:
        for screen in self.screen_stack:
            hook: Callable[[], None] | None = getattr(screen, "keep_typing", None)
            if hook is not None:
                hook()

    def after_keys(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once the keys delivered so far, and the messages they cause, are
        handled. A key waits in the focused widget's queue; what it causes (an Enter's
        Submitted) is posted behind whatever is queued then, and bubbles up to the screen.
        So the callback travels the app's queue, then twice from the focused widget up
        through each parent to the screen: the second pass comes after all of that."""

        def hop(chain: list[DOMNode]) -> None:
            if not chain:
                callback()
            else:
                chain[0].call_later(hop, chain[1:])

        def through_focus() -> None:
            chain: list[DOMNode] = []
            node: DOMNode | None = self.focused
            while node is not None and node is not self:
                chain.append(node)
                node = node.parent
            hop(chain * 2)

        self.call_later(through_focus)

    async def action_quit(self) -> None:
        self.after_keys(self._quit_now)

    def _quit_now(self) -> None:
        from observe.app.dialogs.unsaved import UnsavedChanges

        if isinstance(self.screen, UnsavedChanges):
            return
        self.keep_typing()
        failing = self._flush_owners(FLUSH_S)
        if not failing:
            self._close_owners()
            self.exit()
            return
        count = sum(o.pending for o in failing)
        why = failing[0].save_state.error or "the write did not finish"
        self.push_screen(UnsavedChanges(count, why), self._answered)

    def _answered(self, answer: str | None) -> None:
        if answer == "retry":
            self._quit_now()
        elif answer == "copy":
            from observe.app.dialogs.unsaved import CopyFolder

            self.push_screen(CopyFolder(), self._copy_to)
        elif answer == "lose":
            for owner in self.unsaved():
                owner.abandon()
            self._close_owners()
            self.exit()

    def _copy_to(self, folder: str | None) -> None:
        if not folder:
            self._quit_now()  # back to the question
            return
        written = []
        try:
            for owner in self.unsaved():
                written.append(owner.write_copy(Path(folder).expanduser()))
        except (OSError, ValueError) as exc:
            self.notify(f"Could not write there: {exc}", severity="error", timeout=10)
            self._quit_now()
            return
        for owner in self.unsaved():
            owner.abandon()
        self._close_owners()
        self.exit_notes.extend(f"observe: the session was written to {p}" for p in written)
        self.exit()

    def _close_owners(self) -> None:
        """Let go of every session whose changes are all written (and of no other)."""
        for owner in list(self.owners):
            if not owner.pending and owner.close(timeout=FLUSH_S):
                self.owners.remove(owner)

    def _rescue(self, owners: list[SessionOwner]) -> None:
        """The last resort: each session, with what could not be written, copied elsewhere."""
        for owner in owners:
            try:
                path = owner.write_emergency_copy()
            except OSError as exc:
                self.exit_notes.append(
                    f"observe: {owner.pending} changes to {owner.path.name} could not be"
                    f" written anywhere ({exc})"
                )
                continue
            self.exit_notes.append(
                f"observe: {owner.path.name} could not be saved ({owner.save_state.error});"
                f" everything in it was written to {path}"
            )
            owner.abandon()

    # ------------------------------------------------------------ signals and the end

    def install_exit_guards(self) -> None:
        """Write before exiting on SIGTERM and SIGHUP. Call from on_mount (the loop runs then)."""
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers belong to the main thread (tests may run elsewhere)
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._on_signal, signum)

    def _on_signal(self, signum: int) -> None:
        code = 128 + signum
        # Should the app be stuck, the data still goes somewhere before the process ends.
        timer = threading.Timer(EXIT_GRACE_S, self._last_resort, args=(code,))
        timer.daemon = True
        timer.start()
        exit_after_keys = lambda: self.after_keys(lambda: self._exit_for_signal(code))  # noqa: E731
        self.set_timer(KEYS_IN_FLIGHT_S, exit_after_keys)

    def _exit_for_signal(self, code: int) -> None:
        self.keep_typing()
        failing = self._flush_owners(FLUSH_S / 2)
        if failing:
            failing = self._flush_owners(FLUSH_S / 2)  # once more
        self._rescue(failing)
        self._close_owners()
        self.exit(return_code=code)

    def _last_resort(self, code: int) -> None:
        self._rescue(self.unsaved())
        for note in self.exit_notes:
            with contextlib.suppress(OSError):
                os.write(2, (note + "\n").encode())
        os._exit(code)

    def on_unmount(self) -> None:
        # Every way out passes here (a screen calling exit, a crash, the end of a test run):
        # whatever is still open is written, or copied somewhere safe and said so.
        self._rescue(self._flush_owners(FLUSH_S))
        self._close_owners()
        for owner in self.owners:
            owner.abandon()  # written, or rescued above: let the locks go

    # ------------------------------------------------------------ observe new / observe open

    def open_requested(self, options: AppOptions) -> None:
        """``observe new`` / ``observe open``: go straight to the session's screen."""
        if options.open_session is None and options.new_session is None:
            return  # the plain home screen: keep the core's imports off its first frame
        from observe.core.errors import ObserveError
        from observe.core.models import Status

        if options.new_session is not None:
            try:
                owner = self.create_session(*options.new_session)
            except ObserveError as exc:
                self.notify(str(exc), severity="error", timeout=15)
                return
        elif options.open_session is not None:
            owner = self.own(options.open_session)
        else:
            return
        if owner.session.status is Status.IN_PROGRESS:
            from observe.app.screens.live import LiveScreen

            self.push_screen(LiveScreen(owner))
        else:
            from observe.app.screens.wrapup import WrapUpScreen

            self.push_screen(WrapUpScreen(owner))
