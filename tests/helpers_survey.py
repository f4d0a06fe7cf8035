"""A team of a lead and six members, one workspace each, and a round of the default survey."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers_team import Team

LEAD = "Asha Rahman"
MEMBERS = ["Tom Price", "Siân O'Neil", "Kofi Mensah", "Ewa Nowak", "Priya Shah", "Dan Hughes"]
OPENS, CLOSES = date(2026, 3, 1), date(2026, 3, 14)
DURING, AFTER = date(2026, 3, 5), date(2026, 3, 15)


def seven(tmp_path: Path) -> Team:
    """The lead ``lead`` founded the team; ``m0``..``m5`` joined and were admitted."""
    who = ["lead"] + [f"m{i}" for i in range(len(MEMBERS))]
    team = Team(tmp_path / "shared", {k: tmp_path / k for k in who})
    team.run("lead", "team", "init", str(team.folder), "--name", LEAD)
    for i, name in enumerate(MEMBERS):
        team.run(f"m{i}", "team", "join", str(team.folder), "--name", name)
    for name in MEMBERS:
        team.run("lead", "team", "admit", name)
    for i in range(len(MEMBERS)):
        team.run(f"m{i}", "team", "list")
    return team


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch):
    """The commands' today, set by the test: ``pinned_today(day)``."""
    import observe.cli.survey as cli

    def pin(day: date) -> None:
        monkeypatch.setattr(cli, "today", lambda: day)

    return pin
