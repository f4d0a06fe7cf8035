"""Published documents in the team folder: where each lives, and listing them cheaply.

An observer's session is ``members/<observer id>/sessions/<session id>.age``; a facilitator's
response to it is ``members/<facilitator id>/responses/<session id>.age``. Names carry ids
only. Listing is one ``scandir`` per folder and one ``lstat`` per file, since a sync that
finds nothing new must cost little more than that: nothing is opened here.

Conflict copies that sync engines make (``<id>.sync-conflict-...age``, ``<id> (... conflicted
copy ...).age``, OneDrive's ``<id>-MACHINE.age``) are listed as versions of their original.
Hidden and temporary names (``.``, ``~``) and anything that is not a regular file are passed
over; nothing is deleted.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from observe.core.conflictcopies import original_of
from observe.core.readfile import MiB, read_regular
from observe.store.atomic import write_atomic
from observe.store.team.errors import TeamError
from observe.store.team.folder import MEMBERS, TeamFolder
from observe.store.team.ids import is_member_id

SESSIONS, RESPONSES = "sessions", "responses"
KINDS = {SESSIONS: "session", RESPONSES: "response"}  # folder -> the kind its writer signs
SUFFIX = ".age"
# A session of a thousand notes is about a megabyte; sealing adds little.
MAX_PUBLISHED = 64 * MiB
_DOC = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")  # a session id (core.models.ID_PATTERN)


def is_doc_name(name: str) -> bool:
    return name.endswith(SUFFIX) and _DOC.fullmatch(name[: -len(SUFFIX)]) is not None


def doc_of(name: str) -> str | None:
    """The session id a file of this name stands for: itself, the original of a copy, or of
    a copy of a copy (an engine copies a conflict copy that changed in two places too)."""
    for _ in range(8):
        if is_doc_name(name):
            return name[: -len(SUFFIX)]
        original = original_of(name, is_doc_name)
        if original is None:
            return None
        name = original
    return None


def rel_path(member_id: str, folder: str, doc: str) -> str:
    """Where a document lives, relative to the team folder (``/``-separated)."""
    if not is_member_id(member_id) or folder not in KINDS or not _DOC.fullmatch(doc):
        raise ValueError(f"not a published document: {member_id}/{folder}/{doc}")
    return f"{MEMBERS}/{member_id}/{folder}/{doc}{SUFFIX}"


@dataclass(frozen=True)
class Found:
    """One file in a member's ``sessions/`` or ``responses/``, as listed (not yet read)."""

    rel: str  # relative to the team folder: names the file in the state and in messages
    path: str
    member_id: str
    folder: str  # SESSIONS or RESPONSES
    doc: str  # the session id its name stands for
    copy: bool  # a sync engine's conflict copy
    size: int
    mtime_ns: int

    @property
    def kind(self) -> str:
        return KINDS[self.folder]


@dataclass(frozen=True)
class Folder:
    """One member's ``sessions/`` or ``responses/`` folder as listed: each file's name, size
    and mtime (regular files only; hidden and temporary names left out), in the order the
    directory lists them."""

    rel: str
    path: str
    member_id: str
    folder: str
    files: list[tuple[str, int, int]]

    def fingerprint(self) -> str:
        """The same while no file in the folder was added, removed, resized or touched."""
        try:
            listed = orjson.dumps(self.files)
        except orjson.JSONEncodeError:  # a name that is not UTF-8: spelled out instead
            listed = repr(self.files).encode("utf-8", "surrogateescape")
        return hashlib.sha256(listed).hexdigest()[:32]

    def found(self, name: str, size: int, mtime_ns: int) -> Found | None:
        """The file as a published document, or None when its name is not one."""
        doc = name[: -len(SUFFIX)] if is_doc_name(name) else doc_of(name)
        if doc is None:
            return None
        rel = f"{self.rel}/{name}"
        path = os.path.join(self.path, name)
        copy = name != doc + SUFFIX
        return Found(rel, path, self.member_id, self.folder, doc, copy, size, mtime_ns)


def folders(team: TeamFolder) -> list[Folder]:
    """Every member's ``sessions/`` and ``responses/``, listed with one stat per file."""
    try:
        parts = [e for e in os.scandir(team.members_dir) if is_member_id(e.name)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    out = []
    for part in sorted(parts, key=lambda e: e.name):
        if not part.is_dir(follow_symlinks=False):
            continue
        for folder in (SESSIONS, RESPONSES):
            path = os.path.join(part.path, folder)
            if os.path.islink(path):
                continue  # a link planted in the folder: read nothing through it
            try:
                entries = list(os.scandir(path))
            except OSError:
                continue
            files = []
            for entry in entries:
                if entry.name[0] in ".~":
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue  # moved away since it was listed
                if stat.S_ISREG(st.st_mode):
                    files.append((entry.name, st.st_size, st.st_mtime_ns))
            # Left in the directory's own order: sorting 5,000 names costs a fifth of a sync
            # that finds nothing new. An unchanged folder lists in the same order on the
            # file systems a team folder lives on; one that reorders only makes the next
            # sync compare each file's stat with its record, never merge anything wrongly.
            out.append(Folder(f"{MEMBERS}/{part.name}/{folder}", path, part.name, folder, files))
    return out


def listing(team: TeamFolder) -> Iterator[Found]:
    """Every published document (and conflict copy) in every member's part, with its stat."""
    for folder in folders(team):
        for name, size, mtime_ns in sorted(folder.files):
            found = folder.found(name, size, mtime_ns)
            if found is not None:
                yield found


def read(found: Found) -> bytes | None:
    """The file's bytes, or None when it is empty or gone (still arriving, or moved);
    OSError with its reason when it cannot be read (not regular, too large)."""
    if found.size == 0:
        return None
    try:
        return read_regular(found.path, MAX_PUBLISHED) or None
    except FileNotFoundError:
        return None


def write_own(team: TeamFolder, member_id: str, folder: str, doc: str, data: bytes) -> Path:
    """Write one of this member's own documents, atomically; the folders are made as needed."""
    path = team.root / rel_path(member_id, folder, doc)
    for above in (team.members_dir, path.parent.parent, path.parent):
        if above.is_symlink():  # planted by someone with the folder: write nothing through it
            raise TeamError(f"{above} is a link, not a folder; nothing is written through it")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return path


def stat_own(team: TeamFolder, rel: str) -> os.stat_result | None:
    try:
        return os.stat(team.root / rel)
    except OSError:
        return None
