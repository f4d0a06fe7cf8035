"""How the index packs ratings: one character per criterion (see ``observe.store.index``).

A module of its own, free of pydantic, so that collation can read packed ratings without
the command line paying for the models' import at every start.
"""

from __future__ import annotations

from typing import Any

NOT_RATED, NOT_OBSERVED = " ", "-"
LEVEL_CHARS: dict[Any, str] = {None: NOT_OBSERVED, **{n: str(n) for n in range(10)}}
CHAR_LEVELS: dict[str, int | None] = {c: n for n, c in LEVEL_CHARS.items()}
