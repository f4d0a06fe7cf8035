"""The home screen with 5,000 sessions in the workspace.

- first frame: time from exec to the title appearing on the terminal, for `observe` on a
  5,000-session workspace beside a bare Textual app (Header, a line of text, Footer) started
  the same way; each runs in its own pseudo-terminal, alternately, and the medians are
  compared (budget: within 1.3x);
- the list: time from exec until the table shows all 5,000 sessions (index warm), reported;
- memory: the RSS of that process once the 5,000 rows are on screen (budget < 200 MB).

Demo sessions are generated once and cached under the temp folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

from bench.common import Result, demo_workspace, median
from observe.store.workspace import Workspace

CACHE = Path(tempfile.gettempdir()) / "observe-bench-home"
SESSIONS = 5000
RUNS = 7
SIZE = (30, 100)  # rows, columns

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    TITLE = "observe"
    def compose(self):
        yield Header()
        yield Static("Loading sessions")
        yield Footer()

Bare().run()
"""


def cached_workspace(count: int = SESSIONS) -> Workspace:
    return demo_workspace("home", count)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_in_pty(argv: list[str], marks: list[bytes], timeout: float = 60.0) -> dict[str, float]:
    """Start ``argv`` in a pseudo-terminal; seconds from exec until each mark is seen.

    Also "rss_mb": the resident memory when the last mark appeared. The process is asked to
    quit (ctrl+q), then ended by its own id if it lingers.
    """
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("TEXTUAL", None)
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[0], SIZE[1], 0, 0))
    seen: dict[str, float] = {}
    buffer = b""
    pending = list(marks)
    try:
        while pending and time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            # Cursor moves and colours split the words; keep printable text only.
            buffer += re.sub(rb"\x1b\[[0-9;?<>=]*[a-zA-Z]|\x1b\][^\x07]*\x07", b"", chunk)
            while pending and pending[0] in buffer:
                seen[pending.pop(0).decode()] = time.perf_counter() - start
                if not pending:
                    seen["rss_mb"] = _rss_mb(pid)
        if pending:
            raise RuntimeError(f"{argv[-1]}: never showed {pending[0]!r}")
    finally:
        with contextlib.suppress(OSError):
            os.write(fd, b"\x11")  # ctrl+q
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            with contextlib.suppress(OSError):
                if select.select([fd], [], [], 0.05)[0]:
                    os.read(fd, 65536)
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return seen


def run() -> list[Result]:
    ws = cached_workspace()
    observe = str(Path(sys.executable).with_name("observe"))
    bare = CACHE / "bare_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    home_argv = [observe, "--workspace", str(ws.root)]
    bare_argv = [sys.executable, str(bare)]
    listed = f"of {SESSIONS} sessions".encode()

    run_in_pty(home_argv, [b"observe", listed])  # warm the index and the file cache
    run_in_pty(bare_argv, [b"Loading sessions"])
    home_first, bare_first, home_listed, rss = [], [], [], []
    for _ in range(RUNS):
        seen = run_in_pty(home_argv, [b"observe", listed])
        home_first.append(seen["observe"])
        home_listed.append(seen[listed.decode()])
        rss.append(seen["rss_mb"])
        bare_first.append(run_in_pty(bare_argv, [b"observe"])["observe"])

    first, floor = median(home_first), median(bare_first)
    memory = max(rss)
    return [
        Result(
            f"home first frame, {SESSIONS} sessions (bare Textual app as floor)",
            first,
            floor=floor,
            budget="ratio <= 1.3",
            ok=first / floor <= 1.3,
        ),
        Result(f"home: exec to all {SESSIONS} sessions listed, index warm", median(home_listed)),
        Result(
            f"home RSS with {SESSIONS} sessions listed",
            memory,
            unit="MB",
            budget="< 200 MB",
            ok=memory < 200,
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result.line())
