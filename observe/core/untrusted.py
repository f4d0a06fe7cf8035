"""User text made harmless for the place it is shown: a terminal, a JSON text, a spreadsheet.

Text from a session file, a bundle or a framework is shown as typed, never interpreted:
- ``escape_controls``: control characters (C0, DEL, C1), line and paragraph separators and
  the bidi controls that reorder what a reader sees become visible escapes (``\\x1b``,
  ``\\u202e``), so no terminal sequence runs and no text is shown out of order;
- ``json_text``: JSON whose strings carry those characters as ``\\uXXXX`` escapes, so the
  data decode the same and printing the JSON runs nothing;
- ``spreadsheet_cell``: a cell a spreadsheet program reads as text, never as a formula
  (OWASP's rule for CSV injection: a cell starting ``=``, ``+``, ``-``, ``@``, tab or CR gets a
  leading ``'``); numbers pass through as numbers. Every CSV and workbook writer uses it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

# C0 but newline, DEL, C1; U+061C ARABIC LETTER MARK, U+200E/F LRM/RLM, U+2028/9 line and
# paragraph separators, U+202A-E embeddings and overrides, U+2066-9 isolates.
_CONTROLS = "\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROLS}\n]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[{_CONTROLS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape; newlines kept if asked."""
    pattern = _UNSAFE_BUT_NEWLINE if newlines else _UNSAFE
    return pattern.sub(_escape, text)


def has_controls(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """``json.dumps`` with non-ASCII kept readable but every control character escaped.

    The encoder escapes C0 already; DEL, C1 and the bidi controls it leaves raw. Outside
    strings JSON has only ASCII punctuation and whitespace, so escaping them is safe.
    """
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _UNSAFE_BUT_NEWLINE.sub(_json_escape, text)


def spreadsheet_cell(value: Any) -> Any:
    """A cell that a spreadsheet shows as the text it is; non-text values pass unchanged.

    Only text is neutralised: a number written as a number (a change of -0.5) stays a number.
    Control characters are escaped (newlines kept: a quoted CSV cell may hold them).
    """
    if not isinstance(value, str):
        return value
    text = escape_controls(value, newlines=True)
    if value.startswith(FORMULA_START) or text.startswith(FORMULA_START):
        return "'" + text
    return text


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    return [spreadsheet_cell(v) for v in values]
