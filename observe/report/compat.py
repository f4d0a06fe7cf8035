"""Every fix this project applies to a third party's code, each scoped, each with its test.

- tinyhtml5 2.1 files its "characters until" patterns under the wrong key (a bug: see
  ``mend_tinyhtml5_pattern_cache``); the mend answers the misses, changing nothing else.
- WeasyPrint logs a refused resource as an error; while a report renders, ``weasyprint_quiet``
  drops its records (and only then, only its own).
- A full-screen app replaces ``sys.stderr`` with an object whose ``fileno()`` is -1, which
  multiprocessing's resource tracker would hand to its process; ``process_stderr`` puts the
  real one back for the moment the tracker starts.

tests/test_compat_report.py fails when an upgrade changes what one of these relies on.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["mend_tinyhtml5_pattern_cache", "process_stderr", "weasyprint_quiet"]

WEASYPRINT_LOGGERS = ("weasyprint", "weasyprint.progress")


class _PatternCache(dict[tuple[Any, bool], re.Pattern[str]]):
    """tinyhtml5's cache for its "characters until" patterns, filled under the right key.

    tinyhtml5 2.1 stores each pattern under the pattern itself (a chained assignment that
    rebinds ``characters`` before it is used as the key), so every lookup misses and the
    pattern is built again: about 1,700 times for one report. Answering the miss here builds
    the same pattern once.
    """

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        ranges = "".join(f"\\x{ord(c):02x}" for c in characters)
        pattern = self[key] = re.compile(f"[{'' if opposite else '^'}{ranges}]+")
        return pattern


def mend_tinyhtml5_pattern_cache() -> None:
    """Give tinyhtml5 a pattern cache that finds what it stored (once per process)."""
    try:
        from tinyhtml5 import inputstream
    except ImportError:  # pragma: no cover - a WeasyPrint without tinyhtml5
        return
    cache = getattr(inputstream, "characters_until_regex", None)
    if type(cache) is dict:  # a later tinyhtml5 that changed it is left alone
        inputstream.characters_until_regex = _PatternCache()


class _DropAll(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


_quiet_lock = threading.Lock()
_quiet_depth = 0
_drop = _DropAll()


@contextmanager
def weasyprint_quiet() -> Iterator[None]:
    """WeasyPrint's log records are dropped while this is open, and only WeasyPrint's.

    Refused resources are logged as errors; they are expected (untrusted notes may hold
    ``<img src=...>``) and must not write to a terminal running the app. Renders may overlap
    in threads, so the filter stays until the last of them is done.
    """
    global _quiet_depth
    with _quiet_lock:
        if _quiet_depth == 0:
            for name in WEASYPRINT_LOGGERS:
                logging.getLogger(name).addFilter(_drop)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                for name in WEASYPRINT_LOGGERS:
                    logging.getLogger(name).removeFilter(_drop)


def stderr_has_fileno() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        return False


@contextmanager
def process_stderr() -> Iterator[None]:
    """The process's own stderr as ``sys.stderr`` inside, when the current one has no file.

    Only for starting a helper process (which copies the descriptor); nothing is written
    through it. Where ``sys.stderr`` is a real file already, nothing changes.
    """
    if stderr_has_fileno() or sys.__stderr__ is None:
        yield
        return
    saved, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = saved
