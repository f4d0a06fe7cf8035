"""Shared fixtures: a fresh workspace seeded with the default framework, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from observe.core.frameworks import load_all
from observe.core.models import Framework, Meta, Person
from observe.store.repository import OpenSession, Repository
from observe.store.workspace import Workspace

FIXED = datetime(2026, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=0)))


class FakeClock:
    """Deterministic time: each call returns the current time; advance() moves it on."""

    def __init__(self, start: datetime = FIXED) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws").ensure(seed=True)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def framework(workspace: Workspace) -> Framework:
    return load_all(workspace.criteria_dir).get("good-facilitation")


@pytest.fixture
def repo(workspace: Workspace, clock: FakeClock) -> Repository:
    return Repository(workspace, clock=clock)


def make_meta(*names: str, mode: str = "in_person", **fields: object) -> Meta:
    return Meta(
        date=date(2026, 3, 4),
        start="09:30",
        mode=mode,
        facilitators=[Person.named(n) for n in (names or ("Asha Rahman", "Tom Price"))],
        observer=Person.named("Jo Observer"),
        wave="1",
        region="North West",
        partner="Partner A",
        **fields,
    )


@pytest.fixture
def open_session(repo: Repository, framework: Framework) -> Iterator[OpenSession]:
    session = repo.create(make_meta(), framework)
    yield session
    session.close()
