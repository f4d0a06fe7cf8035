"""Two real Syncthing instances on 127.0.0.1 sharing one folder: a team folder moved by the
engine an organisation might run. Discovery, relays, NAT traversal, usage reports and
upgrades are off; each instance listens on loopback only and knows its peer's address.

The folder is added through the REST API (``/rest/config/defaults/folder`` filled in), so
every setting left out takes Syncthing's default rather than a zero value.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FOLDER_ID = "observe-team"
START_TIMEOUT_S = 60.0


def syncthing_or_skip() -> str:
    found = shutil.which("syncthing")
    if found is None:
        pytest.skip("syncthing is not installed (Debian's syncthing; `make` installs it as root)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], object], timeout: float, what: str) -> object:
    """Poll ``check`` until it gives something true; fail naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError, ValueError, KeyError):
            found = check()
            if found:
                return found
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


@dataclass
class Instance:
    binary: str
    home: Path
    folder: Path
    gui_port: int = field(default_factory=free_port)
    listen_port: int = field(default_factory=free_port)
    device_id: str = ""
    api_key: str = ""
    process: subprocess.Popen[bytes] | None = None

    def generate(self) -> None:
        self.home.mkdir(parents=True)
        self.folder.mkdir(parents=True)
        subprocess.run(
            [self.binary, "generate", f"--home={self.home}", "--no-default-folder"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        found = subprocess.run(
            [self.binary, "serve", f"--home={self.home}", "--device-id"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.device_id = found.stdout.strip()

    def configure(self, peer: Instance) -> None:
        """Loopback only, nothing announced or relayed, the peer known by address."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        gui = root.find("gui")
        assert gui is not None
        gui.set("tls", "false")
        gui.find("address").text = f"127.0.0.1:{self.gui_port}"  # type: ignore[union-attr]
        self.api_key = gui.find("apikey").text or ""  # type: ignore[union-attr]
        options = root.find("options")
        assert options is not None
        for old in options.findall("listenAddress"):
            options.remove(old)
        listen = ET.SubElement(options, "listenAddress")
        listen.text = f"tcp://127.0.0.1:{self.listen_port}"
        settings = {
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "crashReportingEnabled": "false",
            "startBrowser": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "reconnectionIntervalS": "1",
        }
        for name, value in settings.items():
            element = options.find(name)
            if element is None:
                element = ET.SubElement(options, name)
            element.text = value
        device = ET.SubElement(
            root,
            "device",
            {"id": peer.device_id, "name": "peer", "compression": "metadata"},
        )
        ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{peer.listen_port}"
        tree.write(path)

    def start(self, log: Path) -> None:
        env = {**os.environ, "STMONITORED": "yes"}  # no monitor parent: the pid is syncthing's
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "serve",
                    f"--home={self.home}",
                    "--no-browser",
                    "--no-restart",
                    "--no-upgrade",
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def api(self, method: str, path: str, body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            data=data,
            method=method,
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
        return json.loads(raw) if raw.strip() else None

    def share_folder(self, peer: Instance) -> None:
        folder = dict(self.api("GET", "/rest/config/defaults/folder"))  # type: ignore[arg-type]
        folder |= {
            "id": FOLDER_ID,
            "label": "observe team",
            "path": str(self.folder),
            "type": "sendreceive",
            "fsWatcherEnabled": True,
            "fsWatcherDelayS": 1,
            "rescanIntervalS": 3600,
            "maxConflicts": 10,
            "devices": [{"deviceID": self.device_id}, {"deviceID": peer.device_id}],
        }
        self.api("POST", "/rest/config/folders", folder)

    def scan(self) -> None:
        """Tell the instance to look at the folder now (the watcher would, within a second)."""
        with contextlib.suppress(OSError):
            self.api("POST", f"/rest/db/scan?folder={FOLDER_ID}")

    def connected_to(self, peer: Instance) -> bool:
        found = self.api("GET", "/rest/system/connections")
        return bool(found["connections"][peer.device_id]["connected"])  # type: ignore[index]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(OSError):
            self.api("POST", "/rest/system/shutdown")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def two_instances(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    """Two running, connected Syncthing instances, each with the team folder shared."""
    binary = syncthing_or_skip()
    a = Instance(binary, tmp_path / "st-a", tmp_path / "folder-a")
    b = Instance(binary, tmp_path / "st-b", tmp_path / "folder-b")
    for one in (a, b):
        one.generate()
    a.configure(b)
    b.configure(a)
    try:
        a.start(tmp_path / "st-a.log")
        b.start(tmp_path / "st-b.log")
        for one in (a, b):
            wait_for(lambda one=one: one.api("GET", "/rest/system/ping"), START_TIMEOUT_S, "REST")
        a.share_folder(b)
        b.share_folder(a)
        wait_for(lambda: a.connected_to(b) and b.connected_to(a), START_TIMEOUT_S, "the peers")
        yield a, b
    finally:
        a.stop()
        b.stop()


def arrived(instance: Instance, relative: str, timeout: float = 60.0) -> Path:
    """Wait until ``relative`` is whole in ``instance``'s folder (Syncthing moves a file into
    place only once all of it is there)."""
    path = instance.folder / relative
    wait_for(lambda: path.is_file() and path.stat().st_size > 0, timeout, relative)
    return path
