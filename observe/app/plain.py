"""User text for the screen: shown as typed, never parsed as markup, control characters shown.

Names, titles, notes, regions, criteria and file names come from files that anyone may have
written. Widgets given a plain ``str`` (Static, DataTable cells, OptionList prompts, toasts)
parse it as markup, where ``[/]`` raises and ``[@click=...]`` would become an action, so user
text reaches them only as ``Text`` built here, or escaped here when it sits inside a markup
string of our own.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from observe.core.untrusted import escape_controls


def plain(text: object, style: str = "") -> Text:
    """``text`` on one line, literally: newlines and control characters shown as escapes."""
    return Text(escape_controls(str(text)), style=style, end="")


def plain_lines(text: object, style: str = "") -> Text:
    """``text`` literally, its newlines kept (a note, a summary, a message)."""
    return Text(escape_controls(str(text), newlines=True), style=style, end="")


def one_line(text: object) -> str:
    """A plain string on one line, newlines and control characters escaped (to shorten)."""
    return escape_controls(str(text))


def shown(text: object) -> str:
    """A plain string with its control characters escaped, for widgets that never parse
    markup (Static(markup=False), Content(...), a header)."""
    return escape_controls(str(text), newlines=True)


def styled(*parts: str | tuple[str, str]) -> Content:
    """Content from plain parts and (text, style) pairs: styled by us, the text never parsed.

    The way to show user text with emphasis; newlines kept, control characters escaped.
    """
    return Content.assemble(
        *((shown(p[0]), p[1]) if isinstance(p, tuple) else shown(p) for p in parts)
    )


def in_markup(text: object) -> str:
    """``text`` to put inside a markup string of our own: brackets escaped, controls shown.

    In Textual's markup a ``[`` after a backslash is literal (and only there is a backslash
    dropped), so escaping every ``[`` keeps any text exact. ``textual.markup.escape`` is not
    used: it leaves ``[$variable]`` and ``[B]`` tags alone and doubles backslashes. A text
    ending in a backslash would escape a tag put right after it: only use this where no tag
    follows (else build the line with ``styled``).
    """
    return escape_controls(str(text), newlines=True).replace("[", "\\[")


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the word for it: "1 session", "2 sessions", "1 delivery" with ``many`` given."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
