"""This workspace's keys: made on first need, 0600 in their own folder, never in a bundle,
the index or the derived data; a passphrase backup restores them."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from observe.store.team import keys
from observe.store.team.errors import KeyFileError
from observe.store.workspace import Workspace
from tests.helpers_leads import write_tables
from tests.test_attack_bundles import cli, tables_for


def test_keys_are_made_once_and_kept_private(tmp_path: Path) -> None:
    assert keys.load(tmp_path) is None
    first = keys.load_or_create(tmp_path)
    again = keys.load_or_create(tmp_path)
    assert again.to_bytes() == first.to_bytes()
    folder = tmp_path / ".observe-keys"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "identity.json").stat().st_mode) == 0o600
    assert not (tmp_path / ".observe").exists() or not any((tmp_path / ".observe").rglob("*"))


def test_public_keys_round_trip_and_validate() -> None:
    person = keys.Identity.generate()
    pub = person.public
    assert keys.PublicKeys.check(pub.member_id, pub.age, pub.sign) == pub
    assert "SECRET" not in pub.age
    for bad in [
        ("x", pub.age, pub.sign),
        (pub.member_id, "age1nope", pub.sign),
        (pub.member_id, pub.age, "AAAA"),
        (pub.member_id, pub.age, 7),
    ]:
        with pytest.raises(ValueError):
            keys.PublicKeys.check(*bad)


@pytest.mark.parametrize(
    "raw", [b"", b"[]", b"{}", b'{"format": 1, "member": "m-0000000000000000"}', b"\xff"]
)
def test_a_damaged_key_file_is_one_clear_error(tmp_path: Path, raw: bytes) -> None:
    folder = tmp_path / ".observe-keys"
    folder.mkdir()
    (folder / "identity.json").write_bytes(raw)
    with pytest.raises(KeyFileError):
        keys.load(tmp_path)


def test_a_key_file_that_is_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    folder = tmp_path / ".observe-keys"
    folder.mkdir()
    os.mkfifo(folder / "identity.json")
    with pytest.raises(KeyFileError, match="not a regular file"):
        keys.load(tmp_path)


def test_a_backup_restores_the_same_keys_and_only_with_the_passphrase(tmp_path: Path) -> None:
    person = keys.load_or_create(tmp_path / "a")
    blob = keys.backup(person, "correct horse battery staple")
    assert person.to_bytes() not in blob and b"SECRET" not in blob
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        keys.restore(tmp_path / "b", blob, "wrong")
    restored = keys.restore(tmp_path / "b", blob, "correct horse battery staple")
    assert restored.to_bytes() == person.to_bytes()
    assert keys.load(tmp_path / "b").to_bytes() == person.to_bytes()
    other = tmp_path / "c"
    keys.load_or_create(other)
    with pytest.raises(KeyFileError, match="--force"):
        keys.restore(other, blob, "correct horse battery staple")
    with pytest.raises(KeyFileError, match="not a key backup"):
        keys.restore(other, b"plain text", "x")
    with pytest.raises(KeyFileError, match="empty"):
        keys.backup(person, "")


def test_a_bundle_and_the_index_never_carry_the_keys(workspace: Workspace, tmp_path: Path) -> None:
    person = keys.load_or_create(workspace.root)
    secret = person.to_bytes()
    write_tables(workspace, tables_for(workspace, 3))
    out = tmp_path / "b.zip"
    cli(workspace, "sessions")  # builds the index
    cli(workspace, "bundle", "--out", str(out))
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            assert ".observe-keys" not in name
            data = zf.read(name)
            assert b"AGE-SECRET-KEY" not in data and person.member_id.encode() not in data
    for path in workspace.state_dir.rglob("*"):
        if path.is_file():
            assert b"AGE-SECRET-KEY" not in path.read_bytes()
            assert secret not in path.read_bytes()
    # importing the whole workspace folder skips the hidden key folder too
    target = Workspace(tmp_path / "t").ensure(seed=True)
    result = cli(target, "import", str(workspace.root))
    assert "identity.json" not in result.output
