"""Reading a file from outside: regular files only, never hanging, never past a size limit.

A FIFO named ``x.toml`` would block ``open()`` until a writer came, and ``/dev/zero`` never
ends; so the file is opened without blocking and its kind and size are checked on the open
descriptor before a byte is read. The errors are ``OSError``s whose ``strerror`` is the
one-line reason, so every existing "cannot read: ..." path reports them as they are.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

MiB = 1024 * 1024
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a link",
}


class NotRegularFile(OSError):
    def __init__(self, mode: int) -> None:
        kind = _KINDS.get(stat.S_IFMT(mode), "special")
        super().__init__(errno.EINVAL, f"not a regular file ({kind})")


class FileTooLarge(OSError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"too large ({size} bytes; the limit is {limit})")
        self.size, self.limit = size, limit


def check_stat(st: os.stat_result, limit: int) -> None:
    """Refuse what ``st`` describes unless it is a regular file within ``limit`` bytes."""
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(st.st_mode)
    if st.st_size > limit:
        raise FileTooLarge(st.st_size, limit)


def read_regular(path: Path | str, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of the regular file at ``path``; OSError (with its reason) for anything else.
    ``follow=False``: a symbolic link is refused too, not read through."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow and exc.errno == errno.ELOOP:  # the link itself, named as such
            raise NotRegularFile(stat.S_IFLNK) from None
        raise
    try:
        st = os.fstat(fd)
        check_stat(st, limit)
        # One read for the size just seen; a file that grew since is read on, to the limit.
        parts = [os.read(fd, st.st_size + 1)]
        got = len(parts[0])
        while got > st.st_size and (chunk := os.read(fd, 1 << 16)):
            got += len(chunk)
            if got > limit:
                raise FileTooLarge(got, limit)
            parts.append(chunk)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


def too_deep(value: Any, limit: int) -> bool:
    """Whether lists and dicts in ``value`` nest more than ``limit`` levels (no recursion)."""
    if type(value) is not dict and type(value) is not list:
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if type(item) is dict else item
        for child in children:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False
