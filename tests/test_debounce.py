"""One debounce for the app: a burst of pokes runs the action once, after the pause."""

from __future__ import annotations

from textual.app import App

from observe.app.debounce import Debounce


class Bare(App[None]):
    pass


async def _until(pilot, done) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if done():
            return
        await pilot.pause(0.02)


async def test_a_burst_runs_the_action_once() -> None:
    calls: list[int] = []
    async with Bare().run_test() as pilot:
        pause = Debounce(pilot.app, 0.05, lambda: calls.append(1))
        for _ in range(20):
            pause.poke()
        assert pause.pending and not calls
        await _until(pilot, lambda: calls)
        await pilot.pause(0.1)
        assert calls == [1] and not pause.pending


async def test_a_poke_during_the_pause_waits_again() -> None:
    now = [0.0]
    calls: list[int] = []
    async with Bare().run_test() as pilot:
        pause = Debounce(pilot.app, 0.05, lambda: calls.append(1), clock=lambda: now[0])
        pause.poke()
        await pilot.pause(0.2)  # the timer fired, but by the clock no time has passed
        assert not calls and pause.pending
        now[0] = 10.0
        await _until(pilot, lambda: calls)
        assert calls == [1]


async def test_flush_runs_a_pending_action_now_and_cancel_drops_it() -> None:
    calls: list[str] = []
    async with Bare().run_test() as pilot:
        pause = Debounce(pilot.app, 30.0, lambda: calls.append("ran"))
        assert pause.flush() is False and calls == []
        pause.poke()
        assert pause.flush() is True and calls == ["ran"]
        assert pause.flush() is False and calls == ["ran"]
        pause.poke()
        pause.cancel()
        assert not pause.pending and pause.flush() is False
        await pilot.pause(0.05)
        assert calls == ["ran"]
