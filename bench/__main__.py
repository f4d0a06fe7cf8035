"""`make bench`: run every bench/bench_*.py module's ``run()`` and print its results.

Usage: python -m bench [NAME...]   (names are module suffixes, e.g. `storage`)
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench
from bench.common import Result


def main(argv: list[str]) -> int:
    modules = pkgutil.iter_modules(bench.__path__)
    names = sorted(m.name for m in modules if m.name.startswith("bench_"))
    wanted = {f"bench_{a}" for a in argv}
    if wanted:
        names = [n for n in names if n in wanted]
    over = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name.removeprefix('bench_')}", flush=True)
        start = time.perf_counter()
        results: list[Result] = module.run()
        for result in results:
            print("  " + result.line(), flush=True)
            over += result.ok is False
        print(f"   ({time.perf_counter() - start:.1f} s)", flush=True)
    print(f"{over} over budget" if over else "all within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
