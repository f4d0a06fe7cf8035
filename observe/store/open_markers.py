"""Open markers: an empty file named by a session's id in ``.observe/open/`` while the session
is open for editing. A clean close removes it; one left behind with its session's lock free
belongs to an editor that is gone (the repository offers that session for resumption)."""

from __future__ import annotations

import os
from pathlib import Path


def write_marker(marker: Path) -> None:
    """An empty, private file: its name (the session id) is all crash recovery needs."""
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a marker an older version left world-readable
    finally:
        os.close(fd)


def leave_marker(open_dir: Path, session_id: str) -> Path | None:
    """The marker left for this session, or None when it could not be: it is only a hint for
    crash recovery, so failing to leave it must not fail the open (and leave the lock held)."""
    marker = open_dir / session_id
    try:
        marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_marker(marker)
    except OSError:
        return None
    return marker
