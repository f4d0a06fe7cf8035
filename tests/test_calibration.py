"""Co-observation headless: grouping, blind until all finish, compare, the agreed record,
collation counting a delivery once, and hostile calibration ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from observe.core.agreement import calibration_groups
from observe.core.calibration import Outcome, counted_once, groups_of
from observe.core.errors import UsageError
from observe.core.models import Framework, Status
from observe.services import calibration as co
from observe.services.collation import gather_workspace
from observe.services.export import plan, select
from observe.services.sessions import listing_rows, refresh_index
from observe.services.sharing import share
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_calibration import CALIBRATION, finish, observed


def test_co_observation_copies_the_delivery_and_joins_the_group(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    first = observed(repo, framework, "Jo Observer", {"R1": 3}, calibration="", finish=False)
    meta, fw = co.co_observation(workspace, first, "Sam Second")
    assert fw.id == framework.id
    assert meta.observer is not None and meta.observer.name == "Sam Second"
    assert [p.id for p in meta.facilitators] == ["asha-rahman"]
    assert (meta.wave, meta.region, meta.partner) == ("1", "North West", "Partner A")
    # The first session was given the calibration id it now shares.
    assert meta.calibration
    assert repo.load(first).session.meta.calibration == meta.calibration
    with pytest.raises(UsageError, match="observer"):
        co.co_observation(workspace, first, "Jo Observer")


def test_blind_while_one_observer_is_still_observing(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    a = observed(repo, framework, "Ann Able", {"R1": 3}, finish=False)
    b = observed(repo, framework, "Ben Baker", {"R1": 1})
    # Ann's own session is hers to see; Ben's finished one shows nothing of his ratings.
    assert co.sealed_reason(workspace, a) == ""
    assert "still observing" in co.sealed_reason(workspace, b)
    with pytest.raises(UsageError, match="hidden"):
        co.comparison(workspace, CALIBRATION)
    with pytest.raises(UsageError, match="hidden"):
        plan(workspace, b)
    with pytest.raises(UsageError, match="hidden"):
        share(workspace, b)
    collated = gather_workspace(workspace, _filters())
    assert collated.sessions == 0  # the delivery counts for nobody while it is sealed
    finish(workspace, a)
    assert co.sealed_reason(workspace, b) == ""
    records, agreed, lines = co.comparison(workspace, CALIBRATION)
    assert agreed is None and [r.session.meta.observer.name for r in records] == [
        "Ann Able",
        "Ben Baker",
    ]
    assert lines[0].differs and [s.level for s in lines[0].seen] == [3, 1]


def _filters():  # type: ignore[no-untyped-def]
    from observe.core.collate import Filters

    return Filters()


def test_compare_puts_differences_first_with_each_observers_evidence(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    observed(repo, framework, "Ann Able", {"R1": 3, "R2": 2, "L1": 4}, notes={"L1": "Ann saw L1"})
    observed(repo, framework, "Ben Baker", {"R1": 3, "R2": 2, "L1": 2}, notes={"L1": "Ben on L1"})
    _, _, lines = co.comparison(workspace, CALIBRATION)
    assert [(line.criterion.id, line.differs) for line in lines] == [
        ("L1", True),
        ("R1", False),
        ("R2", False),
    ]
    assert [[n.text for n in s.evidence] for s in lines[0].seen] == [["Ann saw L1"], ["Ben on L1"]]
    assert lines[1].common == (True, 3)


def test_the_agreed_record_is_one_session_and_collation_counts_it_once(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    a = observed(repo, framework, "Ann Able", {"R1": 3, "L1": 4}, notes={"L1": "Ann saw L1"})
    b = observed(repo, framework, "Ben Baker", {"R1": 3, "L1": 2}, notes={"L1": "Ben on L1"})
    before = {p: p.read_bytes() for p in (a, b)}
    # Until they agree: an observer may export their own as a draft, never share it; a
    # batch takes the first observer's, once.
    assert len(plan(workspace, b)) == 1
    with pytest.raises(UsageError, match="agree first"):
        share(workspace, b)
    assert select(workspace, wave="1") == [a.resolve()]
    path = co.agree(
        workspace,
        CALIBRATION,
        [
            Outcome(facilitator="asha-rahman", criterion="R1", level=3),
            Outcome(facilitator="asha-rahman", criterion="L1", agreed=False, note="3 or 4"),
        ],
    )
    # The observers' own files are untouched: their ratings stay for agreement statistics.
    assert {p: p.read_bytes() for p in (a, b)} == before
    record = repo.load(path)
    meta = record.session.meta
    assert meta.agreed and meta.calibration == CALIBRATION
    assert record.session.status is Status.COMPLETED
    assert meta.observer is not None and meta.observer.name == "Ann Able & Ben Baker"
    assert [(r.criterion, r.level) for r in record.live_ratings()] == [("R1", 3)]
    assert {n.text for n in record.live_notes()} == {"Ann saw L1", "Ben on L1"}
    raw = json.loads(path.read_text())["session"]
    [doc] = raw.values()
    assert {"criterion": "L1", "agreed": False, "note": "3 or 4"}.items() <= doc["agreement"][
        1
    ].items()
    # The feedback is the agreed record's: the observers' own sessions are refused.
    assert len(plan(workspace, path)) == 1
    with pytest.raises(UsageError, match="agreed record"):
        plan(workspace, b)
    with pytest.raises(UsageError, match="agreed record"):
        share(workspace, a)
    assert select(workspace, wave="1") == [path.resolve()]
    collated = gather_workspace(workspace, _filters())
    assert collated.sessions == 1
    # Agreement statistics read the observers' own ratings, never the agreed record's.
    assert len(calibration_groups(refresh_index(workspace))[CALIBRATION]) == 2
    assert any("co-observed" in c for c in collated.caveats)
    # Agreeing again revises the same record: L1 now agreed, R1 kept, nothing duplicated.
    again = co.agree(
        workspace, CALIBRATION, [Outcome(facilitator="asha-rahman", criterion="L1", level=3)]
    )
    assert again == path
    revised = repo.load(path)
    assert sorted((r.criterion, r.level) for r in revised.live_ratings()) == [("L1", 3), ("R1", 3)]
    assert len(revised.live_notes()) == 2
    share(workspace, path)
    with pytest.raises(UsageError, match="shared"):
        co.agree(workspace, CALIBRATION, [])


def test_until_they_agree_collation_counts_the_first_observers_session(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    first = observed(repo, framework, "Ann Able", {"R1": 3})
    observed(repo, framework, "Ben Baker", {"R1": 1})
    observed(repo, framework, "Cat Cole", {"R1": 2})
    kept, left_out = counted_once(refresh_index(workspace))
    assert [e.name for e in kept] == [first.name] and left_out == 2


def test_three_observers_one_group(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    for name in ("Ann Able", "Ben Baker", "Cat Cole"):
        observed(repo, framework, name, {"R1": 2})
    [group] = groups_of(refresh_index(workspace)).values()
    assert group.observers() == ["Ann Able", "Ben Baker", "Cat Cole"] and group.comparable
    _, _, [line] = co.comparison(workspace, CALIBRATION)
    assert not line.differs and len(line.seen) == 3


@pytest.mark.parametrize(
    "hostile",
    ["[red]x[/red]", "../../etc/passwd", "a/b", "x" * 500, "A-Upper", "\x1b[2Jboom", ""],
)
def test_a_hostile_calibration_id_is_refused(
    workspace: Workspace, repo: Repository, framework: Framework, hostile: str
) -> None:
    with pytest.raises(UsageError) as refused:
        co.checked_id(hostile)
    assert "\x1b" not in str(refused.value) and len(str(refused.value)) < 200
    # From a file: the session is listed as unreadable with the reason, never grouped.
    path = observed(repo, framework, "Ann Able", {"R1": 3}, calibration="ok-id")
    data = json.loads(path.read_text())
    [doc] = data["session"].values()
    doc["meta"]["calibration"] = hostile
    path.write_text(json.dumps(data))
    [row] = listing_rows(workspace)
    if hostile:
        assert row.unreadable and "calibration" in row.reason
        assert "\x1b" not in row.reason and len(row.reason) < 400
    else:
        assert not row.unreadable and row.calibration == ""
    assert groups_of(refresh_index(workspace)) == {}


def test_new_from_the_command_line_with_a_calibration_id(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from observe.cli.main import main

    runner = CliRunner()
    bad = runner.invoke(
        main,
        ["-w", str(workspace.root), "new", "--facilitator", "Asha", "--calibration", "../x"],
    )
    assert bad.exit_code == 2 and "not valid" in bad.output
    assert Repository(workspace).paths() == []
    clash = runner.invoke(
        main, ["-w", str(workspace.root), "new", "--with", "abcd", "--facilitator", "X"]
    )
    assert clash.exit_code == 2 and "--with" in clash.output
