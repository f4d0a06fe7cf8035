"""Three workspaces on one machine as three people, and one team folder between them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from observe.cli.main import main

NAMES = {"a": "Asha Rahman", "b": "Tom Price", "c": "Siân O'Neil"}


def run(ws: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(main, ["--workspace", str(ws), *args])
    out = result.output + (result.stderr or "")
    assert result.exit_code == code, out
    assert "Traceback" not in out
    return result


@dataclass
class Team:
    folder: Path
    ws: dict[str, Path]

    def run(self, who: str, *args: str, code: int = 0) -> Result:
        return run(self.ws[who], *args, code=code)

    def member_id(self, who: str) -> str:
        from observe.store.team import keys

        identity = keys.load(self.ws[who])
        assert identity is not None
        return identity.member_id


def three(tmp_path: Path) -> Team:
    """A founded by a, joined by b and c, both admitted by a and holding version 3."""
    team = Team(tmp_path / "shared", {k: tmp_path / k for k in NAMES})
    team.run("a", "team", "init", str(team.folder), "--name", NAMES["a"])
    team.run("b", "team", "join", str(team.folder), "--name", NAMES["b"])
    team.run("c", "team", "join", str(team.folder), "--name", NAMES["c"])
    team.run("a", "team", "admit", NAMES["b"])
    team.run("a", "team", "admit", NAMES["c"])
    team.run("b", "team", "list")
    team.run("c", "team", "list")
    return team
