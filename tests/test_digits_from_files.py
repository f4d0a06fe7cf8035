"""Text that looks like a number to ``str.isdigit`` but not to ``int`` ("²", "¹") comes from
files and people: it sorts and reads as text, never as a crash."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from observe.core.rota.programme import wave_key
from observe.report import render


def test_a_superscript_wave_sorts_as_text() -> None:
    assert sorted(["wave ²", "wave 2", "²", "10", "2"], key=wave_key)[:2] == ["2", "10"]


@given(st.text(max_size=12))
def test_any_wave_name_has_a_sort_key(wave: str) -> None:
    wave_key(wave)


def test_a_superscript_source_date_epoch_is_ignored(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "²")
    assert render.source_datetime() is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert render.source_datetime() is not None


def test_one_session_is_counted_in_the_singular(tmp_path) -> None:
    from click.testing import CliRunner

    from observe.cli.main import main

    ws = str(tmp_path / "ws")
    runner = CliRunner()
    assert runner.invoke(main, ["-w", ws, "demo", "--sessions", "4"]).exit_code == 0
    seen = set()
    for wave in ("1", "2", "3"):
        out = runner.invoke(main, ["-w", ws, "collate", "--demo", "--wave", wave]).output
        found = re.search(r"(\d+) (sessions?) counted", out)
        assert found, out
        seen.add(found[1])
        assert (found[1] == "1") == (found[2] == "session"), found[0]
    assert "1" in seen
