"""The real app in a pseudo-terminal: notes typed, then SIGTERM, SIGHUP or SIGKILL.

Every note entered more than a second before the signal must be on disk, the file must
validate, and a second instance must be refused while the first holds the session.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from observe.core.errors import SessionLocked
from observe.store.repository import Repository
from observe.store.workspace import Workspace

OBSERVE = Path(sys.executable).with_name("observe")
COLS, ROWS = 100, 30


class PtyApp:
    """``observe`` running in a pty; its output is drained on a thread so it never blocks."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.proc = subprocess.Popen(
            [str(OBSERVE), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if not ready:
                    if self.proc.poll() is not None:
                        return
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    def seen(self, text: str) -> bool:
        with self._lock:
            return text.encode() in self.output

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.seen(text):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = bytes(self.output[-2000:]).decode(errors="replace")
                raise AssertionError(f"{text!r} never appeared; output ends: {tail!r}")
            time.sleep(0.05)

    def type(self, text: str, per_key: float = 0.004) -> None:
        """Keys one at a time, as a fast typist would send them."""
        for char in text:
            os.write(self.master, char.encode())
            time.sleep(per_key)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self._reader.join(5)
        os.close(self.master)


@pytest.fixture
def live_ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws").ensure(seed=True)


def start(ws: Workspace) -> PtyApp:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "OBSERVE_HOME": str(ws.root),
        "COLUMNS": str(COLS),
        "LINES": str(ROWS),
    }
    env.pop("TEXTUAL", None)
    app = PtyApp(
        ["--workspace", str(ws.root), "new", "--facilitator", "Asha Rahman", "--facilitator", "B"],
        env,
    )
    app.wait_for("Wrap-up")  # the live screen's footer: ready for typing
    return app


def type_notes(app: PtyApp, count: int, prefix: str) -> list[tuple[str, float]]:
    """Notes typed and entered; (text, time of Enter)."""
    entered = []
    for i in range(count):
        text = f"{prefix} note {i} #R1 @asha"
        app.type(text)
        app.type("\r")
        entered.append((text, time.monotonic()))
    return entered


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_notes_survive_a_signal(live_ws: Workspace, signum: int) -> None:
    app = start(live_ws)
    try:
        entered = type_notes(app, 6, signal.Signals(signum).name)
        time.sleep(1.1)
        late = type_notes(app, 2, "late")  # typed within the last second: may be lost
        app.type("an unfinished tho")
        sent = time.monotonic()
        os.kill(app.proc.pid, signum)
        code = app.proc.wait(15)
    finally:
        app.close()
    (path,) = Repository(live_ws).paths()
    record = Repository(live_ws).load(path)  # validates, or raises SessionUnreadable
    stored = [n.text for n in record.live_notes()]
    due = [text for text, at in entered + late if sent - at > 1.0]
    assert due and set(due) <= set(stored), stored
    assert stored == sorted(stored, key=[t for t, _ in entered + late].index)
    assert all(n.criteria == ["R1"] and n.facilitators == ["asha-rahman"] for n in record.notes)
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
        # The kernel freed the lock: it is offered for resumption and opens again.
        assert Repository(live_ws).interrupted() == [path]
    else:
        assert code == 128 + signum
        assert Repository(live_ws).interrupted() == []  # flushed and closed cleanly
    Repository(live_ws).open(path).close()


def test_second_instance_is_refused(live_ws: Workspace) -> None:
    app = start(live_ws)
    try:
        (path,) = Repository(live_ws).paths()
        session_id = Repository(live_ws).load(path).session.id
        with pytest.raises(SessionLocked):
            Repository(live_ws).open(path)
        second = subprocess.run(
            [str(OBSERVE), "--workspace", str(live_ws.root), "open", session_id[:8]],
            capture_output=True,
            text=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
        )
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "already open in another observe window" in lines[0]
        assert "Traceback" not in second.stderr
        app.type("still here #R2")
        app.type("\r")
        time.sleep(0.2)
        app.type("\x11")  # ctrl+q: flush, close, quit
        assert app.proc.wait(15) == 0
    finally:
        app.close()
    record = Repository(live_ws).load(path)
    assert [n.text for n in record.live_notes()] == ["still here #R2"]
