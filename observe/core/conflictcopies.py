"""Names that sync engines give the copies they make when one file changed in two places.

The app writes each file of a team folder from one member only, but one person with two
devices can still make an engine keep both versions. These names are recognised so that
the copy is read (merged, later) as another version of its original, and never deleted:

- Syncthing: ``NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT`` (DEVICE: 7 characters);
- Dropbox: ``NAME (Someone's conflicted copy YYYY-MM-DD).EXT``, sometimes with `` (2)``;
- OneDrive: ``NAME-MACHINE.EXT``, which any name could look like, so it is taken as a copy
  only of a name the app itself writes (``is_ours``) when the whole name is not one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SYNCTHING = re.compile(
    r"(?P<stem>.+)\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}(?P<ext>(?:\.[^.]*)?)", re.ASCII
)
_DROPBOX = re.compile(
    r"(?P<stem>.+?) \([^()]*conflicted copy \d{4}-\d{2}-\d{2}(?: \(\d+\))?\)(?P<ext>(?:\.[^.]*)?)"
)
_ONEDRIVE_MACHINE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}", re.ASCII)


def original_of(name: str, is_ours: Callable[[str], bool] = lambda _: False) -> str | None:
    """The name ``name`` is a conflict copy of, or None when it is not one."""
    for pattern in (_SYNCTHING, _DROPBOX):
        match = pattern.fullmatch(name)
        if match:
            return match["stem"] + match["ext"]
    if is_ours(name):
        return None
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    suffix = dot + ext
    at = stem.rfind("-")
    while at > 0:
        if _ONEDRIVE_MACHINE.fullmatch(stem[at + 1 :]) and is_ours(stem[:at] + suffix):
            return stem[:at] + suffix
        at = stem.rfind("-", 0, at)
    return None
