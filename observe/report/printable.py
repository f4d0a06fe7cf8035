"""Text as a reader of the PDF should see it: in the order it was typed, with nothing blank.

Applied by ``render_pdf`` to the whole HTML, so every PDF (feedback, collated) gets it.

- Bidi embeddings, overrides and isolates (U+202A-E, U+2066-9) are shown as ``⟨U+202E⟩``: an
  override in a note would otherwise make "evil.exe" print as "exe.live". Bidi marks
  (U+200E, U+200F, U+061C) are invisible and reorder only neutral characters nearby; they
  are dropped.
- Control characters (C0 but tab, newline and carriage return; DEL; C1) are shown the same
  way, rather than printed as nothing or as a box.
- Emoji that the report's font has no glyph for print as their names, ``[slightly smiling
  face]``: the machines this runs on have DejaVu, which has no colour emoji, and a missing
  glyph prints as an empty box. Skin-tone modifiers, variation selectors and the joiners
  inside an emoji sequence are dropped with them.

Nothing here adds ``<``, ``&`` or a quote mark, so it is safe on escaped HTML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

__all__ = ["printable"]

FONT = "DejaVu Sans"  # the reports' body font (feedback.css, collated.css)

_BIDI_SHOWN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_DROPPED = "\u200e\u200f\u061c"
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_CONTROLS += "".join(chr(c) for c in range(0x7F, 0xA0))

# Pictographic characters: where emoji live. A character here prints as itself only when
# the font has it (DejaVu has ☕ and ❤, not ⭐ or 🙂).
_PICTOGRAPHS = (
    "\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_MODIFIERS = "\U0001f3fb-\U0001f3ff\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f"
_FLAG = "\U0001f1e6-\U0001f1ff"  # regional indicators: two make a flag
_SPECIAL = re.compile(
    f"[{_BIDI_SHOWN}{_BIDI_DROPPED}{_CONTROLS}]"
    f"|[{_FLAG}]{{2}}"
    f"|[{_PICTOGRAPHS}][{_MODIFIERS}]*(?:\u200d[{_PICTOGRAPHS}][{_MODIFIERS}]*)*"
)


def _code(char: str) -> str:
    return f"⟨U+{ord(char):04X}⟩"


def _name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}").lower()


@cache
def _font_coverage() -> frozenset[int]:
    """The code points the body font has glyphs for (empty when it cannot be found)."""
    path = _font_file()
    if path is None:
        return frozenset()
    try:
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable font: name every pictograph, as if it had none
        return frozenset()


def _font_file() -> Path | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, "--format=%{file}", FONT], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found and Path(found).is_file() else None


def _replace(match: re.Match[str]) -> str:
    found = match.group()
    first = found[0]
    if first in _BIDI_DROPPED:
        return ""
    if first in _BIDI_SHOWN or first in _CONTROLS:
        return _code(first)
    # An emoji, perhaps a sequence joined by U+200D: its pictographs, named unless the font
    # has them and it is a single character.
    if len(found) == 2 and all(_FLAGS.fullmatch(c) for c in found):
        return "[flag " + "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in found) + "]"
    pictographs = [c for c in found if _PICTO.fullmatch(c) and not _MODIFIER.fullmatch(c)]
    covered = _font_coverage()
    if len(pictographs) == 1 and ord(first) in covered:
        return first
    return "".join(f"[{_name(c)}]" for c in pictographs)


_PICTO = re.compile(f"[{_PICTOGRAPHS}]")
_MODIFIER = re.compile(f"[{_MODIFIERS}]")
_FLAGS = re.compile(f"[{_FLAG}]")


def printable(text: str) -> str:
    """``text`` with bidi controls and control characters made visible and emoji named."""
    return _SPECIAL.sub(_replace, text)
