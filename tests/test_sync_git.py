"""The cycle through a git remote: a bare repository on disk and one clone per person."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from observe.services.sync import run_sync, sync_status
from observe.store.team import gitsync
from observe.store.team import membership as ms
from tests import helpers_sync as h
from tests.helpers_team import NAMES, Team, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    env_args = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    done = subprocess.run(
        ["git", *env_args, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout


def clone(remote: Path, where: Path) -> Path:
    git(where.parent, "clone", "--quiet", str(remote), where.name)
    return where


def git_team(tmp_path: Path) -> tuple[Team, Path]:
    """a founds the team in a clone and pushes; b and c clone, join, and a admits them."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    folders = {who: clone(remote, tmp_path / f"clone-{who}") for who in NAMES}
    ws = {who: tmp_path / who for who in NAMES}
    team = Team(folders["a"], ws)
    run(ws["a"], "team", "init", str(folders["a"]), "--name", NAMES["a"])
    assert "pushed" in run(ws["a"], "sync").output
    for who in "bc":
        git(folders[who], "pull", "--quiet", "origin", "main")
        run(ws[who], "team", "join", str(folders[who]), "--name", NAMES[who])
        run(ws[who], "sync")  # waiting to be admitted: pushes the request all the same
    run(ws["a"], "sync")
    run(ws["a"], "team", "admit", NAMES["b"])
    run(ws["a"], "team", "admit", NAMES["c"])
    run(ws["a"], "sync")
    for who in "bc":
        run(ws[who], "sync")
    return team, remote


def test_the_cycle_through_a_bare_remote(tmp_path: Path) -> None:
    team, remote = git_team(tmp_path)
    sid = h.observe(team)
    h.share(team, "b", sid)
    report = h.sync(team, "b")
    assert report.published == 1 and "pushed" in report.git, report
    assert h.sync(team, "c").merged == 1
    h.answer(team, "c", sid)  # while the observer edits the summary
    h.summarise(team, "b", sid, "c")
    assert "pushed" in h.sync(team, "c").git
    assert h.sync(team, "b").merged == 1
    assert h.sync(team, "a").merged == 2
    h.sync(team, "c")
    c = team.member_id("c")
    for who in "abc":
        got = h.record(team, who, sid)
        assert got.response(c).reflection == h.REFLECTION, who
        assert got.summary(c).summary == h.SUMMARY_TEXT, who
    from observe.core.collate import Filters
    from observe.services.collation import gather_workspace

    assert gather_workspace(h.workspace(team, "a"), Filters(), ("wave",)).sessions == 1
    log = git(remote, "log", "--format=%an %s", "main")
    assert all(line.split()[0].startswith("m-") for line in log.splitlines())  # ids, no names
    assert not any(n.split()[0] in log for n in NAMES.values())
    for who in "bcabc":
        h.sync(team, who)
    trees = {git(tmp_path / f"clone-{w}", "rev-parse", "HEAD^{tree}") for w in "abc"}
    assert len(trees) == 1  # every clone holds the same files
    assert h.sync(team, "b").git == "git: up to date"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=tmp_path / "clone-b", capture_output=True, text=True
    )
    assert status.stdout == ""  # nothing left uncommitted


def test_a_rejected_push_is_pulled_and_retried(tmp_path: Path) -> None:
    team, remote = git_team(tmp_path)
    sid_b = h.observe(team, observer="b", facilitators=("c",))
    sid_c = h.observe(team, observer="c", facilitators=("b",))
    h.share(team, "b", sid_b)
    h.share(team, "c", sid_c)
    assert "pushed" in h.sync(team, "b").git
    report = h.sync(team, "c")  # behind b: the pull at the start brings b's commit first
    assert "pushed" in report.git and report.merged == 1
    # Now c commits while b pushes in between: c's push is rejected once, then goes.
    folder_c = ms.load(team.ws["c"]).folder
    repo = gitsync.detect(folder_c, team.member_id("c"))
    assert repo is not None
    from observe.store.repository import Repository

    with Repository(h.workspace(team, "b")).open(h.path_of(team, "b", sid_b)) as session:
        session.update(meta=session.session.meta.model_copy(update={"title": "Module 4"}))
    h.sync(team, "b")
    (folder_c / "members" / team.member_id("c") / "extra").mkdir()
    (folder_c / "members" / team.member_id("c") / "extra" / "x").write_text("x")
    assert gitsync.commit_own(repo)
    assert gitsync.push(repo) == 2  # rejected (b pushed), pulled (a merge commit), pushed
    tree = git(remote, "ls-tree", "-r", "--name-only", "main")
    assert f"members/{team.member_id('c')}/extra/x" in tree.splitlines()
    assert h.sync(team, "a").merged == 2
    assert h.record(team, "a", sid_b).session.meta.title == "Module 4"


def test_a_git_failure_is_one_line_and_loses_nothing(tmp_path: Path) -> None:
    team, remote = git_team(tmp_path)
    sid = h.observe(team)
    h.share(team, "b", sid)
    moved = remote.with_name("gone.git")
    remote.rename(moved)
    report = h.sync(team, "b")
    assert report.published == 1
    assert report.git.count("\n") == 0 and "git" in report.git and "failed" in report.git
    status = sync_status(h.workspace(team, "b"))
    assert "not pushed" in status.git
    moved.rename(remote)
    report = h.sync(team, "b")
    assert "pushed 1 commit" in report.git, report
    assert h.sync(team, "c").merged == 1


def test_a_folder_that_is_not_a_git_clone_syncs_without_git(tmp_path: Path) -> None:
    from tests.helpers_team import three

    team = three(tmp_path)
    sid = h.observe(team)
    h.share(team, "b", sid)
    assert h.sync(team, "b").git == ""
    assert run_sync(h.workspace(team, "c")).merged == 1


def test_a_team_folder_inside_a_larger_repository_is_not_committed(tmp_path: Path) -> None:
    """A home folder kept in git holds the team folder: its history is not sync's to change."""
    from tests.helpers_team import Team

    home = tmp_path / "home"
    home.mkdir()
    remote = tmp_path / "dotfiles.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    git(home, "init", "--quiet", "-b", "main")
    git(home, "remote", "add", "origin", str(remote))
    team = Team(home / "team", {w: tmp_path / w for w in NAMES})
    run(team.ws["a"], "team", "init", str(team.folder), "--name", NAMES["a"])
    assert h.sync(team, "a").git == ""
    assert git(home, "status", "--porcelain").strip() == "?? team/"
