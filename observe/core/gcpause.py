"""``gc_paused()``: the cyclic garbage collector held off while a burst of work runs.

Rebuilding the index, counting ratings and laying out a PDF each make hundreds of thousands
of small objects, nearly none in cycles. The collector would walk them over and over while
they are made; held off, it runs once afterwards, when the next allocations trigger it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
