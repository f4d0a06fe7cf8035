"""Stable pseudonymous codes for people in collated outputs (``F-3a9c``, ``O-71be``).

A code is a hash of the person's id, so it is the same in every run and on every machine;
when two people in one collation share a code, both get longer codes. This is
pseudonymisation for reports, not anonymity: anyone who knows a name can work out its code.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any


def code_for(person_id: str, prefix: str, length: int = 4) -> str:
    digest = hashlib.sha256(f"observe-person:{person_id}".encode()).hexdigest()
    return f"{prefix}-{digest[:length]}"


class Pseudonyms:
    """Labels for people: names with ``names=True``, else codes unique among those known."""

    def __init__(self, people: dict[str, str], prefix: str, names: bool = False) -> None:
        self.names = names
        self.people = people
        self._labels: dict[str, str] = {}
        pending = sorted(people)
        length = 4
        while pending:
            by_code: dict[str, list[str]] = defaultdict(list)
            for pid in pending:
                by_code[code_for(pid, prefix, length)].append(pid)
            pending = []
            for code, ids in by_code.items():
                if len(ids) == 1:
                    self._labels[ids[0]] = code
                else:  # a collision: those involved get longer codes
                    pending.extend(ids)
            length += 2

    def __call__(self, person_id: str) -> str:
        if self.names:
            return self.people.get(person_id) or person_id
        return self._labels.get(person_id) or code_for(person_id, "X")


def people_in(entries: Iterable[Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(facilitators, observers): id -> name, over the given entries."""
    facilitators: dict[str, str] = {}
    observers: dict[str, str] = {}
    for e in entries:
        for p in e.meta.get("facilitators") or []:
            facilitators.setdefault(p.get("id", ""), p.get("name", ""))
        obs = e.meta.get("observer")
        if obs:
            observers.setdefault(obs.get("id", ""), obs.get("name", ""))
    return facilitators, observers
