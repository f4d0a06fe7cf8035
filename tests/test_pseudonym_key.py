"""People's codes are keyed with the workspace's secret: stable in one workspace (and wherever
its key is shared), different in another, and not recomputable from a list of names."""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.collate import Filters
from observe.core.frameworks import load_all
from observe.core.models import Person
from observe.core.pseudonyms import Pseudonyms, code_for
from observe.services import collation
from observe.store.secret import workspace_secret
from observe.store.workspace import Workspace
from tests.helpers_leads import FACILITATORS, OBSERVERS, populate

SECRET = bytes(range(32))


def cli(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output
    return result


def codes_of(ws: Workspace) -> set[str]:
    c = collation.gather_workspace(ws, Filters(), ("facilitator",))
    return set(c.coverage.facilitators)


@pytest.fixture
def two_workspaces(tmp_path: Path) -> tuple[Workspace, Workspace]:
    out = []
    for name in ("one", "two"):
        ws = Workspace(tmp_path / name).ensure(seed=True)
        framework = load_all(ws.criteria_dir).get("good-facilitation")
        populate(ws, framework, 12, seed=4)  # the same sessions, the same people, in each
        out.append(ws)
    return out[0], out[1]


def test_the_secret_is_made_once_private_and_kept(workspace: Workspace) -> None:
    assert not workspace.secret_path.exists()
    first = workspace_secret(workspace)
    assert len(first) >= 32
    assert stat.S_IMODE(workspace.secret_path.stat().st_mode) == 0o600
    assert workspace_secret(workspace) == first
    assert workspace.secret_path.parent == workspace.root  # not in .observe/, which may go


def test_codes_are_stable_in_a_workspace_and_differ_between_workspaces(
    two_workspaces: tuple[Workspace, Workspace],
) -> None:
    one, two = two_workspaces
    first = codes_of(one)
    assert first == codes_of(one)  # stable run to run
    import shutil

    shutil.rmtree(one.state_dir)  # derived data may go: the codes stay
    assert codes_of(one) == first
    assert codes_of(two).isdisjoint(first)  # the same people, other codes elsewhere
    two.secret_path.write_bytes(one.secret_path.read_bytes())  # a shared key: shared codes
    assert codes_of(two) == first


def test_codes_cannot_be_recomputed_from_a_list_of_names(
    two_workspaces: tuple[Workspace, Workspace],
) -> None:
    one, _ = two_workspaces
    shown = codes_of(one)
    assert all(len(code) == len("F-") + 8 for code in shown)
    guesses: set[str] = set()
    for name in FACILITATORS + OBSERVERS:
        pid = Person.named(name).id
        for text in (pid, name, name.lower(), f"observe-person:{pid}"):
            for digest in (
                hashlib.sha256(text.encode()).hexdigest(),
                hashlib.md5(text.encode()).hexdigest(),
            ):
                for n in (4, 6, 8):
                    guesses.add(f"F-{digest[:n]}")
            for key in (b"\0" * 16, b"observe-person:0", SECRET):  # keys anyone could guess
                guesses.add(code_for(pid, "F", key))
    assert shown.isdisjoint(guesses)


def test_code_for_takes_the_secret_and_refuses_none() -> None:
    assert code_for("asha-rahman", "F", SECRET) == code_for("asha-rahman", "F", SECRET)
    assert code_for("asha-rahman", "F", SECRET) != code_for("asha-rahman", "F", SECRET[::-1])
    code = code_for("asha-rahman", "F", SECRET)
    assert code.startswith("F-") and len(code) == 10
    assert set(code[2:]) <= set("0123456789abcdefghjkmnpqrstvwxyz")  # no I, L, O, U to misread
    with pytest.raises(ValueError):
        code_for("asha-rahman", "F", b"short")
    with pytest.raises(ValueError):
        Pseudonyms({"a": "A"}, "F")  # codes without the secret: refused, never unkeyed
    assert Pseudonyms({"a": "Asha"}, "F", names=True)("a") == "Asha"  # names need no key


def test_thousands_of_people_get_unique_codes() -> None:
    people = {f"p{i}": f"Person {i}" for i in range(5000)}
    labels = Pseudonyms(people, "F", secret=SECRET)
    codes = [labels(pid) for pid in people]
    assert len(set(codes)) == len(codes)


def test_a_facilitator_filter_takes_the_keyed_code(
    two_workspaces: tuple[Workspace, Workspace],
) -> None:
    one, two = two_workspaces
    secret = workspace_secret(one)
    for name in FACILITATORS:
        code = code_for(Person.named(name).id, "F", secret)
        if code in codes_of(one):
            break
    table = cli(one, "collate", "--facilitator", code).output
    assert not table.startswith("0 sessions")
    cli(two, "collate", "--facilitator", code, code=2)  # another workspace's key: unknown
    cli(one, "collate", "--facilitator", "F-" + "0" * 8, code=2)


def test_a_bundle_never_carries_the_secret(
    two_workspaces: tuple[Workspace, Workspace], tmp_path: Path
) -> None:
    one, _ = two_workspaces
    key = workspace_secret(one)
    out = tmp_path / "b.zip"
    cli(one, "bundle", "--out", str(out))
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert not any("key" in n for n in names)
        for n in names:
            data = zf.read(n)
            assert key not in data and key.hex().encode() not in data


def test_an_unreadable_secret_is_one_line_not_a_new_key(workspace: Workspace) -> None:
    workspace.secret_path.write_text("not a key\n")
    result = cli(workspace, "collate", "--by", "facilitator", code=2)
    assert "pseudonym.key" in result.output and len(result.output.strip().splitlines()) == 1
    assert workspace.secret_path.read_text() == "not a key\n"  # never replaced behind one's back


def test_a_workspace_that_cannot_hold_a_key_is_collated_with_codes_for_that_output(
    two_workspaces: tuple[Workspace, Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    import observe.store.secret as secret_module

    one, _ = two_workspaces

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Read-only file system", str(path))

    monkeypatch.setattr(secret_module, "write_new", refuse)
    named = cli(one, "collate", "--by", "facilitator", "--names").output
    assert any(name in named for name in FACILITATORS)
    first = cli(one, "collate", "--by", "facilitator").output
    second = cli(one, "collate", "--by", "facilitator").output
    assert "codes hold for this output only" in first and "Read-only" in first
    assert not any(name in first for name in FACILITATORS)
    codes = {c for c in re.findall(r"F-[0-9a-z]{8}", first)}
    assert codes and codes.isdisjoint(re.findall(r"F-[0-9a-z]{8}", second))
    assert not one.secret_path.exists()
