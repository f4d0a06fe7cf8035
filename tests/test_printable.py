"""Text in every PDF reads in the order it was typed, and nothing prints as an empty box."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from observe.report.feedback import STYLESHEET
from observe.report.printable import _font_coverage, printable
from observe.report.render import render_pdf
from tests.helpers_report import flat, pdf_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _page(body: str) -> str:
    return f'<html lang="en-GB"><head><title>t</title></head><body><p>{body}</p></body></html>'


def test_bidi_override_is_shown_and_the_text_keeps_its_typed_order() -> None:
    assert printable("abc\u202eexe.live") == "abc⟨U+202E⟩exe.live"
    assert printable("a\u2067b\u2069c") == "a⟨U+2067⟩b⟨U+2069⟩c"
    assert printable("x\u200fy\u200ez\u061c") == "xyz"  # marks: invisible, dropped
    text = flat(pdf_text(render_pdf(_page("abc\u202eexe.live"), STYLESHEET)))
    assert "abc⟨U+202E⟩exe.live" in text
    assert "evil" not in text


def test_control_characters_are_shown_not_swallowed() -> None:
    assert printable("a\x00b\x07c\x1bd\x7fe\x85") == (
        "a⟨U+0000⟩b⟨U+0007⟩c⟨U+001B⟩d⟨U+007F⟩e⟨U+0085⟩"
    )
    assert printable("tab\there\nnew line\r\n") == "tab\there\nnew line\r\n"


def test_emoji_without_a_glyph_print_as_their_names() -> None:
    assert printable("A warm close 🙂👍🏽") == (
        "A warm close [slightly smiling face][thumbs up sign]"
    )
    assert printable("⭐") == "[white medium star]"
    assert printable("👨\u200d💻") == "[man][personal computer]"
    assert printable("🇬🇧") == "[flag GB]"
    # DejaVu draws these: they print as themselves, without the emoji variation selector.
    assert printable("✓ ☕ ❤\ufe0f") == "✓ ☕ ❤"
    text = pdf_text(render_pdf(_page("A warm close 🙂 and a smile ⭐"), STYLESHEET))
    assert "[slightly smiling face]" in text and "[white medium star]" in text


def test_ordinary_text_passes_unchanged() -> None:
    for text in ("مرحبا بالجميع", "שלום לכולם", "naïve café – “quoted” → ok", "<p>&amp;</p>"):
        assert printable(text) == text


_special = st.sampled_from([*BIDI, "\x00", "\x1b", "\x9b", "🙂", "👍🏽", "⭐", "🇬🇧"])


@given(st.lists(st.one_of(st.text(max_size=8), _special), max_size=12).map("".join))
def test_nothing_invisible_or_reordering_survives(text: str) -> None:
    out = printable(text)
    assert not set(out) & set(BIDI)
    assert all(c in "\t\n\r" or unicodedata.category(c) != "Cc" for c in out), (
        "a control character got through"
    )
    # a pictograph prints as itself only where the body font has its glyph
    covered = _font_coverage()
    assert all(ord(c) in covered for c in out if 0x1F300 <= ord(c) <= 0x1FAFF)
    assert not set(out) & set("<>&\"'") - set(text)  # safe on escaped HTML
    assert printable(out) == out
