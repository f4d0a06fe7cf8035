"""Bundles: a zip of session files and a manifest, for sending sessions to a lead.

Reading a bundle never extracts anything to disk: members are read into memory, streaming,
with limits on size and compression ratio, and each is refused on its own (with a reason)
when it is unsafe or not a session, so that the other members still import.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from observe.core.errors import UsageError
from observe.core.readfile import FileTooLarge, read_regular
from observe.store import codec, files
from observe.store.output import write_output
from observe.store.workspace import Workspace

MANIFEST = "manifest.json"
FORMAT = "observe-bundle"
FORMAT_VERSION = 1
FOLDER = "sessions"

# A real session file is well under a megabyte and JSON compresses perhaps 10-30x; these
# limits leave room for very long sessions while stopping a zip bomb early.
MAX_MEMBER_BYTES = files.MAX_SESSION_BYTES
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress well without harm
CHUNK = 256 * 1024


@dataclass(frozen=True)
class Member:
    """One session file's bytes, read from a path, a folder or a bundle."""

    source: str
    raw: bytes


@dataclass(frozen=True)
class Refused:
    source: str
    reason: str


def observe_version() -> str:
    try:
        return version("observe")
    except PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------- writing


Rewrite = Callable[[codec.SessionFile], codec.SessionFile]


def _outgoing(path: Path, rewrite: Rewrite | None) -> tuple[str, bytes, dict[str, Any]]:
    """(file name, bytes, session document) of a session as it leaves: never its draft."""
    raw = read_regular(path, files.MAX_SESSION_BYTES)
    data = codec.parse_raw(raw, path.name)
    codec.check_depth(data)
    name = path.name
    if rewrite is not None:
        # Only the documents go: the draft stays here, and a table this version does not know
        # could carry names it cannot replace.
        file = replace(rewrite(codec.file_from_tables(data)), local={})
        name = files.file_name(file.record.session)
        return name, codec.encode_file(file), file.record.session.dump()
    if codec.DRAFT_TABLE in data:
        # The note being typed stays on this machine; otherwise the sender's bytes go as
        # they are, so that a lead importing twice sees at once that nothing changed.
        data = {k: v for k, v in data.items() if k != codec.DRAFT_TABLE}
        raw = codec.encode(data)
    return name, raw, codec.session_doc(data)


def write_bundle(
    paths: list[Path],
    out: Path,
    now: datetime | None = None,
    *,
    workspace: Workspace | None = None,
    force: bool = False,
    rewrite: Rewrite | None = None,
    seal: Callable[[bytes], bytes] | None = None,
) -> dict[str, Any]:
    """Pack session files and a manifest into ``out`` (atomically); return the manifest.

    ``out`` follows the output rule (observe.store.output): never inside ``workspace``'s data,
    never over an existing file without ``force``. ``rewrite`` changes each session's tables
    on the way out (pseudonyms for names); ``seal`` encrypts the whole zip before it is
    written (to team members), so no plain copy touches the disk.
    """
    sessions = []
    members: list[tuple[str, bytes]] = []
    for path in sorted(paths, key=lambda p: p.name):
        file, raw, doc = _outgoing(path, rewrite)
        name = f"{FOLDER}/{file}"
        members.append((name, raw))
        sessions.append(
            {
                "file": name,
                "id": doc.get("id"),
                "rev": doc.get("rev"),
                "sha256": hashlib.sha256(raw).hexdigest(),
            }
        )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "observe": observe_version(),
        "created": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "sessions": sessions,
    }
    packed = io.BytesIO()  # the members are in memory already; the zip is written once
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        for name, raw in members:
            zf.writestr(name, raw)
    data = packed.getvalue()
    write_output(out, seal(data) if seal is not None else data, workspace, force=force)
    return manifest


# ---------------------------------------------------------------- reading


def unsafe_name(name: str) -> str | None:
    """Why a member's path is unsafe, or None. Nothing is extracted, but we refuse anyway."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute or non-portable path"
    if ".." in PurePosixPath(name).parts:
        return "path climbs out of the bundle"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _read_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, stopping as soon as it grows past what was declared or allowed."""
    limit = min(info.file_size, MAX_MEMBER_BYTES, budget)
    parts: list[bytes] = []
    got = 0
    with zf.open(info) as handle:
        while chunk := handle.read(CHUNK):
            got += len(chunk)
            if got > limit:
                raise UsageError("larger than declared or allowed (zip bomb?)")
            parts.append(chunk)
    return b"".join(parts)


def read_bundle(path: Path, data: bytes | None = None) -> Iterator[Member | Refused]:
    """The members of the bundle at ``path``, or in ``data`` (a sealed bundle, opened)."""
    label = path.name
    try:
        zf = zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        yield Refused(label, f"not a readable zip bundle ({exc})")
        return
    with zf:
        infos = zf.infolist()
        manifest = _manifest(zf, infos)
        expected = {
            s.get("file"): s.get("sha256")
            for s in (manifest or {}).get("sessions", [])
            if isinstance(s, dict)
        }
        total = 0
        for info in infos:
            source = f"{label}:{info.filename}"
            if info.is_dir() or info.filename == MANIFEST:
                continue
            reason = unsafe_name(info.filename)
            if reason is None and _is_symlink(info):
                reason = "a symbolic link"
            if reason is None and not info.filename.endswith(files.SUFFIX):
                reason = "not a session file"
            if reason is None and info.file_size > MAX_MEMBER_BYTES:
                reason = f"too large ({info.file_size} bytes uncompressed)"
            if (
                reason is None
                and info.file_size > RATIO_FLOOR_BYTES
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                reason = "compression ratio too high (zip bomb?)"
            if reason is None and total + info.file_size > MAX_TOTAL_BYTES:
                reason = "the bundle is larger than allowed in total"
            if reason is not None:
                yield Refused(source, reason)
                continue
            try:
                raw = _read_limited(zf, info, MAX_TOTAL_BYTES - total)
            except UsageError as exc:
                yield Refused(source, str(exc))
                continue
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                yield Refused(source, f"cannot read ({exc})")
                continue
            total += len(raw)
            want = expected.get(info.filename)
            if want and hashlib.sha256(raw).hexdigest() != want:
                yield Refused(source, "does not match the bundle's manifest (sha256)")
                continue
            yield Member(source, raw)


def _manifest(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, Any] | None:
    info = next((i for i in infos if i.filename == MANIFEST), None)
    if info is None or info.file_size > MAX_MEMBER_BYTES:
        return None
    try:
        data = orjson.loads(_read_limited(zf, info, MAX_MEMBER_BYTES))
    except (UsageError, orjson.JSONDecodeError, zipfile.BadZipFile, OSError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def read_sources(paths: list[Path]) -> Iterator[Member | Refused]:
    """Session files, folders (searched recursively, hidden folders skipped) and bundles."""
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*" + files.SUFFIX)
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                yield Refused(str(path), "no session files in this folder")
            for file in found:
                yield from _read_file(file)
        elif zipfile.is_zipfile(path) if path.is_file() else False:
            yield from read_bundle(path)
        elif path.suffix.lower() == ".zip" and path.exists():
            yield Refused(str(path), "not a zip file (a bundle is made by `observe bundle`)")
        elif path.exists():
            yield from _read_file(path)
        else:
            yield Refused(str(path), "no such file or folder")


def _read_file(path: Path) -> Iterator[Member | Refused]:
    try:
        raw = read_regular(path, MAX_MEMBER_BYTES)
    except FileTooLarge as exc:
        yield Refused(str(path), f"too large for a session file ({exc.size} bytes)")
    except OSError as exc:
        yield Refused(str(path), f"cannot read: {exc.strerror or exc}")
    else:
        yield Member(str(path), raw)
