"""Where anonymous survey answers go: ``answers/<round>/<random>.age`` in the team folder.

Everything else in the team folder lives in its writer's own part (``members/<id>/``), and
that is exactly why answers do not: a file in a member's part names its writer by where it
is. Answers go instead into one shared drop folder per round. The trade-off, and why it is
still safe to share:
- Many people write into one folder, but each file has exactly one writer: its name is 128
  random bits, chosen by the member's machine, so two writers never meet on one file and a
  sync engine never has a conflict to settle. Nobody ever rewrites or deletes an answer.
- Nothing in an answer says who wrote it. It is not signed (a signature identifies its
  signer), so it is also unauthenticated: anyone who can write into the team folder could
  drop a file. The report counts only files that decrypt, validate against the round, and
  are distinct; more answers than members is flagged, not hidden.
- Every answer to a round is padded to one size before encryption, so its size says
  nothing about how much was written. It is encrypted (age, X25519) to the leads only.
- The file's modification time, and its folder's, are set to the day the round opened: the
  file system keeps no finer time than the round. (A sync engine's own records, and the
  time a file arrives on another machine, are outside what the app can hide.)
- The temp file a write goes through has a random name too (no process id).

Inside the age plaintext: ``MAGIC``, the payload's length (4 bytes, big-endian), the payload
(JSON), then zero bytes up to the round's padded size. age (rage) adds a "grease" stanza of
random length to every header, so the ciphertext's own size varies at random; the file is
therefore framed and padded again outside it: ``FRAME``, the ciphertext's length (4 bytes),
the ciphertext, zero bytes up to a size fixed by the padded size and the number of leads.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pyrage

from observe.core.readfile import read_regular
from observe.store.atomic import FILE_MODE, fsync_dir
from observe.store.team.errors import Refused, Undecryptable
from observe.store.team.keys import Identity, PublicKeys

ANSWERS = "answers"
MAGIC = b"observe-survey-answer/1\n"
FRAME = b"observe-survey-file/1\n"
HEADER_ROOM = 4096  # age's header: ~100 bytes a recipient, grease, the MAC
RECIPIENT_ROOM = 256
_NAME = re.compile(r"[0-9a-f]{32}\.age")
_ROUND = re.compile(r"s-[a-z0-9]{16}")
MAX_ANSWER_FILE = 2 * 1024 * 1024
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


def round_dir(team_root: Path, round_id: str) -> Path:
    if not _ROUND.fullmatch(round_id):
        raise ValueError(f"not a round id: {round_id!r}")
    return team_root / ANSWERS / round_id


def day_stamp(day: date) -> float:
    """Midnight UTC of ``day``: the only time an answer's file carries."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def prepare(team_root: Path, round_id: str, opened: date) -> Path:
    """The round's drop folder, made by the lead who opens the round (so no answer's arrival
    is also the folder's creation)."""
    folder = round_dir(team_root, round_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = day_stamp(opened)
    os.utime(folder, (stamp, stamp))
    return folder


def pad(payload: bytes, size: int) -> bytes:
    body = MAGIC + len(payload).to_bytes(4, "big") + payload
    if len(body) > size:
        raise ValueError(f"an answer of {len(body)} bytes does not fit in {size}")
    return body + b"\0" * (size - len(body))


def unpad(inner: bytes) -> bytes:
    if not inner.startswith(MAGIC) or len(inner) < len(MAGIC) + 4:
        raise Refused("not a survey answer")
    at = len(MAGIC)
    size = int.from_bytes(inner[at : at + 4], "big")
    payload = inner[at + 4 : at + 4 + size]
    if len(payload) != size or inner[at + 4 + size :].strip(b"\0"):
        raise Refused("a survey answer whose padding is not empty")
    return payload


def seal_answer(payload: bytes, size: int, leads: Iterable[PublicKeys]) -> bytes:
    """``payload`` padded to ``size`` and encrypted to ``leads`` (in id order: every answer
    to a round has the same header size)."""
    to = sorted({k.member_id: k for k in leads}.values(), key=lambda k: k.member_id)
    if not to:
        raise ValueError("an answer needs at least one lead to read it")
    sealed = pyrage.encrypt(pad(payload, size), [k.recipient() for k in to])
    outer = file_size(size, len(to))
    framed = FRAME + len(sealed).to_bytes(4, "big") + sealed
    if len(framed) > outer:
        raise ValueError("an answer's encryption outgrew its frame")
    return framed + b"\0" * (outer - len(framed))


def file_size(padded: int, leads: int) -> int:
    """The size of every answer file to a round of ``padded`` size read by ``leads`` leads."""
    need = len(FRAME) + 4 + padded + padded // 65536 * 32 + HEADER_ROOM + RECIPIENT_ROOM * leads
    return -(-need // 4096) * 4096


def open_answer(data: bytes, reader: Identity) -> bytes:
    if not data.startswith(FRAME) or len(data) < len(FRAME) + 4:
        raise Refused("not a survey answer file")
    at = len(FRAME)
    length = int.from_bytes(data[at : at + 4], "big")
    sealed = data[at + 4 : at + 4 + length]
    if len(sealed) != length:
        raise Refused("a survey answer file cut short")
    try:
        inner = pyrage.decrypt(sealed, [reader.age])
    except pyrage.DecryptError as exc:
        reason = "cannot decrypt: not sealed to this lead, damaged or incomplete"
        raise Undecryptable(reason) from exc
    return unpad(inner)


def drop(team_root: Path, round_id: str, data: bytes, opened: date) -> Path:
    """Write ``data`` under a fresh random name in the round's drop folder; never replaces."""
    folder = round_dir(team_root, round_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = day_stamp(opened)
    tmp = folder / f".{secrets.token_hex(16)}.partial"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.utime(tmp, (stamp, stamp))
        while True:
            final = folder / f"{secrets.token_hex(16)}.age"
            try:
                os.link(tmp, final)  # fails if the name exists: an answer is never replaced
                break
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in _NO_LINKS or final.exists():
                    raise
                os.replace(tmp, final)  # no hard links here; 128 random bits never collide
                break
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(folder)
    os.utime(folder, (stamp, stamp))
    return final


def answer_files(team_root: Path, round_id: str) -> Iterator[Path]:
    """The answer files of a round, in name order (random, so no order of arrival); links,
    folders, temp files and other names are passed over."""
    folder = round_dir(team_root, round_id)
    try:
        found = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in found:
        if _NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            yield Path(entry.path)


def read_answer(path: Path) -> bytes | None:
    """The bytes of one answer file; None while it is still arriving (empty) or gone."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return read_regular(path, MAX_ANSWER_FILE) or None
    except FileNotFoundError:
        return None
