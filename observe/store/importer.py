"""Importing sessions into a workspace: read sources, merge each under its lock, report.

A session open in the app (its lock held) is refused and left alone; so is one whose local
file is unreadable. Nothing is written outside the workspace's sessions/ folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from observe.core.errors import ObserveError, SessionUnreadable
from observe.core.models import ID_RULE, valid_id
from observe.store import codec, files, merge
from observe.store.atomic import write_atomic
from observe.store.bundle import Member, Refused, read_sources
from observe.store.index import Index
from observe.store.lock import SessionLock
from observe.store.workspace import Workspace

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


@dataclass
class SessionResult:
    source: str
    session_id: str
    file: str
    kind: str  # added, updated or unchanged
    outcome: merge.Outcome


@dataclass
class ImportReport:
    results: list[SessionResult] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for r in self.results if r.kind == kind)

    @property
    def new_conflicts(self) -> list[tuple[SessionResult, tuple[str, str]]]:
        return [(r, key) for r in self.results for key in r.outcome.new_conflicts]

    def summary(self) -> str:
        return (
            f"{self.count(ADDED)} added, {self.count(UPDATED)} updated,"
            f" {self.count(UNCHANGED)} unchanged, {len(self.new_conflicts)} new conflicts,"
            f" {len(self.refused)} refused"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.count(ADDED),
            "updated": self.count(UPDATED),
            "unchanged": self.count(UNCHANGED),
            "conflicts": [
                {"session": r.session_id, "file": r.file, "table": t, "document": d}
                for r, (t, d) in self.new_conflicts
            ],
            "refused": [{"source": x.source, "reason": x.reason} for x in self.refused],
        }


class Importer:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.folder = workspace.sessions_dir
        entries = Index(workspace).refresh()
        self.by_id: dict[str, str] = {e.id: e.name for e in entries if e.ok}
        self.unreadable: set[str] = {e.name for e in entries if not e.ok}

    def run(
        self,
        paths: list[Path],
        progress: Callable[[int, str], None] | None = None,
        members: Iterable[Member | Refused] = (),
    ) -> ImportReport:
        """Merge what ``paths`` hold, after ``members`` already read (a sealed bundle's)."""
        report = ImportReport()
        for i, item in enumerate(chain(members, read_sources(paths)), start=1):
            if progress is not None:
                progress(i, item.source)
            if isinstance(item, Refused):
                report.refused.append(item)
                continue
            try:
                report.results.append(self.merge_one(item))
            except ObserveError as exc:
                report.refused.append(Refused(item.source, str(exc)))
            except OSError as exc:  # this member could not be written; the others go on
                report.refused.append(Refused(item.source, f"cannot write: {exc.strerror or exc}"))
        return report

    def merge_one(self, item: Member) -> SessionResult:
        try:
            tables = codec.parse_raw(item.raw, item.source)
            codec.check_depth(tables)
            session_id = codec.session_doc(tables).get("id")
            if not valid_id(session_id):  # it names the lock file: checked before anything
                raise SessionUnreadable(f"session: id: {session_id!r} is not a valid id: {ID_RULE}")
            name = self.by_id.get(session_id)
            if name is not None and self._same_bytes(self.folder / name, item.raw):
                # The commonest case when a lead imports again: nothing new at all.
                return SessionResult(item.source, session_id, name, UNCHANGED, merge.Outcome())
            incoming = codec.file_from_tables(tables)
            if name is None:
                name = files.file_name(incoming.record.session)
                self._refuse_unreadable_twin(name, incoming.record.session.short_id)
        except SessionUnreadable as exc:
            raise SessionUnreadable(f"not imported: {exc}") from None
        path = self.folder / name
        lock = SessionLock(path, session_id, name).acquire()
        try:
            local = self._read_local(path, session_id)
            merged, outcome = merge.merge_files(local, incoming)
            if local is None:
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                # Keep the sender's bytes when merging changed nothing in them, so that the
                # next import of the same file is recognised at once.
                data = codec.encode_file(merged)
                same = orjson.loads(item.raw) == orjson.loads(data)
                write_atomic(path, item.raw if same else data)
                kind = ADDED
            elif outcome.changed:
                data = codec.encode_file(merged)
                # Both sides were valid; check the union is too before it replaces anything.
                codec.decode_file(data, name)
                write_atomic(path, data)
                kind = UPDATED
            else:
                kind = UNCHANGED
        finally:
            lock.release()
        self.by_id[session_id] = name
        return SessionResult(item.source, session_id, name, kind, outcome)

    @staticmethod
    def _same_bytes(path: Path, raw: bytes) -> bool:
        try:
            return path.stat().st_size == len(raw) and files.read_bytes(path) == raw
        except OSError:
            return False

    def _refuse_unreadable_twin(self, name: str, short_id: str) -> None:
        for local in self.unreadable:
            if local == name or Path(local).stem.endswith("_" + short_id):
                raise SessionUnreadable(
                    f"the local file {local} for this session is unreadable; it is left"
                    " untouched (fix or move it, then import again)"
                )

    def _read_local(self, path: Path, session_id: str) -> codec.SessionFile | None:
        try:
            raw = files.read_bytes(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SessionUnreadable(f"{path.name}: cannot read: {exc.strerror or exc}") from None
        try:
            local = codec.decode_file(raw, path.name)
        except SessionUnreadable as exc:
            raise SessionUnreadable(
                f"the local file {path.name} is unreadable ({exc}); it is left untouched"
            ) from None
        if local.record.session.id != session_id:
            raise SessionUnreadable(f"{path.name} already exists and holds another session")
        return local


def import_paths(
    workspace: Workspace,
    paths: list[Path],
    progress: Callable[[int, str], None] | None = None,
    members: Iterable[Member | Refused] = (),
) -> ImportReport:
    return Importer(workspace).run(paths, progress, members)


# ---------------------------------------------------------------- conflicts in the workspace


@dataclass(frozen=True)
class SessionConflicts:
    path: Path
    session_id: str
    conflicts: list[merge.Conflict]


def workspace_conflicts(workspace: Workspace) -> list[SessionConflicts]:
    """Every open conflict, from the index's counts; only files with conflicts are parsed."""
    out = []
    for entry in Index(workspace).refresh():
        if not entry.ok or not getattr(entry, "conflicts", 0):
            continue
        path = workspace.sessions_dir / entry.name
        try:
            file = codec.decode_file(files.read_bytes(path), entry.name)
        except (OSError, SessionUnreadable):
            continue
        found = merge.conflicts_in(file)
        if found:
            out.append(SessionConflicts(path, entry.id, found))
    return out


def settle(workspace: Workspace, path: Path, doc_id: str, keep: str) -> codec.Doc:
    """Settle one conflict in the session file at ``path``, under its lock."""
    try:
        raw = files.read_bytes(path)
    except OSError as exc:
        raise SessionUnreadable(f"{path.name}: cannot read: {exc.strerror or exc}") from None
    session_id = codec.session_doc(codec.parse_raw(raw, path.name)).get("id")
    if not valid_id(session_id):
        raise SessionUnreadable(f"session: id: {session_id!r} is not a valid id: {ID_RULE}")
    with SessionLock(path, session_id, path.name):
        file = codec.decode_file(files.read_bytes(path), path.name)
        settled, kept = merge.settle_file(file, doc_id, keep)
        data = codec.encode_file(settled)
        codec.decode_file(data, path.name)  # the very bytes written
        write_atomic(path, data)
    return kept
