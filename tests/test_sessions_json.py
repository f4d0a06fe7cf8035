"""`observe sessions --format json` is a contract scripts read: pinned byte for byte."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from observe.cli.main import main
from observe.core.models import Meta, Mode, Note, Person, Rating, Session, Status
from observe.core.record import SessionRecord
from observe.store import codec, files
from observe.store.workspace import Workspace

PINNED = Path(__file__).parent / "data" / "listing" / "sessions.json"
AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def fixed_workspace(ws: Workspace, framework_id: str = "good-facilitation") -> None:
    """Sessions of every kind the listing shows, with fixed ids and times."""
    from observe.core.frameworks import load_all

    snapshot = load_all(ws.criteria_dir).get(framework_id).snapshot()
    people = [Person.named("Asha Rahman"), Person.named("Tom Price")]
    cases = [
        # co-delivered, in progress, with notes and a rating
        dict(
            meta=Meta(
                date=date(2026, 3, 4),
                start="09:30",
                facilitators=people,
                observer=Person.named("Jo Observer"),
                wave="1",
                region="North West",
                partner="Partner A",
                title="Week one",
                cohort="C1",
            ),
            status=Status.IN_PROGRESS,
            notes=2,
            ratings=1,
        ),
        # one facilitator, completed, online, no observer, hostile title
        dict(
            meta=Meta(
                date=date(2026, 2, 1),
                start="",
                mode=Mode.ONLINE,
                facilitators=[Person.named("Siân O'Neil")],
                title="[b]x[/b] \u202e é",
            ),
            status=Status.COMPLETED,
            notes=0,
            ratings=0,
        ),
        # a demo session, shared
        dict(
            meta=Meta(
                date=date(2026, 1, 5),
                start="13:00",
                facilitators=people[1:],
                demo=True,
                wave="2",
                observer=Person.named("Ruth Adeyemi"),
            ),
            status=Status.SHARED,
            notes=1,
            ratings=2,
        ),
    ]
    for n, case in enumerate(cases):
        sid = f"00000000-0000-4000-8000-00000000000{n}"
        created = AT + timedelta(days=n)
        session = Session(
            id=sid,
            meta=case["meta"],
            framework=snapshot,
            status=case["status"],
            created_at=created,
            updated_at=created,
        )
        notes = [Note(id=f"n{n}{i}", at=created, text=f"note {i}") for i in range(case["notes"])]
        fac = case["meta"].facilitators[0].id
        ratings = [
            Rating(id=Rating.id_for(sid, fac, c), facilitator=fac, criterion=c, level=2)
            for c in ["R1", "R2"][: case["ratings"]]
        ]
        record = SessionRecord(session=session, notes=notes, ratings=ratings)
        codec.write(ws.sessions_dir / files.file_name(session), codec.tables_of(record))
    (ws.sessions_dir / "2026-01-01_broken_deadbeef.json").write_bytes(b"{not json")


def test_the_json_listing_is_unchanged(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    fixed_workspace(ws)
    result = CliRunner().invoke(main, ["-w", str(ws.root), "sessions", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output == PINNED.read_text(encoding="utf-8")
