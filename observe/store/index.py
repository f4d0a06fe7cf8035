"""The derived index in .observe/: one summary per session file, for listing and collation.

An entry is refreshed when its file's size or mtime changed; the whole index is rebuilt when
it is missing or unreadable. Deleting it loses nothing. The live note path never touches it.

Ratings are packed, as thousands of sessions hold hundreds of thousands of them: per session
the rated criteria once (``criteria``, space-separated, sorted) and per facilitator one
character per criterion (``levels``: a digit, ``-`` for not observed, a space for not rated);
anything that does not fit (a level above 9, a repeated rating, a criterion id with a space)
stays a [facilitator, criterion, level] triple in ``extra``. ``Entry.ratings`` unpacks them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections import Counter
from dataclasses import dataclass, field, fields
from itertools import chain, pairwise, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from observe.core.answers import progress
from observe.core.errors import SessionUnreadable
from observe.core.gcpause import gc_paused
from observe.core.models import ID_RULE, Meta, Status, valid_id
from observe.core.packing import CHAR_LEVELS, LEVEL_CHARS, NOT_RATED
from observe.core.readfile import check_stat, read_regular
from observe.store import codec, files
from observe.store.agreed import rows_of
from observe.store.atomic import write_atomic
from observe.store.workspace import Workspace

INDEX_VERSION = 6  # 6: every facilitator's agreed actions (observe.store.agreed)
TABLE = "sessions"
# What neither listing nor collation reads of a session's meta (the file keeps it).
META_LEFT_OUT = frozenset({"focus", "consent"})


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
    criteria: str = ""  # the rated criteria, sorted, space-separated (see the module's doc)
    levels: dict[str, str] = field(default_factory=dict)  # facilitator -> a char per criterion
    extra: list[list[Any]] = field(default_factory=list)  # ratings the packing cannot hold
    updated_at: str = ""
    created_at: str = ""  # home lists newest first by it
    conflicts: int = 0  # open merge conflicts waiting for a person (observe.store.merge)
    actions: list[list[Any]] = field(default_factory=list)  # observe.store.agreed.ROW each

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def ratings(self) -> list[list[Any]]:
        """[facilitator id, criterion id, level or None] per rating."""
        names = self.criteria.split(" ")
        out = [
            [fac, crit, CHAR_LEVELS[ch]]
            for fac, chars in self.levels.items()
            for crit, ch in zip(names, chars, strict=True)
            if ch != NOT_RATED
        ]
        return out + [list(r) for r in self.extra]

    @property
    def facilitator_names(self) -> list[str]:
        return [p.get("name", "") for p in self.meta.get("facilitators", [])]

    def to_doc(self) -> dict[str, Any]:
        return self.__dict__.copy()


def summarise(name: str, raw: bytes, stat: os.stat_result) -> Entry:
    """An index entry from a file's bytes; an unreadable file gives an entry with the reason."""
    entry = Entry(name=name, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    try:
        data = codec.parse_raw(raw, name)
        doc = codec.session_doc(data)
        meta = Meta.model_validate(doc.get("meta"))
        if doc.get("status") not in Status._value2member_map_:
            known = ", ".join(Status)
            raise SessionUnreadable(f"session: status: {doc.get('status')!r} is not one of {known}")
        if not valid_id(doc.get("id")):  # ids become file names: see observe.core.models
            raise SessionUnreadable(f"session: id: {doc.get('id')!r} is not a valid id: {ID_RULE}")
        people = [p.id for p in meta.facilitators]
        responses = codec.per_facilitator(data, codec.RESPONSES_TABLE, doc["id"], people)
        status = progress(Status(doc["status"]), people, responses)  # type: ignore[arg-type]
        fw = doc.get("framework") or {}
        if not isinstance(fw, dict) or not all(isinstance(fw.get(k), str) for k in ("id", "hash")):
            raise SessionUnreadable("session: framework: id and hash are required")
        live, kinds = _note_counts(codec.notes_table(data))
        rated, criteria, levels, extra = _ratings(codec.ratings_table(data))
        meta_doc = meta.model_dump(mode="json", exclude=META_LEFT_OUT)
    except SessionUnreadable as exc:
        entry.error = str(exc)
        return entry
    except Exception as exc:  # a validation error in meta or status, or a wrong shape
        entry.error = _reason(exc)
        return entry
    entry.id = str(doc.get("id", ""))
    entry.rev = int(doc.get("rev", 0))
    entry.status = status.value
    entry.meta = meta_doc
    entry.framework = {k: str(fw.get(k, "")) for k in ("id", "version", "hash", "title")}
    entry.counts = {
        "notes": live,
        **{k: v for k, v in kinds.items()},
        "ratings": rated,
    }
    entry.criteria, entry.levels, entry.extra = criteria, levels, extra
    entry.updated_at = str(doc.get("updated_at", ""))
    entry.created_at = str(doc.get("created_at", ""))
    entry.actions = rows_of(responses)  # type: ignore[arg-type]
    if data.get(codec.CONFLICTS_TABLE):  # rare: worked out exactly (an edit may have settled one)
        from observe.store.merge import conflicts_in

        try:
            entry.conflicts = len(conflicts_in(codec.file_from_tables(data)))
        except SessionUnreadable:
            entry.conflicts = 0  # the file opens nowhere; its conflicts cannot be settled
    return entry


# A rebuild reads every file, so these run once per file: itemgetter, map, zip and Counter do
# the looping in C for files as the repository writes them; anything else takes a slow path.
_KIND = itemgetter("kind")
_DELETED = itemgetter("deleted")
_KIND_DELETED = itemgetter("kind", "deleted")
_FACILITATOR = itemgetter("facilitator")
_CRITERION = itemgetter("criterion")
_LEVEL = itemgetter("level")


def _cleared(doc: Any) -> bool:
    return isinstance(doc, dict) and doc.get("deleted") is True


Packed = tuple[int, str, dict[str, str], list[list[Any]]]  # (rated, criteria, levels, extra)


def _note_counts(notes: dict[str, Any]) -> tuple[int, Counter[str]]:
    """(live notes, live notes per kind)."""
    values = notes.values()
    try:
        if not any(map(_DELETED, values)):
            return len(notes), Counter(map(_KIND, values))
        pairs = Counter(map(_KIND_DELETED, values))
    except (KeyError, TypeError):
        pairs = Counter(
            (n.get("kind", "observation"), bool(n.get("deleted")))
            for n in values
            if isinstance(n, dict)
        )
    kinds: Counter[str] = Counter()
    for (kind, deleted), count in pairs.items():
        if not deleted:
            kinds[kind] += count
    return sum(kinds.values()), kinds


def _ratings(table: dict[str, Any]) -> Packed:
    """The ratings checked (collation trusts them) and packed: see the module's doc."""
    values = table.values()
    if any(map(_cleared, values)):  # rare: a cleared rating is no rating
        values = [v for v in values if not _cleared(v)]
    try:
        facs = tuple(map(_FACILITATOR, values))
        crits = tuple(map(_CRITERION, values))
        levels = tuple(map(_LEVEL, values))
    except (KeyError, TypeError):
        raise SessionUnreadable(
            "ratings: each needs a facilitator, a criterion and a level"
        ) from None
    if not facs:
        return 0, "", {}, []
    try:
        text = "".join(crits) + "".join(facs)  # (a TypeError unless all are text)
    except TypeError:
        raise SessionUnreadable("ratings: facilitator and criterion must be text") from None
    if not all(map(valid_id, set(facs))):
        bad = next(f for f in facs if not valid_id(f))
        raise SessionUnreadable(f"ratings: facilitator: {bad!r} is not a valid id: {ID_RULE}")
    if not set(map(type, levels)) <= {int, type(None)}:
        bad = next(v for v in levels if v is not None and type(v) is not int)
        raise SessionUnreadable(f"ratings: level: expected a whole number, got {bad!r}")
    rated = len(levels) - levels.count(None)
    # As the repository writes them: each facilitator's ratings together, every facilitator
    # rating the same criteria in the same order. Then the levels in file order are the
    # packing (a repeated criterion is a repeated column); anything else goes one by one.
    people = dict.fromkeys(facs)
    per = len(crits) // len(people)
    names = crits[:per]
    chars = list(map(LEVEL_CHARS.get, levels))
    if (
        None not in chars
        and " " not in text
        and (len(people) == 1 or crits == names * len(people))
        and (len(people) == 1 or facs == tuple(chain.from_iterable(repeat(f, per) for f in people)))
    ):
        levels_text = "".join(chars)
        packed = {fac: levels_text[i * per : (i + 1) * per] for i, fac in enumerate(people)}
        return rated, " ".join(names), packed, []
    return rated, *_pack(list(zip(facs, crits, levels, strict=True)))


def _pack(ratings: list[tuple[Any, ...]]) -> tuple[str, dict[str, str], list[list[Any]]]:
    """(criteria, levels, extra) of checked ratings, one by one."""
    names = sorted({r[1] for r in ratings if " " not in r[1]})
    where = {crit: i for i, crit in enumerate(names)}
    rows: dict[str, list[str]] = {}
    blank = [NOT_RATED] * len(names)
    extra: list[list[Any]] = []
    for fac, crit, level in ratings:
        row = rows.get(fac)
        if row is None:
            row = rows[fac] = blank.copy()
        i = where.get(crit)
        char = LEVEL_CHARS.get(level)
        if i is None or char is None or row[i] != NOT_RATED:
            extra.append([fac, crit, level])
        else:
            row[i] = char
    levels = {fac: "".join(row) for fac, row in rows.items() if row != blank}
    return " ".join(names), levels, extra


def _reason(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err["loc"])
        return f"session: meta.{loc}: {err['msg']}" if loc else f"session: {err['msg']}"
    return f"session: {exc}"


def _stat_session_files(folder: Path) -> list[tuple[str, os.stat_result]]:
    """(name, stat) of every session file, without building a Path for each of thousands.

    (A stat by name costs a third of ``DirEntry.stat()`` here, measured over 5,000 files.)
    """
    out = []
    try:
        names = os.listdir(folder)
    except OSError:  # no sessions/ folder (yet)
        return []
    prefix = os.path.join(folder, "")
    for name in sorted(names):
        if name.endswith(files.SUFFIX) and not name.startswith("."):
            with contextlib.suppress(OSError):  # gone since the folder was read
                # The entry itself: a link is listed as unreadable, never followed.
                out.append((name, os.lstat(prefix + name)))
    return out


_FIELDS = frozenset(f.name for f in fields(Entry))


def _entry_of(doc: dict[str, Any]) -> Entry:
    """An entry around a loaded document as it is (a third of the cost of ``Entry(**doc)``)."""
    if doc.keys() != _FIELDS:
        raise KeyError("index entry: unexpected fields")
    entry = object.__new__(Entry)
    entry.__dict__ = doc
    return entry


# Summarising is CPU-bound and independent per file, so a rebuild of many files uses every
# core. Forking is safe only while this process has a single thread (the command line); the
# app lists from a worker thread and takes the one-process path.
PARALLEL_FROM = 1000


def _read(path: str) -> bytes:
    """A file's bytes in one read for its size (a third of the cost of ``Path.read_bytes()``
    for a small file); a FIFO or a huge file named *.json is refused without hanging."""
    return read_regular(path, files.MAX_SESSION_BYTES, follow=False)


def _summarise_file(folder: Path, name: str, stat: os.stat_result) -> Entry:
    try:
        check_stat(stat, files.MAX_SESSION_BYTES)  # as listed: a link or a FIFO is not opened
        raw = _read(os.path.join(folder, name))
    except OSError as exc:
        return Entry(
            name, stat.st_size, stat.st_mtime_ns, error=f"cannot read: {exc.strerror or exc}"
        )
    return summarise(name, raw, stat)


def _summarise_chunk(folder: Path, todo: list[tuple[str, os.stat_result]]) -> list[Entry]:
    with gc_paused():
        return [_summarise_file(folder, name, stat) for name, stat in todo]


def _summarise_docs(folder: Path, todo: list[tuple[str, os.stat_result]]) -> list[dict[str, Any]]:
    """A helper process's share, as plain dicts: they cross the pipe in half the time."""
    with gc_paused():
        return [_summarise_file(folder, name, stat).__dict__ for name, stat in todo]


def _summarise_all(folder: Path, todo: list[tuple[str, os.stat_result]]) -> list[Entry]:
    cores = min(os.cpu_count() or 1, 8)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if len(todo) < PARALLEL_FROM or cores < 2 or not forkable or threading.active_count() > 1:
        return _summarise_chunk(folder, todo)
    # This process takes a share as well, while the helpers work: it would otherwise sit
    # idle. Its share is a fifth larger, as its entries need no trip through a pipe.
    weights = [1.2] + [1.0] * (cores - 1)
    bounds = [round(len(todo) * sum(weights[:i]) / sum(weights)) for i in range(cores + 1)]
    shares = [todo[a:b] for a, b in pairwise(bounds)]
    with multiprocessing.get_context("fork").Pool(cores - 1) as pool:
        pending = [pool.apply_async(_summarise_docs, (folder, share)) for share in shares[1:]]
        entries = _summarise_chunk(folder, shares[0])
        for result in pending:
            entries += map(_entry_of, result.get())
    return entries


class Index:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.path = workspace.index_path
        self.entries: dict[str, Entry] = {}
        self.rebuilt = False

    def _load(self) -> bool:
        try:
            raw = self.path.read_bytes()
            data = orjson.loads(raw)  # with the GC paused by refresh(): see there
            meta = data["meta"]["1"]
            if meta.get("version") != INDEX_VERSION:
                return False
            self.entries = {doc["name"]: _entry_of(doc) for doc in data[TABLE].values()}
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
        # Thousands of small, acyclic objects are built here: the cyclic GC would run over
        # and over while they are, tripling the time of a load or a rebuild.
        with gc_paused():
            return self._refresh()

    def _refresh(self) -> list[Entry]:
        loaded = self._load()
        self.rebuilt = not loaded
        changed = not loaded
        seen: set[str] = set()
        folder = self.workspace.sessions_dir
        todo: list[tuple[str, os.stat_result]] = []
        for name, stat in _stat_session_files(folder):
            seen.add(name)
            old = self.entries.get(name)
            if not (old and old.size == stat.st_size and old.mtime_ns == stat.st_mtime_ns):
                todo.append((name, stat))
        for entry in _summarise_all(folder, todo):
            self.entries[entry.name] = entry
            changed = True
        for name in list(self.entries):
            if name not in seen:
                del self.entries[name]
                changed = True
        if changed:
            self.entries = dict(sorted(self.entries.items()))
            self._save()
        return list(self.entries.values())
