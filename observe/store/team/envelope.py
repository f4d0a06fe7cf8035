"""Sealing a document: signed by its writer, then encrypted to exactly its readers.

``seal`` signs (Ed25519) a canonical header (writer, kind, document id, the recipients' ids,
the payload's SHA-256), then encrypts header, signature and payload with age to the
recipients' X25519 keys. ``open_sealed`` decrypts with this workspace's identity and checks
the signature against the key the caller's ``key_for`` gives for the claimed writer (the
roster's, normally); any failure is a ``Refused`` with a one-line reason. Signing inside the
encryption keeps who wrote what, and to whom, hidden from anyone outside the recipients;
listing the recipients in the signed header stops a reader re-sealing a document to others
as if its writer had meant them to have it.

Inside the age plaintext: ``MAGIC``, the header's length (4 bytes, big-endian), the header
(JSON, sorted keys, no spaces), the 64-byte signature, the payload.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson
import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from observe.store.team.errors import BadSignature, NotForYou, Refused, Undecryptable
from observe.store.team.ids import is_member_id
from observe.store.team.keys import Identity, PublicKeys

MAGIC = b"observe-sealed/1\n"
SIGNING_CONTEXT = b"observe-signed/1\n"
SIGNATURE_SIZE = 64
MAX_HEADER = 64 * 1024
NO_MATCHING_KEY = "No matching keys found"  # pyrage's words when no recipient stanza is ours
_KIND = re.compile(r"[a-z][a-z0-9-]{0,31}")
_DOC = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class Header:
    writer: str
    kind: str
    doc: str
    recipients: tuple[str, ...]
    sha256: str

    def canonical(self) -> bytes:
        data = {
            "v": 1,
            "writer": self.writer,
            "kind": self.kind,
            "doc": self.doc,
            "to": list(self.recipients),
            "sha256": self.sha256,
        }
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)

    @staticmethod
    def parse(raw: bytes) -> Header:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise Refused("a sealed document whose header is not JSON") from exc
        if not isinstance(data, dict) or data.get("v") != 1:
            raise Refused("a sealed document of an unknown version")
        to = data.get("to")
        header = Header(
            writer=data.get("writer"),
            kind=data.get("kind"),
            doc=data.get("doc"),
            recipients=tuple(to) if isinstance(to, list) else (),
            sha256=data.get("sha256"),
        )
        if not (
            is_member_id(header.writer)
            and isinstance(header.kind, str)
            and _KIND.fullmatch(header.kind)
            and isinstance(header.doc, str)
            and _DOC.fullmatch(header.doc)
            and header.recipients
            and all(is_member_id(r) for r in header.recipients)
            and list(header.recipients) == sorted(set(header.recipients))
            and isinstance(header.sha256, str)
            and re.fullmatch(r"[0-9a-f]{64}", header.sha256)
        ):
            raise Refused("a sealed document whose header does not validate")
        if header.canonical() != raw:  # one encoding only: what was signed is what is read
            raise Refused("a sealed document whose header is not in canonical form")
        return header


@dataclass(frozen=True)
class Opened:
    header: Header
    payload: bytes


def check_names(kind: str, doc: str) -> None:
    if not _KIND.fullmatch(kind):
        raise ValueError(f"not a document kind: {kind!r}")
    if not _DOC.fullmatch(doc):
        raise ValueError(f"not a document id: {doc!r}")


def seal(
    payload: bytes, *, writer: Identity, kind: str, doc: str, recipients: Iterable[PublicKeys]
) -> bytes:
    """``payload`` signed by ``writer`` and encrypted to ``recipients`` (at least one)."""
    check_names(kind, doc)
    to = {r.member_id: r for r in recipients}
    if not to:
        raise ValueError("a sealed document needs at least one recipient")
    header = Header(
        writer=writer.member_id,
        kind=kind,
        doc=doc,
        recipients=tuple(sorted(to)),
        sha256=hashlib.sha256(payload).hexdigest(),
    )
    head = header.canonical()
    signature = writer.sign(SIGNING_CONTEXT + head)
    inner = MAGIC + len(head).to_bytes(4, "big") + head + signature + payload
    return pyrage.encrypt(inner, [to[m].recipient() for m in header.recipients])


@dataclass(frozen=True)
class Unsealed:
    """A decrypted document whose signature is not checked yet (see ``verify``)."""

    header: Header
    signed: bytes
    signature: bytes
    payload: bytes

    def verify(self, key: Ed25519PublicKey) -> Opened:
        try:
            key.verify(self.signature, SIGNING_CONTEXT + self.signed)
        except InvalidSignature as exc:
            raise BadSignature(f"a bad signature for writer {self.header.writer}") from exc
        return Opened(self.header, self.payload)


def unseal(data: bytes, *, reader: Identity) -> Unsealed:
    """Decrypt ``data`` and check its form; the caller must still ``verify`` it."""
    try:
        inner = pyrage.decrypt(data, [reader.age])
    except pyrage.DecryptError as exc:
        if str(exc) == NO_MATCHING_KEY:  # whole, and sealed to others (or its header altered)
            raise NotForYou("sealed to other members") from exc
        reason = "cannot decrypt: not sealed to this member, damaged or incomplete"
        raise Undecryptable(reason) from exc
    if not inner.startswith(MAGIC) or len(inner) < len(MAGIC) + 4:
        raise Refused("not a sealed document")
    at = len(MAGIC)
    size = int.from_bytes(inner[at : at + 4], "big")
    at += 4
    if size > MAX_HEADER or len(inner) < at + size + SIGNATURE_SIZE:
        raise Refused("a sealed document cut short")
    head = inner[at : at + size]
    signature = inner[at + size : at + size + SIGNATURE_SIZE]
    payload = inner[at + size + SIGNATURE_SIZE :]
    header = Header.parse(head)
    if reader.member_id not in header.recipients:
        raise Refused("a sealed document not addressed to this member")
    if hashlib.sha256(payload).hexdigest() != header.sha256:
        raise BadSignature("the content does not match its signed hash")
    return Unsealed(header, head, signature, payload)


def open_sealed(
    data: bytes,
    *,
    reader: Identity,
    key_for: Callable[[Header, bytes], Ed25519PublicKey],
) -> Opened:
    """The verified payload of ``data``, or ``Refused`` with the reason.

    ``key_for(header, payload)`` gives the claimed writer's verifying key, or raises
    ``Refused`` (an unknown writer, a writer who may not write this kind); it sees the
    payload only so that a self-introducing document (a join request) can name its key.
    """
    found = unseal(data, reader=reader)
    return found.verify(key_for(found.header, found.payload))
