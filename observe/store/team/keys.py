"""This workspace's person: a member id and two key pairs, kept on this machine only.

An age X25519 identity decrypts what is sealed to the person; an Ed25519 key signs what they
write. Both live in ``<workspace>/.observe-keys/identity.json`` (folder 0700, file 0600),
outside ``.observe/`` (derived data that may be deleted) and outside anything a bundle or
the index reads. ``backup`` wraps the file in age passphrase encryption (scrypt).
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

import orjson
import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from observe.core.readfile import read_regular
from observe.store.atomic import write_atomic
from observe.store.team.errors import KeyFileError
from observe.store.team.ids import is_member_id, new_member_id

KEYS_DIR = ".observe-keys"
IDENTITY_FILE = "identity.json"
FORMAT = 1
MAX_KEY_FILE = 64 * 1024
BACKUP_HEADER = b"age-encryption.org/v1\n"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: object, size: int) -> bytes:
    """The bytes ``text`` encodes, exactly ``size`` of them; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError("not a string")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("not base64") from exc
    if len(raw) != size:
        raise ValueError(f"{len(raw)} bytes, not {size}")
    return raw


@dataclass(frozen=True)
class PublicKeys:
    """What others need to seal to a member and check their signatures."""

    member_id: str
    age: str  # an age X25519 recipient, "age1..."
    sign: str  # the Ed25519 public key, 32 raw bytes in base64

    def recipient(self) -> x25519.Recipient:
        return x25519.Recipient.from_str(self.age)

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(unb64(self.sign, 32))

    @staticmethod
    def check(member_id: object, age: object, sign: object) -> PublicKeys:
        """Validated public keys from untrusted values; ValueError with the reason."""
        if not is_member_id(member_id):
            raise ValueError("a member id that is not a member id")
        if not isinstance(age, str) or not age.startswith("age1"):
            raise ValueError("an encryption key that is not an age recipient")
        try:
            x25519.Recipient.from_str(age)
        except pyrage.RecipientError as exc:
            raise ValueError("an encryption key that is not an age recipient") from exc
        unb64(sign, 32)
        return PublicKeys(str(member_id), age, str(sign))


@dataclass(frozen=True)
class Identity:
    member_id: str
    age: x25519.Identity
    signing: Ed25519PrivateKey

    @staticmethod
    def generate() -> Identity:
        return Identity(new_member_id(), x25519.Identity.generate(), Ed25519PrivateKey.generate())

    @property
    def public(self) -> PublicKeys:
        raw = self.signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKeys(self.member_id, str(self.age.to_public()), b64(raw))

    def sign(self, message: bytes) -> bytes:
        return self.signing.sign(message)

    def to_bytes(self) -> bytes:
        raw = self.signing.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        data = {"format": FORMAT, "member": self.member_id, "age": str(self.age), "sign": b64(raw)}
        return orjson.dumps(data, option=orjson.OPT_INDENT_2)

    @staticmethod
    def from_bytes(raw: bytes) -> Identity:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise KeyFileError("not a key file (not JSON)") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KeyFileError("not a key file of a known format")
        if not is_member_id(data.get("member")):
            raise KeyFileError("the key file's member id is not valid")
        try:
            age = x25519.Identity.from_str(str(data.get("age")))
            signing = Ed25519PrivateKey.from_private_bytes(unb64(data.get("sign"), 32))
        except (pyrage.IdentityError, ValueError) as exc:
            raise KeyFileError("the key file's keys are not valid") from exc
        return Identity(data["member"], age, signing)


def keys_dir(workspace_root: Path) -> Path:
    return workspace_root / KEYS_DIR


def identity_path(workspace_root: Path) -> Path:
    return keys_dir(workspace_root) / IDENTITY_FILE


def load(workspace_root: Path) -> Identity | None:
    """This workspace's identity, or None when it has none yet."""
    path = identity_path(workspace_root)
    if not path.exists():
        return None
    try:
        raw = read_regular(path, MAX_KEY_FILE)
    except OSError as exc:
        raise KeyFileError(f"cannot read the key file {path}: {exc.strerror or exc}") from exc
    return Identity.from_bytes(raw)


def _store(workspace_root: Path, identity: Identity) -> None:
    folder = keys_dir(workspace_root)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    write_atomic(identity_path(workspace_root), identity.to_bytes())  # 0600


def load_or_create(workspace_root: Path) -> Identity:
    """This workspace's identity, made (and stored, 0600) on first need."""
    found = load(workspace_root)
    if found is not None:
        return found
    identity = Identity.generate()
    _store(workspace_root, identity)
    return identity


def backup(identity: Identity, secret: str) -> bytes:
    """The identity encrypted with a passphrase (age scrypt): safe to keep elsewhere."""
    if not secret:
        raise KeyFileError("the passphrase is empty")
    return age_passphrase.encrypt(identity.to_bytes(), secret)


def restore(workspace_root: Path, data: bytes, secret: str, *, force: bool = False) -> Identity:
    """Put a backed-up identity in place; a different one already here needs ``force``."""
    if not data.startswith(BACKUP_HEADER):
        raise KeyFileError("not a key backup (made by `observe team key backup`)")
    try:
        raw = age_passphrase.decrypt(data, secret)
    except pyrage.DecryptError as exc:
        raise KeyFileError("cannot open the backup: wrong passphrase or damaged file") from exc
    identity = Identity.from_bytes(raw)
    current = load(workspace_root)
    if current is not None and current.to_bytes() != identity.to_bytes() and not force:
        raise KeyFileError(
            f"this workspace already has keys (member {current.member_id}); "
            "add --force to replace them"
        )
    _store(workspace_root, identity)
    return identity
