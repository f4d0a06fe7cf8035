"""Co-observation in the app, end to end: a second observer started from home, blind while
one observer is still observing, compare, agree, and the agreed record as the one feedback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from observe.app.application import ObserveApp, make_app
from observe.app.dialogs.ask_text import AskText
from observe.app.screens.compare import CompareScreen
from observe.app.screens.live import LiveScreen
from observe.app.widgets.agreement_list import AgreementList
from observe.app.widgets.criteria import CriteriaList
from observe.core.errors import UsageError
from observe.core.models import Framework, Status
from observe.services.export import export_many, select
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_calibration import observed
from tests.helpers_home import captured_notifications, settle
from tests.helpers_live import enter_text, type_note
from tests.helpers_report import flat, pdf_text

SIZE = (100, 30)


async def highlight(pilot: Pilot[Any], path: Path) -> None:
    """Put home's cursor on the session in ``path``."""
    home = pilot.app.screen
    index = next(i for i, row in enumerate(home.shown) if row.file == path.name)  # type: ignore[attr-defined]
    home.query_one("#sessions", DataTable).move_cursor(row=index, animate=False)
    await pilot.pause()


async def finish_from_live(pilot: Pilot[Any]) -> None:
    await pilot.press("f10")  # wrap-up
    await settle(pilot)
    await pilot.press("f10")  # finish, then confirm
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def records(workspace: Workspace) -> dict[str, Any]:
    """Every session on disk by its observer's name."""
    repo = Repository(workspace)
    out = {}
    for path in repo.paths():
        record = repo.load(path)
        out[record.session.meta.observer.name] = (path, record)  # type: ignore[union-attr]
    return out


async def test_two_observers_blind_then_compare_agree_and_one_feedback(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    repo = Repository(workspace, clock=clock)
    ann = observed(
        repo, framework, "Ann Able", {"R1": 3, "L1": 4}, calibration="", finish=False,
        notes={"L1": "Ann: asked who had tried it"},
    )  # fmt: skip
    app: ObserveApp = make_app(workspace, clock=clock, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Ben observes the same delivery too, from home.
        await highlight(pilot, ann)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, AskText)
        await enter_text(pilot, "Ben Baker")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        await type_note(pilot, "Ben: warm welcome #R1")
        await pilot.press("tab")  # to the criteria: R1 is highlighted
        await pilot.press("1")
        await pilot.pause()
        await finish_from_live(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        on_disk = records(workspace)
        ben, ben_record = on_disk["Ben Baker"]
        ann_record = on_disk["Ann Able"][1]
        assert ben_record.session.status is Status.COMPLETED
        assert ben_record.session.meta.calibration == ann_record.session.meta.calibration != ""
        assert [(r.criterion, r.level) for r in ben_record.live_ratings()] == [("R1", 1)]

        # Ann is still observing: Ben's ratings show nowhere. Ben's session does not open,
        # compare and export are refused, and Ann's own screen holds only her ratings.
        said = captured_notifications(app)
        await highlight(pilot, ben)
        for key in ("o", "a", "v"):
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ == "HomeScreen", key
        assert any("still observing" in s for s in said)
        with pytest.raises(UsageError, match="every observer has finished"):
            select(workspace, wave="1")  # no feedback to export from the group yet
        await highlight(pilot, ann)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        shown = app.screen.query_one(CriteriaList).ratings
        assert shown == {("asha-rahman", "R1"): 3, ("asha-rahman", "L1"): 4}
        assert "Ben" not in str(app.screen.query_one("#timeline").render())
        stored_ann = Repository(workspace).load(ann)
        assert {r.level for r in stored_ann.live_ratings()} == {3, 4}
        assert "Ben" not in ann.read_text()
        await finish_from_live(pilot)

        # Both finished: compare, differences first, and agree.
        await highlight(pilot, ann)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        table = app.screen.query_one(AgreementList)
        assert [(k, line.differs) for k, line in table.lines.items()] == [
            ("asha-rahman/R1", True),
            ("asha-rahman/L1", True),
        ]
        evidence = str(app.screen.query_one("#compare-evidence").render())
        assert "Ann Able: 3 Established" in evidence and "Ben Baker: 1 Emerging" in evidence
        assert "Ben: warm welcome" in evidence
        await pilot.press("2")  # R1 agreed at 2
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, AskText)
        await enter_text(pilot, "Ann saw it, Ben was late")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"

    on_disk = records(workspace)
    agreed_path, agreed = on_disk["Ann Able & Ben Baker"]
    assert agreed.session.meta.agreed and agreed.session.status is Status.COMPLETED
    assert [(r.criterion, r.level) for r in agreed.live_ratings()] == [("R1", 2)]
    # The observers' own ratings are as they gave them (for agreement statistics).
    assert [(r.criterion, r.level) for r in on_disk["Ben Baker"][1].live_ratings()] == [("R1", 1)]

    # The feedback: one PDF for the facilitator, from the agreed record, not one per observer.
    chosen = select(workspace, wave="1")
    assert chosen == [agreed_path.resolve()]
    [outcome] = export_many(workspace, chosen, workers=1)
    [pdf] = outcome.pdfs
    text = pdf_text(pdf.read_bytes())
    assert "Ann Able & Ben Baker" in text
    assert "Ben: warm welcome" in text and "Ann: asked who had tried it" in text
    flat_text = flat(text)
    # R1 at the agreed 2 (Ann gave 3, Ben 1); L1, where they differ, unrated.
    assert flat("R1 Builds safe and trusting relationships 2 Developing:") in flat_text
    assert flat("Typical level across 1 rated criterion: 2.0 of 4") in flat_text
    assert flat("L1 Thinks aloud and explores uncertainty The observers differ") in flat_text
    assert flat("Ann saw it, Ben was late") in flat_text
    assert len(list(workspace.exports_dir.glob("*.pdf"))) == 1
