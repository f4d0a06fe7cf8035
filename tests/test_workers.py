"""Background workers never take the app down: a failure is reported, in words, and the app
stays up. Every ``@work`` in the package is checked, so a new one cannot forget."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from observe.app.application import ObserveApp, make_app
from observe.app.workers import ReportsWorkerFailures
from observe.store.workspace import Workspace

PACKAGE = Path(__file__).resolve().parent.parent / "observe"


def is_work(deco: ast.expr) -> bool:
    target = deco.func if isinstance(deco, ast.Call) else deco
    if isinstance(target, ast.Attribute):
        return target.attr == "work"
    return isinstance(target, ast.Name) and target.id == "work"


def work_decorators() -> list[tuple[str, ast.ClassDef | None, ast.expr]]:
    """(where, enclosing class or None, decorator) for every ``@work`` in the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner = {
            id(item): node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            for item in node.body
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in filter(is_work, node.decorator_list):
                    where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"
                    found.append((where, owner.get(id(node)), deco))
    return found


def keyword(deco: ast.expr, name: str) -> ast.expr | None:
    if not isinstance(deco, ast.Call):
        return None
    return next((k.value for k in deco.keywords if k.arg == name), None)


def test_every_worker_reports_its_failure_instead_of_exiting() -> None:
    found = work_decorators()
    assert len(found) >= 7  # the search itself works
    for where, cls, deco in found:
        value = keyword(deco, "exit_on_error")
        assert isinstance(value, ast.Constant) and value.value is False, where
        title = keyword(deco, "name")
        assert isinstance(title, ast.Constant) and title.value, f"{where}: no name to report"
        assert cls is not None, f"{where}: a worker outside a screen or the app"
        # Worker state messages do not bubble: a screen must hand failures to the app.
        module = importlib.import_module(where.split(":")[0][:-3].replace("/", "."))
        owner = getattr(module, cls.name)
        assert issubclass(owner, ReportsWorkerFailures | ObserveApp), where


async def test_a_failing_worker_is_reported_and_the_app_stays_up(
    workspace: Workspace, monkeypatch
) -> None:
    import observe.services.sessions as sessions

    def broken(*args: object) -> list[object]:
        raise RuntimeError("the disk [b]caught[/b] fire")  # markup-looking text, shown as is

    monkeypatch.setattr(sessions, "listing_rows", broken)
    app = make_app(workspace)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        shown = ""
        for _ in range(100):
            await pilot.pause(0.05)
            shown = " ".join(str(t.render()) for t in app.screen.query("Toast"))  # as drawn
            if "failed" in shown:
                break
        assert "listing sessions failed" in shown.lower()
        assert "the disk [b]caught[/b] fire" in shown
        assert app.is_running and app.return_code is None
        monkeypatch.undo()
        await pilot.press("ctrl+q")
    assert app.return_code == 0


def test_no_two_exclusive_workers_of_one_screen_share_a_group() -> None:
    """``exclusive=True`` cancels every worker of its group on that screen: home's mix-ins
    (team, survey, rota) run beside its listing, so a shared group would cancel the listing
    read on return to home and leave a stale list."""
    by_class: dict[type, list[tuple[str, str]]] = {}
    for where, cls, deco in work_decorators():
        exclusive = keyword(deco, "exclusive")
        if not (isinstance(exclusive, ast.Constant) and exclusive.value is True):
            continue
        group = keyword(deco, "group")
        name = group.value if isinstance(group, ast.Constant) else "default"
        module = importlib.import_module(where.split(":")[0][:-3].replace("/", "."))
        assert cls is not None
        by_class.setdefault(getattr(module, cls.name), []).append((where, str(name)))
    screens = {c for c in by_class if hasattr(c, "__mro__")}
    checked = 0
    for screen in {sub for c in screens for sub in all_subclasses(c)} | screens:
        groups: dict[str, str] = {}
        for base in screen.__mro__:
            for where, group in by_class.get(base, []):
                assert group not in groups or groups[group] == where, (
                    f"{screen.__name__}: {where} and {groups.get(group)} share group {group!r}"
                )
                groups[group] = where
                checked += 1
    assert checked >= 3


def all_subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | all_subclasses(sub)
    return out
