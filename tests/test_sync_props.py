"""Property: any interleaving of edits, syncs, conflict copies and half-arrived files across
three members converges, once everyone has synced, to the same documents everywhere."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observe.core.models import Note
from observe.store import codec, merge
from observe.store.repository import Repository
from observe.store.team import membership as ms
from tests import helpers_sync as h
from tests.helpers_team import Team, three

WHO = "abc"
OPS = st.lists(
    st.tuples(
        st.sampled_from(["edit", "answer", "sync", "sync", "copy", "half", "whole"]),
        st.sampled_from(WHO),
        st.integers(min_value=0, max_value=7),
    ),
    min_size=1,
    max_size=12,
)
_counter = itertools.count()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Team, dict[str, str]]:
    """A team of three with two shared sessions: b's (facilitated by c), c's (by b)."""
    team = three(tmp_path_factory.mktemp("template"))
    sessions = {"b": h.observe(team, "b", ("c",)), "c": h.observe(team, "c", ("b",))}
    for who, sid in sessions.items():
        h.share(team, who, sid)
    return team, sessions


def copy_team(team: Team, root: Path) -> Team:
    """The template under ``root``, each workspace pointing at the copied folder."""
    base = team.folder.parent
    shutil.copytree(base, root, symlinks=True)
    moved = Team(root / team.folder.name, {w: root / p.name for w, p in team.ws.items()})
    for ws in moved.ws.values():
        found = ms.load(ws)
        assert found is not None
        ms.save(ws, dataclasses.replace(found, folder=moved.folder))
    return moved


def edit(team: Team, who: str, sid: str) -> None:
    path = h.path_of(team, who, sid)
    with Repository(h.workspace(team, who), clock=h.clock).open(path) as session:
        session.add_note(Note(at=h.START, text=f"note {next(_counter)}"))


def reply(team: Team, who: str, sid: str, pick: int) -> None:
    from observe.core.models import Response

    me = team.member_id(who)
    given = Response.new(sid, me, reflection=f"reflection {pick} {next(_counter)}")
    path = h.path_of(team, who, sid)
    with Repository(h.workspace(team, who), clock=h.clock).open(path) as session:
        session.put_response(me, given)


def sealed(team: Team) -> list[Path]:
    """The published sessions (not the copies made of them, which may be cut short)."""
    found = (team.folder / "members").rglob("*.age")
    return sorted(
        p for p in found if p.parent.name in ("sessions", "responses") and "conflict" not in p.name
    )


def documents(team: Team, who: str, sid: str) -> dict:
    if not h.has(team, who, sid):
        return {}
    state = merge.state_of(codec.decode_file(h.path_of(team, who, sid).read_bytes()))
    return {key: sorted(versions) for key, versions in state.items()}


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_any_interleaving_converges(
    ops: list[tuple[str, str, int]],
    template: tuple[Team, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    team = copy_team(template[0], tmp_path_factory.mktemp("run") / "t")
    sessions = template[1]
    halves: list[tuple[Path, bytes]] = []
    for op, who, pick in ops:
        if op == "edit" and who in sessions:
            edit(team, who, sessions[who])
        elif op == "answer" and who in sessions:  # b facilitates c's session and c b's
            other = sessions["c" if who == "b" else "b"]
            if h.has(team, who, other):
                reply(team, who, other, pick)
        elif op == "sync":
            h.sync(team, who)
        elif op in ("copy", "half") and sealed(team):
            source = sealed(team)[pick % len(sealed(team))]
            stamp = f"20260302-10{pick:02d}{len(halves):02d}-ABCDEF{pick}"
            copy = source.with_name(f"{source.stem}.sync-conflict-{stamp}.age")
            data = source.read_bytes()
            if op == "half":  # still arriving: a piece now, the rest at "whole"
                halves.append((copy, data))
                data = data[: len(data) // (pick + 2)]
            copy.write_bytes(data)
        elif op == "whole" and halves:
            copy, data = halves.pop(0)
            copy.write_bytes(data)
    before = {(w, s): documents(team, w, s) for w in WHO for s in sessions.values()}
    for _ in range(2):
        for who in WHO:
            h.sync(team, who)
    settled = {(w, s): documents(team, w, s) for w in WHO for s in sessions.values()}
    for (w, s), docs in before.items():  # nothing that was there is lost
        assert set(docs) <= set(settled[w, s])
    for sid in sessions.values():
        views = [settled[w, sid] for w in WHO]
        assert views[0] == views[1] == views[2]
        assert views[0]  # every member holds it: shared with all three
    report = h.sync(team, "a")  # half files: skipped, or refused once they stay cut short
    assert report.merged == 0 and report.skipped + report.refused == len(halves)
    for copy, data in halves:
        copy.write_bytes(data)
    for who in WHO:
        report = h.sync(team, who)
        assert report.refused == 0 and report.skipped == 0
    # Whole at last, they are copies of what everyone has merged already: nothing changes.
    assert {(w, s): documents(team, w, s) for w in WHO for s in sessions.values()} == settled
