"""The demo's co-observations: two or three observers of one delivery, each with their own
notes, rating blind with the disagreement real observers show."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from observe.core.models import Framework
from observe.services.demo import generate
from observe.services.demo_calibration import EVERY, lead_of
from observe.store import files


@pytest.fixture(scope="module")
def groups(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    from observe.core.frameworks import load_all
    from observe.store.workspace import Workspace

    ws = Workspace(tmp_path_factory.mktemp("calibration") / "ws").ensure(seed=True)
    framework: Framework = load_all(ws.criteria_dir).get("good-facilitation")
    out: dict[str, list] = defaultdict(list)
    for path in generate(ws.sessions_dir, framework, count=80, seed=6):
        record = files.read_record(Path(path))
        if record.session.meta.calibration and not record.session.meta.agreed:  # observers only
            out[record.session.meta.calibration].append(record)
    return out


def test_every_tenth_delivery_is_co_observed_by_two_or_three(groups: dict[str, list]) -> None:
    assert len(groups) == 80 // EVERY
    sizes = sorted(len(g) for g in groups.values())
    assert set(sizes) == {2, 3}
    assert [lead_of(i) for i in range(23)].count(None) == 23 - 5


def test_one_delivery_each_observer_their_own(groups: dict[str, list]) -> None:
    for records in groups.values():
        metas = [r.session.meta for r in records]
        delivery = {(m.date, m.start, m.wave, m.region, m.mode, m.title) for m in metas}
        assert len(delivery) == 1
        assert len({tuple(p.id for p in m.facilitators) for m in metas}) == 1
        observers = [m.observer.id for m in metas]
        assert len(set(observers)) == len(observers)
        assert not set(observers) & {p.id for p in metas[0].facilitators}
        assert len({r.session.id for r in records}) == len(records)
        texts = [{n.text for n in r.notes} for r in records]
        assert texts[0] != texts[1]  # each wrote their own notes
        for r in records:  # evidence is the observer's own notes
            ids = {n.id for n in r.notes}
            assert all(set(rt.evidence) <= ids for rt in r.ratings)


def test_disagreement_is_there_but_mostly_near(groups: dict[str, list]) -> None:
    same = near = pairs = 0
    for records in groups.values():
        first, second = records[0], records[1]
        levels = {(rt.facilitator, rt.criterion): rt.level for rt in first.ratings}
        for rt in second.ratings:
            other = levels.get((rt.facilitator, rt.criterion))
            if rt.level is None or other is None:
                continue
            pairs += 1
            same += rt.level == other
            near += abs(rt.level - other) <= 1
    assert pairs > 100
    assert 0.4 < same / pairs < 0.85 and near / pairs > 0.9
