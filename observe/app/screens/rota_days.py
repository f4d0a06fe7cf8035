"""The rota's days as its screens show them: today by the app's clock, a due date short."""

from __future__ import annotations

from datetime import date as Date

from observe.app.screens.base import ObserveScreen


def today_of(screen: ObserveScreen[object]) -> Date:
    clock = screen.observe_app.options.clock
    return clock().date() if clock else Date.today()


def short_date(day: Date) -> str:
    return f"{day.day} {day:%b}"
