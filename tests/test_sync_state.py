"""What sync remembers between runs: nothing unchanged is read or written again, and losing
the record costs time only."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from observe.store import files
from observe.store.repository import Repository
from observe.store.team import syncstate
from tests import helpers_sync as h
from tests.helpers_team import Team, three


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return three(tmp_path)


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in root.rglob("*")
        if p.is_file() and "sync" not in p.name
    }


def settled(team: Team) -> str:
    sid = h.observe(team)
    h.share(team, "b", sid)
    for who in "bcabca":
        h.sync(team, who)
    return sid


def test_losing_the_sync_record_rewrites_nothing(team: Team) -> None:
    settled(team)
    folder = stamps(team.folder)
    sessions = {who: stamps(team.ws[who] / "sessions") for who in "abc"}
    for who in "abc":
        for name in (syncstate.FILE, syncstate.DETAIL_FILE):
            (team.ws[who] / ".observe" / name).unlink()
    for who in "abc":
        report = h.sync(team, who)
        assert (report.published, report.merged, report.refused) == (0, 0, 0), report
    assert stamps(team.folder) == folder
    assert {who: stamps(team.ws[who] / "sessions") for who in "abc"} == sessions


def test_a_sync_with_nothing_new_does_not_read_the_per_file_record(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    settled(team)
    sessions = team.ws["a"] / "sessions"
    old = time.time() - 60
    os.utime(sessions, (old, old))  # long enough ago for its mtime to be trusted
    h.sync(team, "a")  # lists once more (the folder's mtime moved), then trusts it

    def refuse(*_args: object) -> None:
        raise AssertionError("read the per-file record or listed the sessions")

    monkeypatch.setattr(syncstate, "_load_detail", refuse)
    monkeypatch.setattr(files, "session_files", refuse)
    report = h.sync(team, "a")
    assert report.messages == () and report.merged == 0


def test_an_edit_after_a_trusted_listing_is_still_published(team: Team) -> None:
    sid = settled(team)
    sessions = team.ws["b"] / "sessions"
    old = time.time() - 60
    os.utime(sessions, (old, old))
    h.sync(team, "b")
    with Repository(h.workspace(team, "b")).open(h.path_of(team, "b", sid)) as session:
        session.put_summary(team.member_id("c"), summary=h.SUMMARY_TEXT)
    assert h.sync(team, "b").published == 1
    assert h.sync(team, "c").merged == 1


def test_a_published_file_that_went_missing_is_written_again(team: Team) -> None:
    sid = settled(team)
    [path] = list((team.folder / "members" / team.member_id("b") / "sessions").iterdir())
    assert path.name == f"{sid}.age"
    path.unlink()
    assert h.sync(team, "b").published == 1
    assert path.exists()
    assert h.sync(team, "c").merged == 0  # the same content, sealed anew: nothing to merge


def test_a_record_of_another_member_is_not_trusted(team: Team) -> None:
    settled(team)
    state_a = team.ws["a"] / ".observe"
    state_c = team.ws["c"] / ".observe"
    for name in (syncstate.FILE, syncstate.DETAIL_FILE):
        (state_c / name).write_bytes((state_a / name).read_bytes())
    report = h.sync(team, "c")
    assert report.refused == 0 and report.published == 0


def test_a_folder_that_lists_in_another_order_costs_time_only(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders are fingerprinted in the order the directory lists them. A file system that
    lists an unchanged folder in a new order makes sync look at each file's stat again:
    nothing is merged, published or written."""
    sid = settled(team)
    h.share(team, "b", h.observe(team))  # two sessions, so there is an order to change
    for who in "bcabca":
        h.sync(team, who)
    folder = stamps(team.folder)
    real = os.scandir

    class Reversed(list):  # a listing as os.scandir gives it, last entry first
        def __enter__(self) -> Reversed:
            return self

        def __exit__(self, *_exc: object) -> None:
            return None

    def reversed_listing(*args: object) -> Reversed:
        with real(*args) as entries:  # type: ignore[call-overload]
            return Reversed(reversed(list(entries)))

    monkeypatch.setattr(os, "scandir", reversed_listing)
    for who in "abc":
        report = h.sync(team, who)
        assert (report.published, report.merged, report.refused) == (0, 0, 0), report
    assert stamps(team.folder) == folder
    assert sid in {p.name.removesuffix(".age") for p in team.folder.rglob("*.age")}
