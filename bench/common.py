"""What every bench module shares: timing, percentiles, and one line per measurement."""

from __future__ import annotations

import hashlib
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from observe.store.workspace import Workspace


@dataclass
class Result:
    name: str
    value: float  # seconds, or another unit named in ``unit``
    floor: float | None = None  # the same work done the plainest way, measured in this run
    budget: str = ""  # e.g. "ratio <= 1.3" or "< 5 ms"
    ok: bool | None = None
    unit: str = "ms"

    @property
    def ratio(self) -> float | None:
        if self.floor in (None, 0):
            return None
        return self.value / self.floor

    def line(self) -> str:
        def show(v: float) -> str:
            return f"{v * 1000:9.2f} ms" if self.unit == "ms" else f"{v:9.2f} {self.unit}"

        parts = [f"{self.name:<58}", show(self.value)]
        if self.floor is not None:
            parts.append(f"floor {show(self.floor)}")
            parts.append(f"ratio {self.ratio:5.2f}")
        if self.budget:
            parts.append(f"budget {self.budget}")
        if self.ok is not None:
            parts.append("OK" if self.ok else "OVER")
        return "  ".join(parts)


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def demo_workspace(cache_name: str, count: int, seed: int = 1) -> Workspace:
    """A workspace of ``count`` demo sessions, generated once and cached in the temp folder.

    The cache is keyed by the generator's own source, so a change to the demo makes it anew;
    each bench has its own cache folder, since benches leave the index in different states.
    """
    from observe.core import models
    from observe.core.frameworks import load_all
    from observe.services import demo, demo_phrases

    source = b"".join(Path(m.__file__).read_bytes() for m in (demo, demo_phrases, models))
    cache = Path(tempfile.gettempdir()) / f"observe-bench-{cache_name}"
    root = cache / f"seed{seed}-n{count}-{hashlib.sha256(source).hexdigest()[:10]}"
    ws = Workspace(root)
    done = root / ".complete"
    if not done.exists():
        if root.exists():
            shutil.rmtree(root)  # a cache, never the only copy of anything
        ws.ensure(seed=True)
        framework = load_all(ws.criteria_dir).get("good-facilitation")
        demo.generate(ws.sessions_dir, framework, count=count, seed=seed)
        done.touch()
    return ws
