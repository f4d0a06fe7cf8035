"""The observation cycle through one team folder: a lead (a), an observer (b) and a
facilitator (c), three workspaces on one machine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from observe.core.collate import Filters
from observe.core.models import Status
from observe.services.collation import gather_workspace
from observe.services.sync import run_sync, sync_status
from observe.store.team import keys
from observe.store.team.membership import path_of as membership_path
from observe.store.workspace import Workspace
from tests import helpers_sync as h
from tests.helpers_team import Team, three


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return three(tmp_path)


def sealed_files(team: Team) -> list[Path]:
    return sorted(p for p in (team.folder / "members").rglob("*.age") if "/sessions/" in str(p))


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in root.rglob("*")
        if p.is_file() and "sync.lock" not in p.name
    }


def test_a_shared_session_reaches_its_facilitator_and_the_lead(team: Team) -> None:
    sid = h.observe(team)
    report = h.sync(team, "b")
    assert report.published == 1 and "sealed to 1 reader" in report.messages[0]
    for who in "ca":  # in progress: the observer's own backup, nobody else's to read
        assert h.sync(team, who).merged == 0 and not h.has(team, who, sid)
    h.share(team, "b", sid)
    report = h.sync(team, "b")
    assert report.published == 1 and "sealed to 3 readers" in report.messages[0]
    for who in "ca":
        assert h.sync(team, who).merged == 1
        got = h.record(team, who, sid)
        assert got.session.status is Status.SHARED
        assert h.NOTE_TEXT in [n.text for n in got.notes]
        assert got.ratings[0].comment == "clear framing"
    collation = gather_workspace(h.workspace(team, "a"), Filters(), ("wave",))
    assert collation.sessions == 1


def test_a_second_sync_with_nothing_new_reads_and_writes_nothing(team: Team) -> None:
    sid = h.observe(team)
    h.share(team, "b", sid)
    for who in "bcabca":
        h.sync(team, who)
    before = {who: stamps(team.ws[who] / "sessions") for who in "abc"}
    folder = stamps(team.folder)
    for who in "abc":
        report = h.sync(team, who)
        assert (report.published, report.merged, report.unchanged) == (0, 0, 0), report
        assert report.messages == ()
    assert stamps(team.folder) == folder
    assert {who: stamps(team.ws[who] / "sessions") for who in "abc"} == before


def test_an_edit_is_published_once_and_merged_once(team: Team) -> None:
    sid = h.observe(team)
    h.share(team, "b", sid)
    for who in "bca":
        h.sync(team, who)
    from observe.store.repository import Repository

    with Repository(h.workspace(team, "b")).open(h.path_of(team, "b", sid)) as session:
        session.put_summary(team.member_id("c"), summary=h.SUMMARY_TEXT)
    assert h.sync(team, "b").published == 1
    assert h.sync(team, "b").published == 0
    assert h.sync(team, "c").merged == 1
    got = h.record(team, "c", sid).summary(team.member_id("c"))
    assert got.summary == h.SUMMARY_TEXT
    assert h.sync(team, "c").merged == 0


def test_the_observers_other_device_gets_the_session_in_progress(
    team: Team, tmp_path: Path
) -> None:
    sid = h.observe(team)
    h.sync(team, "b")
    laptop = tmp_path / "b-laptop"
    laptop.mkdir()
    shutil.copytree(team.ws["b"] / keys.KEYS_DIR, laptop / keys.KEYS_DIR)
    shutil.copy(membership_path(team.ws["b"]), membership_path(laptop))
    ws = Workspace(laptop).ensure(seed=True)
    report = run_sync(ws)
    assert report.merged == 1, report
    assert any(p.name.endswith(f"{sid[:8]}.json") for p in ws.sessions_dir.iterdir())
    assert run_sync(ws).published == 0  # the same documents: nothing sealed again


def test_status_says_what_waits_and_what_arrived_and_changes_nothing(team: Team) -> None:
    sid = h.observe(team, facilitators=("c",))
    h.share(team, "b", sid)
    status = sync_status(h.workspace(team, "b"))
    assert status.to_publish == 1 and status.arrived == 0
    assert any(line.startswith("to publish") for line in status.messages)
    assert sealed_files(team) == []
    h.sync(team, "b")
    folder = stamps(team.folder)
    ws_a = stamps(team.ws["a"])
    status = sync_status(h.workspace(team, "a"))
    assert status.arrived == 1 and status.to_publish == 0
    assert stamps(team.folder) == folder and stamps(team.ws["a"]) == ws_a
    assert not h.has(team, "a", sid)


def test_a_person_not_on_the_roster_is_named_as_not_a_recipient(team: Team) -> None:
    from observe.core.models import Person
    from observe.store.repository import Repository

    sid = h.observe(team)
    with Repository(h.workspace(team, "b")).open(h.path_of(team, "b", sid)) as session:
        meta = session.session.meta.model_copy(
            update={"facilitators": [*session.session.meta.facilitators, Person.named("Ola B")]}
        )
        session.update(meta=meta)
    status = sync_status(h.workspace(team, "b"))  # not shared yet: nobody else is a reader
    assert not any("not on the roster" in line for line in status.messages)
    h.share(team, "b", sid)
    status = sync_status(h.workspace(team, "b"))
    assert any("Ola B is not on the roster" in line for line in status.messages)
    out = team.run("b", "sync", "--quiet").output
    assert "sealed to 3 readers" not in out and "Ola B is not on the roster" in out
    assert h.sync(team, "b").messages == ()  # said when it is sent, not at every sync
    assert any("Ola B" in line for line in sync_status(h.workspace(team, "b")).messages)


def test_observe_share_sends_it_at_once(team: Team) -> None:
    sid = h.observe(team)
    result = team.run("b", "share", sid[:8])
    assert "shared" in result.output and "published session" not in result.output
    assert "sync: published 1" in result.output
    assert h.sync(team, "c").merged == 1


def test_the_sync_command_prints_each_file_and_a_summary(team: Team) -> None:
    sid = h.observe(team)
    h.share(team, "b", sid)
    out = team.run("b", "sync").output
    assert f"published session {sid[:8]}, sealed to 3 readers" in out
    assert out.strip().endswith("refused 0")
    out = team.run("c", "sync", "--status").output
    assert "arrived members/" in out and "1 arrived" in out
    out = team.run("c", "sync").output
    assert f"merged session {sid[:8]}" in out


def test_a_workspace_outside_a_team_is_told_so(tmp_path: Path) -> None:
    from tests.helpers_team import run

    result = run(tmp_path / "alone", "sync", code=2)
    assert "not in a team" in result.output + result.stderr


def test_a_session_open_in_the_app_is_merged_at_the_next_sync(team: Team) -> None:
    from observe.store.repository import Repository

    sid = h.observe(team)
    h.share(team, "b", sid)
    h.sync(team, "b")
    h.sync(team, "c")
    with Repository(h.workspace(team, "b")).open(h.path_of(team, "b", sid)) as session:
        session.put_summary(team.member_id("c"), summary=h.SUMMARY_TEXT)
    h.sync(team, "b")
    with Repository(h.workspace(team, "c")).open(h.path_of(team, "c", sid)):
        report = h.sync(team, "c")
        assert report.skipped == 1 and "merged at the next sync" in report.messages[0]
    assert h.sync(team, "c").merged == 1
    assert h.record(team, "c", sid).summaries


def test_a_file_still_arriving_is_skipped_until_whole(team: Team) -> None:
    sid = h.observe(team)
    h.share(team, "b", sid)
    h.sync(team, "b")
    [path] = sealed_files(team)
    whole = path.read_bytes()
    for part in (b"", whole[: len(whole) // 2], whole[:-1]):
        path.write_bytes(part)
        report = h.sync(team, "c")
        assert report.skipped == 1 and report.merged == 0 and report.refused == 0, report
        assert not h.has(team, "c", sid)
    path.write_bytes(whole)
    assert h.sync(team, "c").merged == 1


def test_a_cut_short_file_that_never_grows_is_refused(team: Team) -> None:
    sid = h.observe(team)
    h.share(team, "b", sid)
    h.sync(team, "b")
    [path] = sealed_files(team)
    path.write_bytes(path.read_bytes()[:-7])
    assert h.sync(team, "a").skipped == 1
    report = h.sync(team, "a")
    assert report.refused == 1 and "unchanged since the last sync" in report.messages[0]
    assert h.sync(team, "a").refused == 1  # shown again while it stays
    assert path.exists()


def test_conflict_copies_are_merged_and_kept(team: Team, tmp_path: Path) -> None:
    """One observer, two devices, each adds a note before seeing the other's: the engine
    keeps the desk's file as a conflict copy beside the laptop's."""
    from observe.core.models import Note
    from observe.store.repository import Repository

    sid = h.observe(team)
    h.share(team, "b", sid)
    h.sync(team, "b")
    laptop = tmp_path / "b-laptop"
    laptop.mkdir()
    shutil.copytree(team.ws["b"] / keys.KEYS_DIR, laptop / keys.KEYS_DIR)
    shutil.copy(membership_path(team.ws["b"]), membership_path(laptop))
    ws2 = Workspace(laptop).ensure(seed=True)
    run_sync(ws2)
    [path] = sealed_files(team)
    first = path.read_bytes()
    for ws, text in ((h.workspace(team, "b"), "From the desk"), (ws2, "From the laptop")):
        found = next(p for p in ws.sessions_dir.iterdir() if p.name.endswith(f"{sid[:8]}.json"))
        with Repository(ws).open(found) as session:
            session.add_note(Note(at=h.START, text=text))
    run_sync(h.workspace(team, "b"))
    desk = path.read_bytes()
    path.write_bytes(first)  # the laptop has not seen the desk's file yet
    run_sync(ws2)
    copy = path.with_name(f"{sid}.sync-conflict-20260302-101500-ABCDEFG.age")
    copy.write_bytes(desk)
    assert h.sync(team, "a").merged == 2
    texts = {n.text for n in h.record(team, "a", sid).notes}
    assert {"From the desk", "From the laptop"} <= texts
    assert copy.read_bytes() == desk and path.exists()  # nothing deleted
    assert run_sync(ws2).merged == 1  # the laptop takes the desk's note from the copy
    assert "From the desk" in {n.text for n in h.record(team, "a", sid).notes}


def test_the_whole_cycle_a_response_written_while_the_summary_is_edited(team: Team) -> None:
    """Observe, share, sync; the facilitator reads and answers while the observer edits the
    summary; the observer sees the answer, the lead collates it; nothing is lost."""
    sid = h.observe(team)
    team.run("b", "share", sid[:8])
    assert h.sync(team, "c").merged == 1
    h.answer(team, "c", sid)  # at the same time as ...
    h.summarise(team, "b", sid, "c")  # ... the observer's late edit
    report = h.sync(team, "c")
    assert report.published == 1 and "response" in report.messages[0], report
    assert "sealed to 3 readers" in report.messages[0]
    assert h.sync(team, "b").merged == 1  # the response (and b publishes its summary)
    assert h.sync(team, "c").merged == 1  # the summary
    for who in "a":
        assert h.sync(team, who).merged >= 1
    c = team.member_id("c")
    for who in "abc":
        got = h.record(team, who, sid)
        assert got.response(c).reflection == h.REFLECTION, who
        assert got.response(c).acknowledged, who
        assert got.summary(c).summary == h.SUMMARY_TEXT, who
    for who in "abc":  # settled: nothing more moves
        report = h.sync(team, who)
        assert (report.published, report.merged) == (0, 0), (who, report)
    collation = gather_workspace(h.workspace(team, "a"), Filters(), ("wave",))
    assert collation.sessions == 1


def test_a_response_before_its_session_waits_for_it(team: Team) -> None:
    sid = h.observe(team)
    h.share(team, "b", sid)
    h.sync(team, "b")
    h.sync(team, "c")
    h.answer(team, "c", sid)
    h.sync(team, "c")
    report = h.sync(team, "a")  # the lead takes both in one sync: the session first
    assert report.merged == 2 and report.skipped == 0, report
    assert h.record(team, "a", sid).response(team.member_id("c")).acknowledged
