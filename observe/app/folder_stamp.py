"""Whether a folder changed since it was last read, told by one stat of the folder.

Session files are replaced by rename, so any write, import or removal in the folder moves
its modification time; reading the folder's own stat costs far less than listing it.
"""

from __future__ import annotations

from pathlib import Path


class FolderStamp:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: int | None = None

    def _now(self) -> int | None:
        try:
            return self.folder.stat().st_mtime_ns
        except OSError:
            return None

    def mark(self) -> None:
        """Call before reading the folder: a change made during the read shows next time."""
        self._seen = self._now()

    def changed(self) -> bool:
        now = self._now()
        return self._seen is not None and now is not None and now != self._seen
