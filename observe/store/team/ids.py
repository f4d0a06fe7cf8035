"""Member and team ids: random slugs, the only thing file names in the folder carry."""

from __future__ import annotations

import re
import secrets

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_MEMBER = re.compile(r"m-[a-z0-9]{16}")
_TEAM = re.compile(r"t-[a-z0-9]{16}")


def _slug(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(16))


def new_member_id() -> str:
    return _slug("m-")


def new_team_id() -> str:
    return _slug("t-")


def is_member_id(value: object) -> bool:
    return isinstance(value, str) and _MEMBER.fullmatch(value) is not None


def is_team_id(value: object) -> bool:
    return isinstance(value, str) and _TEAM.fullmatch(value) is not None
