"""`observe open` takes a session id, an id prefix or the path of a session file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from observe.cli import main as cli_main
from observe.core.models import Framework
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta


def test_a_path_keeps_its_case(tmp_path: Path, repo: Repository, framework: Framework) -> None:
    session = repo.create(make_meta(), framework)
    session.close()
    folder = tmp_path / "Team Drive" / "Wave B"
    folder.mkdir(parents=True)
    moved = folder / session.path.name.replace("asha", "ASHA")
    moved.write_bytes(session.path.read_bytes())
    assert repo.find(str(moved)) == moved
    assert repo.find(f"  {moved}  ") == moved
    assert repo.find(session.session.id.upper()[:8]) == session.path  # ids: any case


def test_observe_open_with_a_mixed_case_path(
    tmp_path: Path,
    workspace: Workspace,
    repo: Repository,
    framework: Framework,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = repo.create(make_meta(), framework)
    session.close()
    folder = tmp_path / "Elsewhere"
    folder.mkdir()
    target = folder / session.path.name
    target.write_bytes(session.path.read_bytes())
    opened: list[Any] = []

    def fake_run_app(ws: Workspace, **options: Any) -> None:
        opened.append(options["open_session"])
        options["open_session"].close()

    monkeypatch.setattr(cli_main, "run_app", fake_run_app)
    result = CliRunner().invoke(
        cli_main.main, ["--workspace", str(workspace.root), "open", str(target)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert [s.path for s in opened] == [target]
