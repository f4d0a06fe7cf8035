"""Which folder is the workspace, and its layout.

Choice: --workspace DIR, else $OBSERVE_HOME, else the current folder when it holds
criteria/ or sessions/, else the user data folder (seeded with the default frameworks).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from observe.core.errors import UsageError

DIR_MODE = 0o700
FILE_MODE = 0o600


def packaged_criteria() -> Path:
    """The default frameworks: package data when installed, else the checkout's criteria/."""
    here = Path(__file__).resolve().parent.parent  # the package folder
    installed = here / "_criteria"
    return installed if installed.is_dir() else here.parent / "criteria"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def writable(self) -> bool:
        """Whether sessions can be changed here (False on a read-only mount or folder)."""
        folder = self.sessions_dir if self.sessions_dir.is_dir() else self.root
        return os.access(folder, os.W_OK)

    @property
    def criteria_dir(self) -> Path:
        return self.root / "criteria"

    @property
    def sessions_dir(self) -> Path:
        return self.root / "sessions"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def secret_path(self) -> Path:
        """The key behind people's pseudonymous codes: kept, never derived, never bundled."""
        return self.root / "pseudonym.key"

    @property
    def state_dir(self) -> Path:
        """Derived data only (index, crash-recovery markers): deleting it loses nothing."""
        return self.root / ".observe"

    @property
    def open_dir(self) -> Path:
        """Markers of sessions open for editing; one left behind means the editor crashed."""
        return self.state_dir / "open"

    @property
    def index_path(self) -> Path:
        return self.state_dir / "index.json"

    def ensure(self, seed: bool = False) -> Workspace:
        """Create the layout (folders 0700); with ``seed``, copy in the default frameworks."""
        for folder in (self.root, self.criteria_dir, self.sessions_dir, self.state_dir):
            if folder.exists() and not folder.is_dir():
                raise UsageError(f"{folder} is a file, not a folder: the workspace needs it")
            if not folder.is_dir():
                folder.mkdir(parents=True, mode=DIR_MODE, exist_ok=True)
                os.chmod(folder, DIR_MODE)
        # exports/ only matters when something is exported, which says if it is not a folder:
        # a stray file there must not stop listing, observing or collating.
        if not self.exports_dir.exists():
            self.exports_dir.mkdir(mode=DIR_MODE)
            os.chmod(self.exports_dir, DIR_MODE)
        if seed and not any(self.criteria_dir.glob("*.toml")):
            for source in sorted(packaged_criteria().glob("*.toml")):
                target = self.criteria_dir / source.name
                shutil.copyfile(source, target)
                os.chmod(target, FILE_MODE)
        return self


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("observe", appauthor=False))


def resolve(option: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Workspace:
    """Find the workspace and make sure its folders exist."""
    if option:
        root = Path(option).expanduser()
        if root.exists() and not root.is_dir():
            raise UsageError(f"workspace {root} is not a folder")
        return Workspace(root.resolve()).ensure(seed=not (root / "criteria").is_dir())
    env = os.environ.get("OBSERVE_HOME")
    if env:
        root = Path(env).expanduser()
        return Workspace(root.resolve()).ensure(seed=not (root / "criteria").is_dir())
    here = cwd or Path.cwd()
    if (here / "criteria").is_dir() or (here / "sessions").is_dir():
        return Workspace(here.resolve()).ensure()
    return Workspace(default_data_dir()).ensure(seed=True)
