"""``Debounce``: run something once typing (or any burst of changes) has paused.

One timer per pause, not one per keystroke: a poke only notes the time, and the timer, when
it fires early because more came in, waits again for what is left of the pause.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Debounce:
    """Call ``action`` once ``delay`` seconds have passed since the last ``poke()``.

    Timers belong to ``owner`` (a screen or widget): they stop when it is removed. ``flush()``
    runs a pending call at once (on leaving, on Enter); ``cancel()`` drops it.
    """

    def __init__(
        self,
        owner: MessagePump,
        delay: float,
        action: Callable[[], object],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.owner = owner
        self.delay = delay
        self.action = action
        self.clock = clock
        self._last = 0.0
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def poke(self) -> None:
        self._last = self.clock()
        if self._timer is None:
            self._timer = self.owner.set_timer(self.delay, self._due)

    def flush(self) -> bool:
        """Run the pending call now; whether there was one."""
        if self._timer is None:
            return False
        self.cancel()
        self.action()
        return True

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _due(self) -> None:
        left = self.delay - (self.clock() - self._last)
        if left > 0.001:  # poked again meanwhile: wait out the rest of the pause
            self._timer = self.owner.set_timer(left, self._due)
            return
        self._timer = None
        self.action()
