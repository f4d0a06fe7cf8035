"""The third-party fixes in observe/report/compat.py: each still needed, each scoped.

A failure here after an upgrade means the fix may be obsolete or may no longer fit: read the
fix's docstring, then change or remove it.
"""

from __future__ import annotations

import io
import logging
import re
import sys
from typing import Any

import pytest

from observe.report import compat


def _chars_until(cache: dict[Any, Any]) -> dict[Any, Any]:
    """Run tinyhtml5's charsUntil twice on a fresh stream with ``cache``; the cache after."""
    from tinyhtml5 import inputstream

    saved = inputstream.characters_until_regex
    inputstream.characters_until_regex = cache
    try:
        for _ in range(2):
            stream = inputstream.HTMLUnicodeInputStream("abc<def")
            assert stream.chars_until("<") == "abc"
    finally:
        inputstream.characters_until_regex = saved
    return cache


def test_tinyhtml5_still_files_patterns_under_the_wrong_key() -> None:
    """The bug the mend is for: a plain dict ends up keyed by the compiled pattern."""
    cache = _chars_until({})
    keys = [key for key, _ in cache]
    assert keys and all(isinstance(key, re.Pattern) for key in keys), (
        "tinyhtml5 files its patterns correctly now: remove mend_tinyhtml5_pattern_cache"
    )
    assert ("<", False) not in cache  # so every call misses and builds it again


def test_the_mended_cache_builds_each_pattern_once_under_its_characters() -> None:
    cache = _chars_until(compat._PatternCache())
    assert list(cache) == [("<", False)]


def test_the_mend_replaces_only_a_plain_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    from tinyhtml5 import inputstream

    monkeypatch.setattr(inputstream, "characters_until_regex", {})
    compat.mend_tinyhtml5_pattern_cache()
    assert type(inputstream.characters_until_regex) is compat._PatternCache
    other = compat._PatternCache()
    monkeypatch.setattr(inputstream, "characters_until_regex", other)
    compat.mend_tinyhtml5_pattern_cache()
    assert inputstream.characters_until_regex is other


def test_weasyprint_still_logs_to_the_loggers_the_filter_sits_on() -> None:
    from weasyprint import logger

    assert {logger.LOGGER.name, logger.PROGRESS_LOGGER.name} == set(compat.WEASYPRINT_LOGGERS)


def test_weasyprint_is_quiet_only_inside_the_block() -> None:
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    root = logging.getLogger()
    handler = Keep()
    root.addHandler(handler)
    try:
        log = logging.getLogger("weasyprint")
        with compat.weasyprint_quiet():
            with compat.weasyprint_quiet():  # overlapping renders
                log.error("inner")
            log.error("still inside")
            logging.getLogger("observe").error("not weasyprint")
        log.error("after")
    finally:
        root.removeHandler(handler)
    assert seen == ["not weasyprint", "after"]
    assert log.propagate and not log.filters


def test_process_stderr_swaps_only_a_stderr_without_a_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class NoFile(io.StringIO):
        def fileno(self) -> int:
            return -1  # what Textual's capture object answers

    fake = NoFile()
    monkeypatch.setattr(sys, "stderr", fake)
    with compat.process_stderr():
        assert sys.stderr is sys.__stderr__
    assert sys.stderr is fake
    real = open(__file__)  # noqa: SIM115 - any object with a real descriptor
    try:
        monkeypatch.setattr(sys, "stderr", real)
        with compat.process_stderr():
            assert sys.stderr is real
    finally:
        real.close()
