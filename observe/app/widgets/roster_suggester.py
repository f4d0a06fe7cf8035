"""Completing people's names from the team's roster in a box of names with commas between."""

from __future__ import annotations

import re

from textual.suggester import Suggester

_LAST = re.compile(r"^(.*[,;]\s*)?([^,;]*)$", re.DOTALL)


class RosterSuggester(Suggester):
    """Offers the member whose name (or a word of it) starts with the name being typed last:
    "Asha Rahman, to" offers "Asha Rahman, Tom Price"; → takes it in the roster's spelling."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        found = _LAST.match(value)
        if found is None:
            return None
        before, typed = found.group(1) or "", found.group(2).lstrip()
        if not typed:
            return None
        wanted = typed.casefold()
        taken = {n.strip().casefold() for n in re.split(r"[,;]", before) if n.strip()}
        for name in self.names:
            key = name.casefold()
            if key in taken or key == wanted:
                continue
            if key.startswith(wanted):
                return value[: len(value) - len(typed)] + name
        return None
