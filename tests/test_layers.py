"""The package's folders are layers: each imports only the layers below it.

core < store < report < services < app < cli. Read from the source (every import statement,
including those inside functions), so a lazy import cannot hide a reach upwards.
"""

from __future__ import annotations

import ast
from pathlib import Path

import observe

PACKAGE = Path(observe.__file__).parent
ORDER = ["core", "store", "report", "services", "app", "cli"]


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "observe":
                names += [f"observe.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return {n.split(".")[1] for n in names if n.startswith("observe.") and n.count(".") >= 1}


def test_every_module_lives_in_a_layer() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert loose == []


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for rank, layer in enumerate(ORDER):
        allowed = set(ORDER[: rank + 1])
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for used in imported_layers(path) - allowed:
                wrong.append(f"{path.relative_to(PACKAGE)} imports observe.{used}")
    assert wrong == []


def test_the_rule_sees_a_lazy_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from observe.app.screens.home import HomeScreen\n")
    assert imported_layers(module) == {"app"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


APP = "app"  # the whole app: screens, widgets, dialogs, the App and its durability


def reaches_into_storage(path: Path) -> list[str]:
    return sorted(
        n for n in imported_modules(path) if n == "observe.store" or n.startswith("observe.store.")
    )


def test_the_app_reaches_storage_only_through_owners_and_services() -> None:
    wrong = []
    paths = sorted((PACKAGE / APP).rglob("*.py"))
    assert PACKAGE / APP / "durable.py" in paths and PACKAGE / APP / "application.py" in paths
    for path in paths:
        name = path.relative_to(PACKAGE)
        wrong += [f"{name} imports {n}" for n in reaches_into_storage(path)]
    assert wrong == []


def test_the_storage_rule_sees_every_form_of_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import observe.store.files\n"
        "from observe import store\n"
        "def f():\n    from observe.store.importer import settle\n"
    )
    assert reaches_into_storage(module) == [
        "observe.store",
        "observe.store.files",
        "observe.store.importer",
        "observe.store.importer.settle",
    ]
