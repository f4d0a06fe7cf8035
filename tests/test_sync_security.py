"""Attacks on synced sessions: an outsider with the folder, a member who is not a reader,
forged and tampered files, a removed member's new files; nothing readable in plaintext."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from observe.core.models import Status
from observe.services.sync import run_sync
from observe.store.team import authorship, keys
from observe.store.team import published as pub
from observe.store.team.envelope import seal, unseal
from observe.store.team.errors import NotForYou
from observe.store.team.folder import TeamFolder
from tests import helpers_sync as h
from tests.helpers_team import NAMES, Team, three


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return three(tmp_path)


def identity(team: Team, who: str) -> keys.Identity:
    found = keys.load(team.ws[who])
    assert found is not None
    return found


def shared(team: Team, facilitators: tuple[str, ...] = ("c",)) -> str:
    sid = h.observe(team, facilitators=facilitators)
    h.share(team, "b", sid)
    h.sync(team, "b")
    return sid


def session_file(team: Team, who: str, sid: str) -> Path:
    return team.folder / pub.rel_path(team.member_id(who), pub.SESSIONS, sid)


def part_of(team: Team, who: str, sid: str) -> dict:
    tables = orjson.loads(h.path_of(team, who, sid).read_bytes())
    return authorship.split(tables).observer_part


def forge(team: Team, writer: str, part: dict, sid: str, to: str = "a") -> bytes:
    """A session part sealed by ``writer`` to each of ``to`` (and themselves)."""
    readers = [identity(team, who).public for who in {*to, writer}]
    payload = authorship.encode(part)
    return seal(payload, writer=identity(team, writer), kind="session", doc=sid, recipients=readers)


def test_an_outsider_with_the_folder_reads_nothing(team: Team) -> None:
    shared(team)
    outsider = keys.Identity.generate()
    found = list(pub.listing(TeamFolder(team.folder)))
    assert found
    for item in found:
        with pytest.raises(NotForYou):
            unseal(Path(item.path).read_bytes(), reader=outsider)


def test_a_member_who_is_not_a_reader_gets_nothing(team: Team) -> None:
    sid = shared(team, facilitators=("a",))  # c is a member, neither facilitator nor lead
    report = h.sync(team, "c")
    assert report.merged == 0 and report.refused == 0 and not h.has(team, "c", sid)
    assert h.sync(team, "a").merged == 1
    with pytest.raises(NotForYou):
        unseal(session_file(team, "b", sid).read_bytes(), reader=identity(team, "c"))


def test_no_name_note_or_rating_is_in_plaintext_anywhere_in_the_folder(team: Team) -> None:
    sid = shared(team)
    from observe.store.repository import Repository

    with Repository(h.workspace(team, "b")).open(h.path_of(team, "b", sid)) as session:
        session.put_summary(team.member_id("c"), summary=h.SUMMARY_TEXT)
    h.sync(team, "c")
    h.answer(team, "c", sid)
    for who in "bcab":
        h.sync(team, who)
    assert list(team.folder.rglob("responses/*.age"))
    words = [*NAMES.values(), "Rahman", "Price", "O'Neil", h.NOTE_TEXT, h.SUMMARY_TEXT]
    words += [h.REFLECTION, "reflection", "acknowledged"]
    words += ["clear framing", "Module 3", "quiet table", "Timing", '"level"', '"notes"']
    files = [p for p in team.folder.rglob("*") if p.is_file()]
    assert len(files) >= 6
    for path in files:
        data = path.read_bytes()
        for word in words:
            for encoded in (word.encode(), word.encode("utf-16-le"), word.lower().encode()):
                assert encoded not in data, (path, word)
        assert sid.encode() not in data or path.name.startswith(sid)  # ids in names only


def test_a_file_signed_by_another_member_in_the_observers_part_is_refused(
    team: Team,
) -> None:
    sid = shared(team)
    target = session_file(team, "b", sid)
    target.write_bytes(forge(team, "c", part_of(team, "b", sid), sid))
    report = h.sync(team, "a")
    assert report.refused == 1 and report.merged == 0
    assert f"signed by {team.member_id('c')} in another member's part" in report.messages[0]
    assert not h.has(team, "a", sid)


def test_a_session_claiming_to_be_observed_by_another_is_refused(team: Team) -> None:
    sid = h.observe(team)  # b's, never shared: c cannot know it, so c makes up its own
    c_sid = h.observe(team, observer="c", facilitators=("b",))
    part = part_of(team, "c", c_sid)
    doc = next(iter(part["session"].values()))
    doc["meta"]["observer"] = {"id": team.member_id("b"), "name": NAMES["b"]}
    doc["status"] = "shared"
    target = team.folder / pub.rel_path(team.member_id("c"), pub.SESSIONS, c_sid)
    target.parent.mkdir(parents=True)
    target.write_bytes(forge(team, "c", part, c_sid))
    report = h.sync(team, "a")
    assert report.refused == 1 and "who is not its observer" in report.messages[0]
    assert not h.has(team, "a", c_sid) and sid


def test_a_copy_of_anothers_session_under_ones_own_name_is_refused(team: Team) -> None:
    sid = shared(team)
    assert h.sync(team, "c").merged == 1  # the facilitator holds it, then republishes it
    part = part_of(team, "c", sid)
    doc = next(iter(part["session"].values()))
    doc["meta"]["observer"] = {"id": team.member_id("c"), "name": NAMES["c"]}
    doc["rev"] += 5
    target = team.folder / pub.rel_path(team.member_id("c"), pub.SESSIONS, sid)
    target.parent.mkdir(parents=True)
    target.write_bytes(forge(team, "c", part, sid, to="ab"))
    report = h.sync(team, "a")  # sees both in one sync: takes neither
    assert report.skipped == 2 and report.merged == 0
    assert any("also published by" in line for line in report.messages)
    assert h.sync(team, "b").refused == 1  # the observer holds it: refused as a claim
    # A lead who already holds the real one refuses the claim too.
    target.rename(target.with_suffix(".hidden"))
    h.sync(team, "a")
    target.with_suffix(".hidden").rename(target)
    report = h.sync(team, "a")
    assert any("whose observer is" in line for line in report.messages)
    assert h.record(team, "a", sid).session.meta.observer.id == team.member_id("b")


def test_a_tampered_ciphertext_is_refused_once_it_stays_the_same(team: Team) -> None:
    sid = shared(team)
    target = session_file(team, "b", sid)
    data = bytearray(target.read_bytes())
    data[-40] ^= 0x01
    target.write_bytes(bytes(data))
    assert h.sync(team, "a").skipped == 1
    report = h.sync(team, "a")
    assert report.refused == 1 and report.merged == 0 and not h.has(team, "a", sid)
    assert len(report.messages) == 1 and "damaged" in report.messages[0]


def test_a_removed_members_new_files_are_refused_and_their_old_ones_kept(team: Team) -> None:
    before = h.observe(team, observer="c", facilitators=("b",))
    h.share(team, "c", before)
    h.sync(team, "c")
    assert h.sync(team, "a").merged == 1
    team.run("a", "team", "remove", NAMES["c"])
    after = h.observe(team, observer="c", facilitators=("b",))
    h.share(team, "c", after)
    # c's own roster still lists c: the new file is sealed to the lead as before.
    run_sync(h.workspace(team, "c"))
    report = h.sync(team, "a")
    assert report.refused == 1 and "was removed from the team" in report.messages[0]
    assert not h.has(team, "a", after) and h.has(team, "a", before)
    assert h.record(team, "a", before).session.status is Status.SHARED


def test_a_removed_member_is_not_a_reader_of_what_is_sealed_afterwards(team: Team) -> None:
    sid = shared(team)
    team.run("a", "team", "remove", NAMES["c"])
    from observe.store.repository import Repository

    with Repository(h.workspace(team, "b")).open(h.path_of(team, "b", sid)) as session:
        session.put_summary(team.member_id("c"), summary=h.SUMMARY_TEXT)
    report = h.sync(team, "b")
    assert "sealed to 2 readers" in report.messages[0]
    with pytest.raises(NotForYou):
        unseal(session_file(team, "b", sid).read_bytes(), reader=identity(team, "c"))


def test_links_and_huge_files_in_the_folder_are_not_followed(team: Team) -> None:
    sid = shared(team)
    part = team.folder / "members" / team.member_id("c") / "sessions"
    part.mkdir(parents=True)
    (part / f"{sid}.age").symlink_to(session_file(team, "b", sid))
    (part / "notes.txt").write_text("not ours")
    report = h.sync(team, "a")
    assert report.merged == 1 and report.refused == 0
    assert (part / "notes.txt").exists()


@pytest.mark.parametrize(
    "name",
    [
        "{sid}.sync-conflict-20260302-101500-ABCDEFG.age",
        "{sid}.sync-conflict-20260302-101500-ABCDEFG.sync-conflict-20260302-101600-HIJKLMN.age",
        "{sid} (Tom Price's conflicted copy 2026-03-02).age",
        "{sid}-laptop.age",
        "{sid}-DESKTOP-7Q2.age",
    ],
)
def test_conflict_copies_of_every_engine_are_read(team: Team, name: str) -> None:
    sid = shared(team)
    original = session_file(team, "b", sid)
    original.rename(original.with_name(name.format(sid=sid)))
    report = h.sync(team, "a")
    assert report.merged == 1 and report.refused == 0, report


def test_a_file_named_for_another_session_is_refused(team: Team) -> None:
    sid = shared(team)
    original = session_file(team, "b", sid)
    other = "0" * 8 + sid[8:]
    original.rename(original.with_name(f"{other}.age"))
    report = h.sync(team, "a")
    assert report.refused == 1 and "not the one its writer signed" in report.messages[0]


def forge_response(team: Team, writer: str, part: dict, sid: str) -> Path:
    readers = [identity(team, who).public for who in "abc"]
    sealed = seal(
        authorship.encode(part),
        writer=identity(team, writer),
        kind="response",
        doc=sid,
        recipients=readers,
    )
    target = team.folder / pub.rel_path(team.member_id(writer), pub.RESPONSES, sid)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(sealed)
    return target


def response_part(team: Team, who: str, sid: str) -> dict:
    tables = orjson.loads(h.path_of(team, who, sid).read_bytes())
    return authorship.split(tables).responses[team.member_id(who)]


def test_a_response_from_someone_not_its_facilitator_is_refused(team: Team) -> None:
    sid = shared(team)
    h.sync(team, "c")
    h.answer(team, "c", sid)
    part = response_part(team, "c", sid)
    forge_response(team, "a", part, sid)  # the lead sends c's words as its own file
    report = h.sync(team, "b")
    assert any("not a facilitator of session" in line for line in report.messages), report
    assert not h.record(team, "b", sid).responses


def test_a_response_part_carrying_the_session_is_refused(team: Team) -> None:
    sid = shared(team)
    h.sync(team, "c")
    h.answer(team, "c", sid)
    part = dict(response_part(team, "c", sid))
    session = part_of(team, "c", sid)["session"]
    doc = next(iter(session.values()))
    doc["meta"]["title"] = "Rewritten by the facilitator"
    doc["rev"] += 3
    forge_response(team, "c", {**part, "session": session}, sid)
    report = h.sync(team, "b")
    assert report.refused == 1 and "does not write" in report.messages[0], report
    assert h.record(team, "b", sid).session.meta.title == "Module 3"


def test_a_response_signed_for_another_facilitator_is_refused(team: Team) -> None:
    sid = shared(team, facilitators=("c", "a"))
    h.sync(team, "c")
    h.answer(team, "c", sid)
    part = response_part(team, "c", sid)
    doc = next(iter(part["responses"].values()))
    from observe.core.models import Response

    doc["facilitator"] = team.member_id("a")
    doc["id"] = Response.id_for(sid, team.member_id("a"))
    forge_response(team, "c", part, sid)  # c answers in a's name
    report = h.sync(team, "b")
    assert report.refused == 1 and "another's response" in report.messages[0], report


def test_a_linked_folder_in_a_part_is_neither_read_nor_written_through(
    team: Team, tmp_path: Path
) -> None:
    sid = h.observe(team)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    part = team.folder / "members" / team.member_id("b")
    (part / "sessions").symlink_to(elsewhere)
    report = h.sync(team, "b")
    assert report.published == 0 and "is a link" in report.messages[0]
    assert list(elsewhere.iterdir()) == []
    (part / "sessions").unlink()
    assert h.sync(team, "b").published == 1  # what was not sent goes at the next sync
    h.share(team, "b", sid)
    h.sync(team, "b")
    (team.folder / "members" / team.member_id("c")).mkdir(exist_ok=True)
    (team.folder / "members" / team.member_id("c") / "sessions").symlink_to(part / "sessions")
    assert h.sync(team, "a").merged == 1  # b's own, once: not again through c's link
