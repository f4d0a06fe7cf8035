"""Snapshots of the live and wrap-up screens at 80x24 and 120x40, with a fixed clock and ids."""

from __future__ import annotations

import pytest

from observe.app.application import make_app
from observe.core.models import Note, NoteKind, Phase
from observe.store.repository import Repository
from tests.conftest import FakeClock, make_meta

SIZES = [(80, 24), (120, 40)]
SESSION_ID = "44444444-4444-4444-8444-444444444444"

NOTES = [
    (60, NoteKind.OBSERVATION, "Chairs in a circle; 12 participants, two online", [], []),
    (240, NoteKind.STRENGTH, "greets each person by name #R1 @asha", ["R1"], ["asha-rahman"]),
    (900, NoteKind.QUOTE, "I can say I'm stuck here #L2", ["L2"], []),
    (
        1500,
        NoteKind.DEVELOPMENT,
        "moves on before the feeling lands #R2 @tom",
        ["R2"],
        ["tom-price"],
    ),
    (1620, NoteKind.QUESTION, "why no check-out round?", [], []),
]


def seeded_app(repo: Repository, framework, clock: FakeClock):  # type: ignore[no-untyped-def]
    meta = make_meta(title="Reflective supervision", focus=["R2"])
    session = repo.create(meta, framework, session_id=SESSION_ID)
    start = clock()
    session.update(phases=[Phase(name="opening", at=start)])
    for i, (offset, kind, text, criteria, people) in enumerate(NOTES):
        session.put_note(
            Note(
                id=f"00000000-0000-4000-8000-{i:012d}",
                at=clock.advance(offset - (clock() - start).total_seconds()),
                elapsed_s=offset,
                text=text,
                kind=kind,
                criteria=criteria,
                facilitators=people,
                phase="opening",
            )
        )
    session.rate("asha-rahman", "R1", 3)
    session.rate("tom-price", "R1", 2)
    session.rate("tom-price", "R2", None)
    session.save_draft("+ brings the group back to #")
    clock.advance(200)
    return make_app(repo.workspace, open_session=session, clock=clock, cursor_blink=False)


def steady(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_live(snap_compare, repo: Repository, framework, clock: FakeClock, size) -> None:  # type: ignore[no-untyped-def]
    app = seeded_app(repo, framework, clock)
    assert snap_compare(app, terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", SIZES)
def test_live_criteria_focused(
    snap_compare, repo: Repository, framework, clock: FakeClock, size
) -> None:  # type: ignore[no-untyped-def]
    app = seeded_app(repo, framework, clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("tab", "j", "f"))


@pytest.mark.parametrize("size", SIZES)
def test_wrapup(snap_compare, repo: Repository, framework, clock: FakeClock, size) -> None:  # type: ignore[no-untyped-def]
    app = seeded_app(repo, framework, clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("f10", "down"))


async def test_no_footer_key_shows_past_the_screen_edge(
    repo: Repository, framework, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    """Every key the compact footer shows is whole: no stray letter at the screen's edge
    (the palette key, ctrl+p, is in F1's list rather than the footer)."""
    app = seeded_app(repo, framework, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady()(pilot)
        keys = list(app.screen.query("FooterKey"))
        assert keys and all(key.region.right <= 80 for key in keys)
