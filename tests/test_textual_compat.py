"""Textual beyond its public API only in observe/app/textual_compat.py, and each use there
still does what it is for. A failure after a Textual upgrade: read the workaround's docstring
in textual_compat.py, then change or remove it."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import textual
from textual.app import App
from textual.dom import DOMNode
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input

import observe.app
from observe.app import textual_compat
from observe.app.textual_compat import FixedColumnsDataTable, QuickInput

APP = Path(observe.app.__file__).parent
COMPAT = APP / "textual_compat.py"
# Uses not yet moved here (none: the open sessions are written on the way out from the App's
# public on_unmount, which runs after a quit, a signal and an unhandled exception alike).
NOT_YET_MOVED: dict[str, set[str]] = {}

STDLIB = {"os", "sys"}  # os._exit is Python's, not Textual's
PRIVATE = re.compile(r"(?<![\w.])_[a-z]\w*")


def _private_names_of(cls: type) -> set[str]:
    """The private names a Textual class and its Textual bases define or set on ``self``."""
    names: set[str] = set()
    for base in cls.__mro__:
        if not base.__module__.startswith("textual"):
            continue
        names |= {n for n in base.__dict__ if PRIVATE.fullmatch(n)}
        try:
            source = inspect.getsource(base)
        except (OSError, TypeError):
            continue
        names |= set(re.findall(r"self\.(_[a-z]\w*)", source))
    return names


def _textual_private_names() -> set[str]:
    """Every private name set on ``self`` or defined in a class anywhere in Textual."""
    names: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"self\.(_[a-z]\w*)", text))
        names |= set(re.findall(r"^[ \t]+def (_[a-z]\w*)", text, re.M))
    return names


def _observe_own_names() -> set[str]:
    """Private names observe defines itself (functions, methods, attributes it assigns)."""
    names: set[str] = set()
    for path in Path(observe.app.__file__).parent.parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return {n for n in names if PRIVATE.fullmatch(n)}


def _app_modules() -> list[object]:
    modules = []
    for info in pkgutil.walk_packages([str(APP)], "observe.app."):
        modules.append(importlib.import_module(info.name))
    return modules


def _allowed(path: Path) -> set[str]:
    return NOT_YET_MOVED.get(path.name, set()) if path.parent == APP else set()


def test_no_private_textual_attribute_is_reached_outside_the_compat_module() -> None:
    """``x._name`` where ``_name`` is Textual's and observe never defines it."""
    textual_only = _textual_private_names() - _observe_own_names()
    found = []
    for path in sorted(APP.parent.rglob("*.py")):
        if path == COMPAT:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in textual_only
                and node.attr not in _allowed(path)
                and not (isinstance(node.value, ast.Name) and node.value.id in STDLIB)
            ):
                found.append(f"{path}:{node.lineno} .{node.attr}")
    assert not found, found


def test_no_class_overrides_or_sets_a_private_textual_name_outside_the_compat_module() -> None:
    """A subclass of a Textual class defining ``_name`` that a Textual base has already."""
    found = []
    for module in _app_modules():
        if module is textual_compat:
            continue
        for cls in vars(module).values():
            if not (
                inspect.isclass(cls)
                and cls.__module__ == module.__name__  # type: ignore[attr-defined]
                and issubclass(cls, DOMNode | App)
            ):
                continue
            theirs = _private_names_of(cls)
            source = inspect.getsource(cls)
            ours = set(re.findall(r"^\s+(?:async\s+)?def (_[a-z]\w*)", source, re.M))
            ours |= set(re.findall(r"^    (_[a-z]\w*)\s*[:=]", source, re.M))
            ours |= set(re.findall(r"self\.(_[a-z]\w*)\s*(?::[^=\n]*)?=(?!=)", source))
            path = Path(inspect.getfile(cls))
            clash = (ours & theirs) - _allowed(path)
            if clash:
                found.append(f"{cls.__qualname__}: {sorted(clash)}")
    assert not found, found


def test_the_compat_module_lists_the_private_names_it_uses() -> None:
    text = COMPAT.read_text(encoding="utf-8")
    used = set(re.findall(r"\.(_[a-z]\w*)", text)) | set(re.findall(r"def (_[a-z]\w*)", text))
    assert used == set(textual_compat.PRIVATE_NAMES)


# ---------------------------------------------------------------- each workaround still fits


def test_datatable_still_measures_new_rows_in_update_dimensions() -> None:
    params = list(inspect.signature(DataTable._update_dimensions).parameters)
    assert params == ["self", "new_rows"]
    assert "content_width" in inspect.getsource(DataTable._update_dimensions)


async def test_the_fixed_columns_table_keeps_the_widths_it_was_given() -> None:
    class One(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield FixedColumnsDataTable()

    async with One().run_test() as pilot:
        table = pilot.app.query_one(FixedColumnsDataTable)
        table.add_column("name", width=4, key="name")
        table.add_rows([("a much longer name than four",)] * 3)
        await pilot.pause()
        assert table.row_count == 3
        assert table.columns["name"].get_render_width(table) == 4 + 2 * table.cell_padding
        assert table.columns["name"].content_width == len("name")  # only the label measured


def test_textual_still_declares_the_scroll_extent_a_layout_change() -> None:
    """The reason QuickInput redeclares it: if Textual stops, the redeclaration can go."""
    declared = Widget.__dict__["virtual_size"]
    assert isinstance(declared, Reactive) and declared._layout
    assert isinstance(QuickInput.__dict__["virtual_size"], Reactive)
    assert not QuickInput.__dict__["virtual_size"]._layout


def test_input_still_keeps_its_inline_suggestion_in_a_private_reactive() -> None:
    assert isinstance(Input.__dict__["_suggestion"], Reactive)
    assert "_suggestion" in inspect.getsource(Input.render_line)  # it is what is drawn
    assert "_suggestion" in inspect.getsource(Input._watch_value)  # cleared per keystroke


async def test_the_inline_suggestion_is_drawn_and_taken_with_the_right_arrow() -> None:
    class One(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield QuickInput()

    async with One().run_test() as pilot:
        box = pilot.app.query_one(QuickInput)
        box.focus()
        await pilot.press("a", "b")
        box.inline_suggestion = "abcdef"
        await pilot.pause()
        assert "abcdef" in "".join(s.text for s in box.render_line(0))
        await pilot.press("right")
        assert box.value == "abcdef"


async def test_the_palette_key_of_a_compact_footer_still_has_its_class() -> None:
    """COMPAT_CSS aims at FooterKey.-command-palette."""

    class One(App[None]):
        CSS = textual_compat.COMPAT_CSS

        def compose(self):  # type: ignore[no-untyped-def]
            yield Footer(compact=True)

    async with One().run_test() as pilot:
        await pilot.pause()
        keys = pilot.app.query("FooterKey.-command-palette")
        assert len(keys) == 1
        assert keys.first().styles.margin.right == 0
