"""Disks that fail: a real small tmpfs (where this machine lets tests mount one) and faults
injected into the one call every session write makes (os.replace)."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class Faults:
    """os.replace fails with ``code`` while ``on`` is set (a full disk, an unwritable folder),
    for files in ``only`` if given (the disk of the sessions, not the one of the copies)."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC, only: Path | None = None
    ) -> None:
        self.on = False
        self.code = code
        self.calls = 0
        real = os.replace

        def replace(src: str, dst: str, **kwargs: object) -> None:
            self.calls += 1
            if self.on and (only is None or Path(dst).is_relative_to(only)):
                raise OSError(self.code, os.strerror(self.code))
            real(src, dst, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "replace", replace)


def _run(*args: str) -> bool:
    return subprocess.run(args, capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def small_tmpfs(folder: Path, size: str = "256k") -> Iterator[Path]:
    """A real filesystem of ``size`` at ``folder``; the test is skipped where mount is not
    permitted (not root, a container without the capability, not Linux)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


def fill(folder: Path) -> Path:
    """Fill the filesystem of ``folder`` to the last byte; the filler file, to delete later."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    return filler


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for new files (a read-only bind mount over itself), as a folder
    made unwritable behind the app's back; skipped where mount is not permitted. Files
    already open for writing (the session's lock) stay so, as they would."""
    if not _run("mount", "--bind", str(folder), str(folder)):
        pytest.skip("cannot bind-mount here")
    try:
        assert _run("mount", "-o", "remount,bind,ro", str(folder))
        yield
    finally:
        _run("umount", "-l", str(folder))
