"""Pseudonymous codes for people in collated outputs (``F-7k2m9q4x``, ``O-3hd8w1ze``).

A code is an HMAC-SHA256 of the person's id keyed with a secret the workspace holds (its
``pseudonym.key``; a team shares one), shown as 8 characters of Crockford's base32 (40 bits,
no I, L, O or U to misread). The same secret gives the same code in every run and on every
machine that shares it; without the secret, a list of names does not give the codes. When
two people in one collation share a code anyway, both get longer codes. This is
pseudonymisation, not anonymity: whoever holds the key, or knows who was observed when and
where, can still tell who a code is.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

CODE_LENGTH = 8
MIN_SECRET_BYTES = 16
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32, in lower case


def _base32(digest: bytes) -> str:
    number = int.from_bytes(digest, "big")
    out = []
    for _ in range(len(digest) * 8 // 5):
        number, digit = divmod(number, 32)
        out.append(_ALPHABET[digit])
    return "".join(out)


def code_for(person_id: str, prefix: str, secret: bytes, length: int = CODE_LENGTH) -> str:
    """The code of ``person_id`` under ``secret`` (ValueError for a secret too short)."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"a pseudonym secret has at least {MIN_SECRET_BYTES} bytes")
    digest = hmac.new(secret, f"observe-person:{person_id}".encode(), hashlib.sha256).digest()
    return f"{prefix}-{_base32(digest)[:length]}"


class Pseudonyms:
    """Labels for people: names with ``names=True``, else codes unique among those known.

    Codes need the secret; names do not. Without it, asking for codes is an error rather
    than codes anyone could work out.
    """

    def __init__(
        self,
        people: dict[str, str],
        prefix: str,
        names: bool = False,
        *,
        secret: bytes | None = None,
        length: int = CODE_LENGTH,
    ) -> None:
        self.names = names
        self.people = people
        self.prefix = prefix
        self.secret = secret
        self._labels: dict[str, str] = {}
        if names:
            return
        if secret is None:
            raise ValueError("pseudonymous codes need the workspace's secret")
        pending = sorted(people)
        while pending:
            by_code: dict[str, list[str]] = defaultdict(list)
            for pid in pending:
                by_code[code_for(pid, prefix, secret, length)].append(pid)
            pending = []
            for code, ids in by_code.items():
                if len(ids) == 1:
                    self._labels[ids[0]] = code
                else:  # a collision: those involved get longer codes
                    pending.extend(ids)
            length += 2

    def __call__(self, person_id: str) -> str:
        if self.names:
            return self.people.get(person_id) or person_id
        label = self._labels.get(person_id)
        if label is None:  # someone outside the people given: a code all the same
            label = code_for(person_id, "X", self.secret or b"")
        return label


def people_in(entries: Iterable[Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(facilitators, observers): id -> name, over the given entries."""
    facilitators: dict[str, str] = {}
    observers: dict[str, str] = {}
    for e in entries:
        for p in e.meta.get("facilitators") or []:
            facilitators.setdefault(p.get("id", ""), p.get("name", ""))
        obs = e.meta.get("observer")
        if obs:
            observers.setdefault(obs.get("id", ""), obs.get("name", ""))
    return facilitators, observers
