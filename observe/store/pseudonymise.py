"""A session file with people's names and name-derived ids replaced by pseudonymous codes.

For a bundle that must not carry names (``observe bundle --pseudonymise``). A person becomes
their code (``F-7k2m9q4x`` for a facilitator, ``O-3hd8w1ze`` for the observer) as the workspace's
collated reports show it; their id becomes the code's slug, since ids are slugs of names.
Names typed into notes, comments, summaries and responses (the full name, each part of it,
an ``@handle``) become the code too. The framework snapshot holds no names and is left as
it is. This is pseudonymisation, not anonymity: what a note describes can still identify.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from observe.core.models import Action, Rating, Session, slugify
from observe.core.pseudonyms import Pseudonyms, people_in
from observe.store import codec
from observe.store.codec import Conflicted, Doc, SessionFile


class Pseudonymiser:
    """Rewrites session files; codes are worked out once over every session bundled."""

    def __init__(self, entries: Iterable[Any], secret: bytes) -> None:
        facilitators, observers = people_in(entries)
        fac_codes = Pseudonyms(facilitators, "F", secret=secret)
        obs_codes = Pseudonyms(observers, "O", secret=secret)
        self.facilitator = {pid: fac_codes(pid) for pid in facilitators}
        self.observer = {pid: obs_codes(pid) for pid in observers}
        by_name: dict[str, str] = {}  # a name as written -> its code
        by_part: dict[str, str] = {}  # a part of a name, or an @handle -> its code
        for people, codes in ((observers, self.observer), (facilitators, self.facilitator)):
            for pid, name in people.items():
                code = codes[pid]
                by_name[name.strip().lower()] = code
                handle = f"@{slugify(code)}"  # a tag in a note stays a tag of the same person
                by_part[f"@{pid}"] = handle
                for part in name.split():
                    if len(part) >= 3:
                        by_part[part] = code
                        by_part[f"@{slugify(part)}"] = handle
        self._names = _alternation(by_name, re.IGNORECASE)
        self._parts = _alternation(by_part, 0)
        self._by_name, self._by_part = by_name, by_part

    def text(self, value: str) -> str:
        if self._names is not None:
            value = self._names.sub(lambda m: self._by_name[m.group(0).lower()], value)
        if self._parts is not None:
            value = self._parts.sub(lambda m: self._by_part[m.group(0)], value)
        return value

    def __call__(self, file: SessionFile) -> SessionFile:
        session_id = file.record.session.id
        ids = {pid: slugify(code) for pid, code in self.facilitator.items()}
        # A rating's id is made from its facilitator's id (Rating.id_for): made again.
        for rating in file.record.ratings:
            old, crit = rating.facilitator, rating.criterion
            if old in ids and rating.id == Rating.id_for(session_id, old, crit):
                ids[rating.id] = Rating.id_for(session_id, ids[old], crit)
        # So are a summary's and a response's, and the ids made for actions that had none.
        for doc in (*file.record.summaries, *file.record.responses):
            old = doc.facilitator
            if old in ids and doc.id == type(doc).id_for(session_id, old):
                ids[doc.id] = type(doc).id_for(session_id, ids[old])
            for i, action in enumerate(getattr(doc, "actions", ())):
                if doc.id in ids and action.id == Action.id_for(doc.id, i):
                    ids[action.id] = Action.id_for(ids[doc.id], i)
        record = codec.record_of((t, self._doc(d, ids)) for t, d in codec.documents(file.record))
        conflicts = tuple(self._conflict(c, ids) for c in file.conflicts)
        return replace(file, record=record, conflicts=conflicts)

    def _conflict(self, conflict: Conflicted, ids: dict[str, str]) -> Conflicted:
        versions = tuple(self._doc(v, ids) for v in conflict.versions)
        return replace(conflict, id=ids.get(conflict.id, conflict.id), versions=versions)

    def _doc(self, doc: Doc, ids: dict[str, str]) -> Doc:
        """The document with its people as codes; the framework snapshot holds no names."""
        data = doc.dump()
        framework = data.pop("framework", None)
        if isinstance(doc, Session):
            meta = data["meta"]
            for person in meta["facilitators"]:
                person["name"] = self.facilitator.get(person["id"], "F-unknown")
            observer = meta.get("observer")
            if isinstance(observer, dict):
                code = self.observer.get(observer["id"], "O-unknown")
                observer.update(id=slugify(code), name=code)
        data = self._walk(data, ids)
        if framework is not None:
            data["framework"] = framework
        return type(doc).model_validate(data)

    def _walk(self, value: Any, ids: dict[str, str]) -> Any:
        if isinstance(value, dict):
            return {ids.get(k, k): self._walk(v, ids) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, ids) for v in value]
        if isinstance(value, str):
            return ids[value] if value in ids else self.text(value)
        return value


def _alternation(terms: dict[str, str], flags: int) -> re.Pattern[str] | None:
    if not terms:
        return None
    longest_first = sorted(terms, key=len, reverse=True)
    body = "|".join(re.escape(t) for t in longest_first)
    return re.compile(rf"(?<![\w@])(?:{body})(?![\w-])", flags)
