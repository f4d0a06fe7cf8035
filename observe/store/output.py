"""Where output files may go and how they are written: the one rule every writer follows.

An output (a PDF, a CSV, a bundle) is written only where it was asked for: never into the
workspace's own data (``sessions/``, ``criteria/``, ``.observe/``, its secret), whatever path
leads there (``..``, symbolic links, a relative path from inside), never over an existing
file unless the caller says so (``--force``), and every folder made for it is 0700. A file
that is not to be replaced is linked into place from a finished temp file, so a file that
appears meanwhile is not replaced either, and a reader never sees half of it.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from observe.core.errors import UsageError
from observe.store.atomic import FILE_MODE, fsync_dir, write_atomic, write_temp
from observe.store.workspace import DIR_MODE, Workspace

# Hard links are refused by some file systems (FAT, some network shares): create exclusively.
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


def protected(workspace: Workspace) -> tuple[list[Path], list[Path]]:
    """(folders, files) of the workspace that no output may go into or replace."""
    folders = [workspace.sessions_dir, workspace.criteria_dir, workspace.state_dir]
    folders.append(workspace.root / ".observe-keys")  # the secret keys (store/team/keys.py)
    folders.append(workspace.root / "rota")  # the rota's plans (store/rota_files.py)
    return [f.resolve() for f in folders], [workspace.secret_path.resolve()]


def check_target(
    path: Path | str, workspace: Workspace | None = None, *, force: bool = False
) -> Path:
    """The file to write, with ``~`` expanded; UsageError (one line) when it may not be.

    Symbolic links and ``..`` are resolved before deciding, so no spelling of a path reaches
    the workspace's data. Without ``force`` an existing file (or link) is refused.
    """
    path = Path(path).expanduser()
    real = path.resolve()
    if workspace is not None:
        folders, files = protected(workspace)
        for folder in folders:
            if real == folder or real.is_relative_to(folder):
                raise UsageError(
                    f"{path}: output never goes into the workspace's {folder.name}/ folder"
                )
        if real in files:
            raise UsageError(f"{path}: output never replaces the workspace's {real.name}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name")
    if not force and (path.exists() or path.is_symlink()):
        raise UsageError(f"{path} already exists; --force replaces it")
    return path


def make_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700 (mkdir's mode is masked by umask)."""
    missing = []
    current = Path(folder)
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not created.is_dir():
                raise UsageError(f"{created} is a file, not a folder") from None
            continue
        os.chmod(created, DIR_MODE)


def write_new(path: Path, data: bytes) -> None:
    """Write ``path`` whole, or not at all when it exists (FileExistsError): never replace."""
    tmp = write_temp(path, data)
    try:
        try:
            os.link(tmp, path)
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            _write_exclusive(path, data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(path.parent)


def _write_exclusive(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_output(
    path: Path | str, data: bytes, workspace: Workspace | None = None, *, force: bool = False
) -> Path:
    """Write one output file under the rule above; returns the path written."""
    target = check_target(path, workspace, force=force)
    make_dirs(target.parent)
    if force:
        write_atomic(target, data)
        return target
    try:
        write_new(target, data)
    except FileExistsError:
        raise UsageError(f"{target} already exists; --force replaces it") from None
    return target


def free_name(folder: Path, name: str, taken: int = 1) -> Path:
    """``folder/name`` for the first try, then ``name-2``, ``name-3``..."""
    target = Path(folder) / name
    return target if taken <= 1 else target.with_name(f"{target.stem}-{taken}{target.suffix}")


def write_free(folder: Path | str, name: str, data: bytes, *, limit: int = 10_000) -> Path:
    """Write ``data`` as ``folder/name``, or ``name-2``... when taken: nothing is replaced."""
    folder = Path(folder)
    make_dirs(folder)
    for n in range(1, limit + 1):
        target = free_name(folder, name, n)
        if target.exists() or target.is_symlink():
            continue
        try:
            write_new(target, data)
        except FileExistsError:  # taken meanwhile: try the next name
            continue
        return target
    raise UsageError(f"{folder}: no free name for {name} after {limit} tries")
