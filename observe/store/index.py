"""The derived index in .observe/: one summary per session file, for listing and collation.

An entry is refreshed when its file's size or mtime changed; the whole index is rebuilt when
it is missing or unreadable. Deleting it loses nothing. The live note path never touches it.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from observe.errors import SessionUnreadable
from observe.models import Meta, Status
from observe.store import files
from observe.store.atomic import write_atomic
from observe.workspace import Workspace

INDEX_VERSION = 1
TABLE = "sessions"


@dataclass
class Entry:
    """What listing and collation need from one session file."""

    name: str
    size: int
    mtime_ns: int
    error: str | None = None
    id: str = ""
    rev: int = 0
    status: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    framework: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    # [facilitator id, criterion id, level or None], compact for thousands of sessions
    ratings: list[list[Any]] = field(default_factory=list)
    updated_at: str = ""
    conflicts: int = 0  # open merge conflicts waiting for a person (observe.store.merge)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def facilitator_names(self) -> list[str]:
        return [p.get("name", "") for p in self.meta.get("facilitators", [])]

    def to_doc(self) -> dict[str, Any]:
        return self.__dict__.copy()


def summarise(path: Path, raw: bytes, stat: os.stat_result) -> Entry:
    """An index entry from a file's bytes; an unreadable file gives an entry with the reason."""
    entry = Entry(name=path.name, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    try:
        data = files.parse_raw(raw, path.name)
        doc = next(iter(data[files.SESSION_TABLE].values()))
        meta = Meta.model_validate(doc.get("meta"))
        if doc.get("status") not in Status._value2member_map_:
            known = ", ".join(Status)
            raise SessionUnreadable(f"session: status: {doc.get('status')!r} is not one of {known}")
        status = Status(doc["status"])
        fw = doc.get("framework") or {}
        if not isinstance(fw, dict) or not all(isinstance(fw.get(k), str) for k in ("id", "hash")):
            raise SessionUnreadable("session: framework: id and hash are required")
        live, kinds = _note_counts(data.get(files.NOTES_TABLE) or {})
        ratings = _ratings(data.get(files.RATINGS_TABLE) or {})
    except SessionUnreadable as exc:
        entry.error = str(exc)
        return entry
    except Exception as exc:  # a validation error in meta or status, or a wrong shape
        entry.error = _reason(exc)
        return entry
    entry.id = str(doc.get("id", ""))
    entry.rev = int(doc.get("rev", 0))
    entry.status = status.value
    entry.meta = meta.model_dump(mode="json")
    entry.framework = {k: str(fw.get(k, "")) for k in ("id", "version", "hash", "title")}
    entry.counts = {
        "notes": live,
        **{k: v for k, v in kinds.items()},
        "ratings": len(ratings) - list(map(_LEVEL, ratings)).count(None),
    }
    entry.ratings = ratings
    entry.updated_at = str(doc.get("updated_at", ""))
    if data.get("conflicts"):  # rare: worked out exactly, as an edit since may have settled one
        from observe.store.merge import conflicts_in

        entry.conflicts = len(conflicts_in(data))
    return entry


# A rebuild reads every file, so these run once per file: itemgetter and Counter do the
# looping in C for files as the repository writes them; anything else takes the slow path.
_KIND_DELETED = itemgetter("kind", "deleted")
_RATING = itemgetter("facilitator", "criterion", "level")
_LEVEL = itemgetter(2)


def _note_counts(notes: dict[str, Any]) -> tuple[int, Counter[str]]:
    """(live notes, live notes per kind)."""
    try:
        pairs = Counter(map(_KIND_DELETED, notes.values()))
    except (KeyError, TypeError):
        pairs = Counter(
            (n.get("kind", "observation"), bool(n.get("deleted")))
            for n in notes.values()
            if isinstance(n, dict)
        )
    kinds: Counter[str] = Counter()
    for (kind, deleted), count in pairs.items():
        if not deleted:
            kinds[kind] += count
    return sum(kinds.values()), kinds


def _ratings(table: dict[str, Any]) -> list[list[Any]]:
    """[facilitator, criterion, level] per rating, checked: collation trusts these."""
    try:
        ratings = list(map(list, map(_RATING, table.values())))
        facs = {r[0] for r in ratings} | {r[1] for r in ratings}
        levels = {r[2] for r in ratings}
    except (KeyError, TypeError):
        raise SessionUnreadable(
            "ratings: each needs a facilitator, a criterion and a level"
        ) from None
    if any(type(v) is not str for v in facs):
        raise SessionUnreadable("ratings: facilitator and criterion must be text")
    for level in levels:
        if level is not None and type(level) is not int:
            raise SessionUnreadable(f"ratings: level: expected a whole number, got {level!r}")
    return ratings


def _reason(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err["loc"])
        return f"session: meta.{loc}: {err['msg']}" if loc else f"session: {err['msg']}"
    return f"session: {exc}"


def _stat_session_files(folder: Path) -> list[tuple[str, os.stat_result]]:
    """(name, stat) of every session file, without building a Path for each of thousands."""
    out = []
    try:
        with os.scandir(folder) as found:
            for item in found:
                name = item.name
                if name.endswith(files.SUFFIX) and not name.startswith("."):
                    with contextlib.suppress(OSError):  # gone since the folder was read
                        out.append((name, item.stat()))
    except OSError:  # no sessions/ folder (yet)
        return []
    out.sort()
    return out


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Index:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.path = workspace.index_path
        self.entries: dict[str, Entry] = {}
        self.rebuilt = False

    def _load(self) -> bool:
        try:
            raw = self.path.read_bytes()
            # Hundreds of thousands of small lists (the ratings): the cyclic GC would run
            # over and over while they are built, tripling the time, and none of them cycle.
            with _gc_paused():
                data = orjson.loads(raw)
                meta = data["meta"]["1"]
                if meta.get("version") != INDEX_VERSION:
                    return False
                self.entries = {doc["name"]: Entry(**doc) for doc in data[TABLE].values()}
            return True
        except (OSError, ValueError, KeyError, TypeError):
            self.entries = {}
            return False

    def _save(self) -> None:
        tables = {
            "meta": {"1": {"version": INDEX_VERSION}},
            TABLE: {str(i): e.to_doc() for i, e in enumerate(self.entries.values(), start=1)},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Derived data: a read-only workspace still lists, only slower next time.
        with contextlib.suppress(OSError):
            write_atomic(self.path, orjson.dumps(tables))  # compact: a third of the parse time

    def refresh(self) -> list[Entry]:
        """Bring the index up to date with sessions/ and return every entry, sorted by name."""
        with _gc_paused():  # see _load: the entries are many small, acyclic objects
            return self._refresh()

    def _refresh(self) -> list[Entry]:
        loaded = self._load()
        self.rebuilt = not loaded
        changed = not loaded
        seen: set[str] = set()
        folder = self.workspace.sessions_dir
        for name, stat in _stat_session_files(folder):
            seen.add(name)
            old = self.entries.get(name)
            if old and old.size == stat.st_size and old.mtime_ns == stat.st_mtime_ns:
                continue
            path = folder / name
            try:
                raw = path.read_bytes()
            except OSError as exc:
                entry = Entry(
                    path.name,
                    stat.st_size,
                    stat.st_mtime_ns,
                    error=f"cannot read: {exc.strerror or exc}",
                )
            else:
                entry = summarise(path, raw, stat)
            self.entries[path.name] = entry
            changed = True
        for name in list(self.entries):
            if name not in seen:
                del self.entries[name]
                changed = True
        if changed:
            self.entries = dict(sorted(self.entries.items()))
            self._save()
        return list(self.entries.values())

    def by_id(self, prefix: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.ok and e.id.startswith(prefix)]
