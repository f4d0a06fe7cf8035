"""Workspace resolution, private permissions, the headless core, and the packaged defaults."""

from __future__ import annotations

import filecmp
import json
import os
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import observe
from observe.cli.main import main
from observe.core.errors import UsageError
from observe.core.models import Framework
from observe.store.repository import Repository
from observe.store.workspace import DIR_MODE, FILE_MODE, Workspace, packaged_criteria, resolve
from tests.conftest import make_meta

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The platformdirs user data folder, moved somewhere harmless."""
    target = tmp_path / "user-data" / "observe"
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(target))
    monkeypatch.delenv("OBSERVE_HOME", raising=False)
    return target


def test_option_beats_environment_beats_cwd_beats_data_dir(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    option, env, cwd = tmp_path / "option", tmp_path / "env", tmp_path / "cwd"
    (cwd / "sessions").mkdir(parents=True)
    monkeypatch.setenv("OBSERVE_HOME", str(env))
    assert resolve(option, cwd=cwd).root == option.resolve()
    assert resolve(None, cwd=cwd).root == env.resolve()
    monkeypatch.delenv("OBSERVE_HOME")
    assert resolve(None, cwd=cwd).root == cwd.resolve()
    assert resolve(None, cwd=tmp_path / "elsewhere").root == data_dir
    # a folder holding criteria/ (and no sessions/) counts too
    (tmp_path / "crit" / "criteria").mkdir(parents=True)
    assert resolve(None, cwd=tmp_path / "crit").root == (tmp_path / "crit").resolve()


def test_the_data_dir_is_created_private_and_seeded(data_dir: Path, tmp_path: Path) -> None:
    ws = resolve(None, cwd=tmp_path)
    assert ws.root == data_dir
    for folder in (ws.root, ws.criteria_dir, ws.sessions_dir, ws.exports_dir, ws.state_dir):
        assert folder.stat().st_mode & 0o777 == DIR_MODE, folder
    seeded = sorted(p.name for p in ws.criteria_dir.glob("*.toml"))
    assert seeded == sorted(p.name for p in packaged_criteria().glob("*.toml"))
    for path in ws.criteria_dir.glob("*.toml"):
        assert path.stat().st_mode & 0o777 == FILE_MODE
    # Seeding never overwrites a user's own frameworks.
    own = ws.criteria_dir / "good-facilitation.toml"
    own.write_text("# mine\n")
    resolve(None, cwd=tmp_path)
    assert own.read_text() == "# mine\n"


def test_session_and_index_files_are_private(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    old_umask = os.umask(0o022)  # the usual, permissive default: 0600 must not rely on it
    try:
        session = repo.create(make_meta(), framework)
        session.close()
    finally:
        os.umask(old_umask)
    assert session.path.stat().st_mode & 0o777 == FILE_MODE
    result = CliRunner().invoke(main, ["-w", str(workspace.root), "sessions"])
    assert result.exit_code == 0
    assert workspace.index_path.stat().st_mode & 0o777 == FILE_MODE
    assert workspace.state_dir.stat().st_mode & 0o777 == DIR_MODE


def test_a_workspace_that_is_a_file_is_bad_usage(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError):
        resolve(tmp_path / "file")
    result = CliRunner().invoke(main, ["-w", str(tmp_path / "file"), "sessions"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1


def test_observe_home_is_used_by_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "OBSERVE_HOME": str(home)}
    observe_cmd = str(Path(sys.executable).with_name("observe"))
    done = subprocess.run(
        [observe_cmd, "sessions", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert (home / "criteria" / "good-facilitation.toml").is_file()


# ---------------------------------------------------------------- the headless core


def core_modules() -> list[str]:
    """Every module of the layers below the app: core, store, report and services."""
    package = Path(observe.__file__).parent
    names = []
    for sub in ("core", "store", "report", "services"):
        names.append(f"observe.{sub}")
        names += [f"observe.{sub}.{m.name}" for m in pkgutil.iter_modules([str(package / sub)])]
    return names


def test_the_core_never_imports_textual() -> None:
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"textual imported by the core: {done.stdout}"
    assert any(m.startswith("observe.store.") for m in modules)


def test_the_command_line_starts_without_textual_weasyprint_or_pydantic() -> None:
    """Each is a tenth of a second or more at every start (and before the app's first frame);
    a command that needs one imports it when it runs."""
    heavy = {"textual", "weasyprint", "pydantic", "jinja2"}
    code = (
        "import sys, observe.cli.main\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------- packaging


def test_the_packaged_defaults_are_the_repository_criteria() -> None:
    packaged = packaged_criteria()
    repo_criteria = ROOT / "criteria"
    names = sorted(p.name for p in repo_criteria.glob("*.toml"))
    assert names and sorted(p.name for p in packaged.glob("*.toml")) == names
    for name in names:
        assert filecmp.cmp(packaged / name, repo_criteria / name, shallow=False)


def test_the_wheel_force_includes_the_criteria() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"]["criteria"] == "observe/_criteria"
    # observe.store.workspace looks exactly there when installed
    assert Path(observe.__file__).parent / "_criteria" == (
        Path(observe.__file__).parent / wheel["force-include"]["criteria"].split("/", 1)[1]
    )
    assert "observe" in wheel["packages"]


def test_an_installed_layout_finds_its_packaged_criteria(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import observe.store.workspace as workspace_module

    fake_package = tmp_path / "site-packages" / "observe"
    (fake_package / "_criteria").mkdir(parents=True)
    (fake_package / "_criteria" / "x.toml").write_text("# packaged\n")
    monkeypatch.setattr(workspace_module, "__file__", str(fake_package / "store" / "workspace.py"))
    assert workspace_module.packaged_criteria() == fake_package / "_criteria"


def test_a_file_named_exports_stops_nothing_but_exporting(tmp_path: Path) -> None:
    """A stray file where exports/ belongs: listing still works; sessions/ as a file is one line."""
    ws = tmp_path / "ws"
    (ws / "sessions").mkdir(parents=True)
    (ws / "exports").write_text("not a folder")
    result = CliRunner().invoke(main, ["-w", str(ws), "sessions", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "sessions").write_text("not a folder")
    result = CliRunner().invoke(main, ["-w", str(broken), "sessions"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "sessions is a file, not a folder" in result.stderr
