"""The names sync engines give conflict copies are recognised, and ordinary names are not."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observe.core.conflictcopies import original_of


def ours(name: str) -> bool:
    return re.fullmatch(r"(roster-\d+|join|door)\.(age|json)", name) is not None


@pytest.mark.parametrize(
    ("copy", "original"),
    [
        ("roster-3.sync-conflict-20260304-093000-ABCDEF7.age", "roster-3.age"),
        ("join.sync-conflict-20261128-050102-Q2W3E4R.age", "join.age"),
        ("notes.sync-conflict-20260304-093000-ABCDEF7", "notes"),
        ("roster-3 (Asha Rahman's conflicted copy 2026-03-04).age", "roster-3.age"),
        ("roster-3 (Asha's conflicted copy 2026-03-04 (1)).age", "roster-3.age"),
        ("join (LAPTOP's conflicted copy 2026-11-28).age", "join.age"),
        ("roster-3-LAPTOP-7H2.age", "roster-3.age"),
        ("join-DESKTOP01.age", "join.age"),
        ("door-my_pc.json", "door.json"),
    ],
)
def test_conflict_copies_name_their_original(copy: str, original: str) -> None:
    assert original_of(copy, ours) == original


@pytest.mark.parametrize(
    "name",
    [
        "roster-3.age",  # ours, whole: not a copy although it looks like roster + "-3"
        "roster-12.age",
        "join.age",
        "door.json",
        "notes.age",
        "something-else.age",  # not a copy of anything we write
        "roster-3.sync-conflict-2026-093000-ABCDEF7.age",  # malformed date
        "roster-3.sync-conflict-20260304-093000-abc.age",  # malformed device
        "roster-3 (conflicted copy).age",
        ".tmp-roster-3.age.123.x.partial",
    ],
)
def test_ordinary_names_are_not_conflict_copies(name: str) -> None:
    assert original_of(name, ours) is None


@given(st.text(min_size=1, max_size=60))
def test_any_name_is_answered_without_error(name: str) -> None:
    found = original_of(name, ours)
    assert found is None or (found and len(found) < len(name))


@given(
    version=st.integers(1, 10**6),
    machine=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,20}", fullmatch=True),
)
def test_every_onedrive_variant_of_our_names_is_recognised(version: int, machine: str) -> None:
    assert original_of(f"roster-{version}-{machine}.age", ours) == f"roster-{version}.age"
