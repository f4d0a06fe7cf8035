"""Hostile framework files: deep nesting, FIFOs, huge files, loose types, hidden characters.

Every one gives a single line on stderr that names the file (and the line and field where
they can be found), exit 2 from `criteria check`; every other command keeps working.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observe.cli import main as cli_main
from observe.core.errors import FrameworkError
from observe.core.frameworks import load, load_all, parse
from observe.core.models import Framework
from observe.store.workspace import Workspace, packaged_criteria

DEFAULT = packaged_criteria() / "good-facilitation.toml"
DEFAULT_TEXT = DEFAULT.read_text(encoding="utf-8")
DEFAULT_DATA = tomllib.loads(DEFAULT_TEXT)

DEEP = {
    "arrays": "id = " + "[" * 5000 + "]" * 5000 + "\n",
    "inline tables": "id = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
    "dotted keys": ".".join(["a"] * 3000) + " = 1\n",
    "table header": "[" + ".".join(["a"] * 3000) + "]\nx = 1\n",
    "mixed": "id = [" + "{a = [" * 2000 + "]}" * 2000 + "]\n",
}


def run(ws: Workspace, *args: str) -> Any:
    result = CliRunner().invoke(cli_main.main, ["--workspace", str(ws.root), *args])
    text = result.output + (result.stderr or "")
    assert "Traceback" not in text, text
    assert not isinstance(result.exception, RecursionError | MemoryError), result.exception
    return result


def check(ws: Workspace, path: Path) -> str:
    """`criteria check` on a bad file: exit 2 and exactly one line, naming the file."""
    result = run(ws, "criteria", "check", str(path))
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert path.name in lines[0]
    return lines[0]


def with_change(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def no_run_app(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    started: list[Any] = []
    monkeypatch.setattr(cli_main, "run_app", lambda ws, **kw: started.append(kw))
    return started


# ---------------------------------------------------------------- nesting and odd files


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_is_one_line_in_every_command(
    workspace: Workspace, shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = workspace.criteria_dir / "deep.toml"
    bad.write_text(DEEP[shape], encoding="utf-8")
    line = check(workspace, bad)
    assert "nested too deeply" in line or "unknown field" in line
    listed = run(workspace, "criteria", "list")
    assert listed.exit_code == 0 and "good-facilitation" in listed.output
    assert "deep.toml" in listed.stderr
    assert run(workspace, "collate").exit_code == 0
    started = no_run_app(monkeypatch)
    assert run(workspace, "new", "--facilitator", "Asha").exit_code == 0
    assert len(started) == 1


@pytest.mark.timeout(30)
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_fifo_hangs_nothing(
    workspace: Workspace, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workspace.criteria_dir if suffix == ".toml" else workspace.sessions_dir
    fifo = folder / f"2026-01-01_pipe_abcdef12{suffix}"
    os.mkfifo(fifo)
    listed = run(workspace, "criteria", "list")
    assert listed.exit_code == 0
    if suffix == ".toml":
        assert "not a regular file" in listed.stderr
        assert "not a regular file" in check(workspace, fifo)
    assert run(workspace, "collate").exit_code == 0
    assert run(workspace, "sessions").exit_code == 0
    started = no_run_app(monkeypatch)
    assert run(workspace, "new", "--facilitator", "Asha").exit_code == 0
    assert started


def test_a_folder_or_device_named_toml_is_refused(workspace: Workspace) -> None:
    (workspace.criteria_dir / "folder.toml").mkdir()
    catalog = load_all(workspace.criteria_dir)
    assert "good-facilitation" in catalog.frameworks
    assert "not a regular file" in catalog.errors[workspace.criteria_dir / "folder.toml"]
    with pytest.raises(FrameworkError, match="not a regular file"):
        load(Path("/dev/zero"))


def test_a_huge_framework_is_refused_before_it_is_read(workspace: Workspace) -> None:
    big = workspace.criteria_dir / "big.toml"
    with big.open("wb") as f:
        f.truncate(2 * 1024 * 1024)  # sparse
    assert "too large" in check(workspace, big)


# ---------------------------------------------------------------- accepted before, but wrong


@pytest.mark.parametrize(
    ("old", "new", "where", "says"),
    [
        ("not_observed = true", 'not_observed = "yes"', "scale.not_observed", "true or false"),
        ("not_observed = true", "not_observed = 1", "scale.not_observed", "true or false"),
        ("value = 1\n", "value = true\n", "scale.levels[0].value", "whole number"),
        ("value = 1\n", "value = 1.0\n", "scale.levels[0].value", "whole number"),
        ('id = "REL"', 'id = "PLAN"', "domains[", "duplicate domain id"),
        ('id = "R1"\n', 'id = "R1"\n  modes = []\n', "domains[0].criteria[0].modes", "empty"),
        (
            'title = "Good facilitation practice"',
            'title = "Good \\u0000 practice"',
            "title",
            "control character",
        ),
        (
            'title = "Good facilitation practice"',
            'title = "Good \\u001b]0;pwned\\u0007 practice"',
            "title",
            "control character",
        ),
        (
            'title = "Builds safe and trusting relationships"',
            'title = "Builds \\u202egnitsurt"',
            "domains[0].criteria[0].title",
            "bidi",
        ),
        (
            'label = "Emerging"',
            'label = "Emer\\nging"',
            "scale.levels[0].label",
            "control character",
        ),
        (
            '  "1" = "Some welcoming',
            '  "1" = "\\u2066Some welcoming',
            "domains[0].criteria[0].descriptors",
            "bidi",
        ),
    ],
)
def test_loose_values_are_refused_with_their_field_and_line(
    workspace: Workspace, old: str, new: str, where: str, says: str
) -> None:
    if "PLAN" in new:  # a second domain with the first one's id
        first = DEFAULT_TEXT.index("[[domains]]")
        second = DEFAULT_TEXT.index('id = "', DEFAULT_TEXT.index("[[domains]]", first + 1))
        end = DEFAULT_TEXT.index("\n", second)
        text = DEFAULT_TEXT[:second] + 'id = "REL"' + DEFAULT_TEXT[end:]
        at = second
    else:
        text = with_change(DEFAULT_TEXT, old, new)
        at = text.index(new) + (new.index("modes") if "modes" in new else 0)
    bad = workspace.criteria_dir / "zz-loose.toml"
    bad.write_text(text, encoding="utf-8")
    line = check(workspace, bad)
    assert where in line and says in line, line
    assert f"zz-loose.toml:{text[:at].count(chr(10)) + 1}:" in line, line


def test_a_description_may_span_lines(workspace: Workspace) -> None:
    start = DEFAULT_TEXT.index('description = "A shared picture')
    end = DEFAULT_TEXT.index("\n", start)
    multi = 'description = """First line.\n\tIndented second line.\r\nThird."""'
    framework = parse(DEFAULT_TEXT[:start] + multi + DEFAULT_TEXT[end:], "multi.toml")
    assert "Indented" in framework.description


def test_a_stray_file_cannot_take_over_the_default(workspace: Workspace) -> None:
    stray = workspace.criteria_dir / "aaa-copy.toml"
    stray.write_text(
        with_change(DEFAULT_TEXT, 'title = "Good facilitation practice"', 'title = "Stray"')
    )
    catalog = load_all(workspace.criteria_dir)
    assert catalog.paths["good-facilitation"].name == "good-facilitation.toml"
    assert catalog.get().title == "Good facilitation practice"
    error = catalog.errors[stray]
    assert "aaa-copy.toml" in error and "good-facilitation.toml" in error
    assert "duplicate framework id" in error


def test_two_strays_with_one_id_name_each_other(workspace: Workspace) -> None:
    other = with_change(DEFAULT_TEXT, 'id = "good-facilitation"', 'id = "other"')
    (workspace.criteria_dir / "b.toml").write_text(other)
    (workspace.criteria_dir / "c.toml").write_text(other)
    catalog = load_all(workspace.criteria_dir)
    assert catalog.paths["other"].name == "b.toml"
    assert "b.toml" in catalog.errors[workspace.criteria_dir / "c.toml"]


def test_a_byte_order_mark_is_named(workspace: Workspace) -> None:
    bad = workspace.criteria_dir / "bom.toml"
    bad.write_bytes(b"\xef\xbb\xbf" + DEFAULT_TEXT.encode())
    line = check(workspace, bad)
    assert "byte order mark" in line and "bom.toml:1:" in line


def test_the_packaged_default_and_every_good_fixture_still_load() -> None:
    assert load(DEFAULT).id == "good-facilitation"


def test_a_session_snapshot_is_not_held_to_the_file_rules() -> None:
    """Sessions started before these rules keep loading: the rules apply to files only."""
    data = tomllib.loads(DEFAULT_TEXT)
    data["domains"][1]["id"] = data["domains"][0]["id"]
    data["title"] = "old \x1b title"
    Framework.model_validate(data)


# ---------------------------------------------------------------- generated values


toml_scalars = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates()
    | st.datetimes()
    | st.times()
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(DEFAULT_DATA)


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    import copy

    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


def _assert_one_line(text: str) -> None:
    try:
        parse(text, "gen.toml")
    except FrameworkError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message
        assert message.startswith("gen.toml")
        assert all(ch.isprintable() or ch == " " for ch in message), repr(message)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=toml_values)
def test_any_value_anywhere_gives_a_framework_or_one_line(
    path: tuple[Any, ...], value: Any
) -> None:
    _assert_one_line(tomli_w.dumps(_replace(DEFAULT_DATA, path, value)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    at=st.integers(min_value=0, max_value=len(DEFAULT_TEXT)),
    junk=st.text(max_size=12) | st.sampled_from(["[[", "]]", "{", "\ufeff", "\x00", '"""', "\\u"]),
    depth=st.integers(min_value=0, max_value=3000),
)
def test_any_edit_of_the_text_gives_a_framework_or_one_line(at: int, junk: str, depth: int) -> None:
    _assert_one_line(DEFAULT_TEXT[:at] + junk + "[" * depth + DEFAULT_TEXT[at:])


# ---------------------------------------------------------------- the frameworks screen


@pytest.mark.timeout(60)
async def test_the_frameworks_screen_lists_hostile_files(workspace: Workspace, clock: Any) -> None:
    from textual.widgets import OptionList

    from observe.app.application import make_app
    from observe.app.screens.frameworks import FrameworksScreen
    from tests.helpers_home import settle

    (workspace.criteria_dir / "deep.toml").write_text(DEEP["arrays"], encoding="utf-8")
    (workspace.criteria_dir / "markup.toml").write_text(
        with_change(DEFAULT_TEXT, 'id = "good-facilitation"', 'id = "x"').replace(
            'title = "Good facilitation practice"', 'title = "[b]Bold[/b] \\u202e [/]"'
        ),
        encoding="utf-8",
    )
    os.mkfifo(workspace.criteria_dir / "pipe.toml")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FrameworksScreen)
        assert screen.query_one("#frameworks-list", OptionList).option_count == 4
        errors = load_all(workspace.criteria_dir).errors
        assert "nested too deeply" in errors[workspace.criteria_dir / "deep.toml"]
        assert "bidi control U+202E" in errors[workspace.criteria_dir / "markup.toml"]
        assert "not a regular file" in errors[workspace.criteria_dir / "pipe.toml"]


@pytest.mark.timeout(60)
def test_a_long_list_with_a_bad_string_at_its_end_is_found_in_one_pass() -> None:
    start = DEFAULT_TEXT.index("  look_fors = [") + len("  look_fors = [")
    many = ",".join(['"a"'] * 150_000) + ', "\\u202e",'
    with pytest.raises(FrameworkError, match=r"look_fors\[150000\]: bidi control U\+202E"):
        parse(DEFAULT_TEXT[:start] + many + DEFAULT_TEXT[start:], "long.toml")
