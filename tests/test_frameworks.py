"""Frameworks: the bad-file corpus gives one clear line each; the default framework's shape."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.frameworks import load
from observe.core.models import Framework, Mode
from observe.store.workspace import Workspace, packaged_criteria

CORPUS = Path(__file__).parent / "data" / "bad_frameworks"
OBSERVE = str(Path(sys.executable).with_name("observe"))  # the installed command

# file -> (line named in the message or None, what the message must say)
EXPECTED: dict[str, tuple[int | None, str]] = {
    "bad_criterion_id.toml": (21, "domains[0].criteria[0].id: '1 first' is not a valid id"),
    "bad_framework_id.toml": (1, "id: 'Mini Framework!' is not a valid id"),
    "binary.toml": (None, "not a text file"),
    "blank_label.toml": (10, "scale.levels[0].label: must not be empty"),
    "comments_only.toml": (None, "the file is empty"),
    "descriptor_key_not_a_level.toml": (24, "descriptors.high: 'high' is not a level number"),
    "duplicate_criterion_id.toml": (25, "domains[0].criteria[1].id: duplicate criterion id 'A1'"),
    "duplicate_level_values.toml": (5, "scale.levels: level values must be unique"),
    "empty.toml": (None, "the file is empty"),
    "empty_criteria_list.toml": (19, "domains[0].criteria: must not be empty"),
    "empty_domain.toml": (24, "domains[1].criteria: field required"),
    "key_after_table.toml": (16, "scale.levels[1].domains: unknown field"),
    "levels_out_of_order.toml": (5, "scale.levels: levels must be in ascending order"),
    "missing_criterion_title.toml": (20, "domains[0].criteria[0].title: field required"),
    "missing_scale.toml": (None, "scale: field required"),
    "missing_title.toml": (None, "title: field required"),
    "mode_not_a_mode.toml": (23, "modes[1]: 'telepathic' is not allowed"),
    "no_domains.toml": (4, "domains: must not be empty"),
    "not_utf8.toml": (3, "not UTF-8 text"),
    "single_level.toml": (5, "scale.levels: needs at least 2, found 1"),
    "syntax_bad_table_header.toml": (16, "TOML syntax error"),
    "syntax_duplicate_key.toml": (3, "TOML syntax error: Cannot overwrite a value"),
    "syntax_unclosed_string.toml": (3, "TOML syntax error"),
    "unknown_criterion_field.toml": (23, "domains[0].criteria[0].weight: unknown field"),
    "unknown_field.toml": (4, "colour: unknown field"),
    "unknown_kind.toml": (4, "kind: 'quiz' is not allowed"),
    "unknown_scale_value.toml": (23, "descriptors: level 7 is not on the scale [1, 2]"),
    "wrong_type_level_value.toml": (
        13,
        "scale.levels[1].value: expected a whole number, got 'two'",
    ),
    "wrong_type_look_fors.toml": (23, "look_fors: expected a list"),
    "wrong_type_version.toml": (2, "version: expected text, got 1.5"),
}


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.toml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_rejects_with_one_line(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # outside the checkout, the file is named as given
    path = CORPUS / name
    result = CliRunner().invoke(main, ["criteria", "check", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line, fragment = EXPECTED[name]
    where = f"{path}:{line}: " if line else f"{path}: "
    assert lines[0].startswith(f"observe: {where}"), lines[0]
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr and "pydantic" not in result.stderr


def test_check_in_a_real_process_is_one_line_without_traceback(tmp_path: Path) -> None:
    for name in ("binary.toml", "syntax_unclosed_string.toml", "duplicate_criterion_id.toml"):
        done = subprocess.run(
            [OBSERVE, "criteria", "check", str(CORPUS / name)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert done.returncode == 2
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1 and name in done.stderr


def test_check_accepts_the_default_framework() -> None:
    result = CliRunner().invoke(
        main, ["criteria", "check", str(packaged_criteria() / "good-facilitation.toml")]
    )
    assert result.exit_code == 0
    assert "ok: good-facilitation" in result.stdout


def test_a_missing_file_is_one_line_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["criteria", "check", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "nope.toml: cannot read" in result.stderr


# ---------------------------------------------------------------- the default framework


@pytest.fixture(scope="module")
def default() -> Framework:
    return load(packaged_criteria() / "good-facilitation.toml")


def test_default_framework_shape(default: Framework) -> None:
    assert 6 <= len(default.domains) <= 8
    criteria = [c for _, c in default.criteria()]
    assert 20 <= len(criteria) <= 30
    assert len({c.id for c in criteria}) == len(criteria)
    assert all(len(c.id) <= 3 for c in criteria)
    assert [lv.value for lv in default.scale.levels] == [1, 2, 3, 4]
    assert all(lv.label and lv.descriptor for lv in default.scale.levels)
    assert default.scale.not_observed
    for c in criteria:
        assert c.prompt and len(c.look_fors) >= 2, c.id
        assert set(c.descriptors) == {1, 2, 3, 4}, c.id


def test_online_criteria_apply_only_online_and_hybrid(default: Framework) -> None:
    online = [c for _, c in default.criteria() if c.modes is not None]
    assert online, "the default framework has online-facilitation criteria"
    for c in online:
        assert set(c.modes or []) == {Mode.ONLINE, Mode.HYBRID}
    in_person = {c.id for _, c in default.criteria(Mode.IN_PERSON)}
    assert not in_person & {c.id for c in online}
    for mode in (Mode.ONLINE, Mode.HYBRID):
        assert {c.id for c in online} <= {c.id for _, c in default.criteria(mode)}


def test_criteria_list_show_text_and_json(tmp_path: Path, default: Framework) -> None:
    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    shutil.copy(CORPUS / "missing_title.toml", ws.criteria_dir / "broken.toml")
    runner = CliRunner()
    listed = runner.invoke(main, ["-w", str(ws.root), "criteria", "list"])
    assert listed.exit_code == 0
    assert "good-facilitation" in listed.stdout and "Good facilitation practice" in listed.stdout
    assert "broken.toml" in listed.stderr and "title: field required" in listed.stderr

    shown = runner.invoke(main, ["-w", str(ws.root), "criteria", "show", "good-facilitation"])
    assert shown.exit_code == 0
    for domain in default.domains:
        assert domain.title in shown.stdout
        for c in domain.criteria:
            assert f"{c.id} " in shown.stdout and c.title in shown.stdout
    assert "not observed" in shown.stdout
    assert "online, hybrid only" in shown.stdout

    as_json = runner.invoke(
        main, ["-w", str(ws.root), "criteria", "show", "good-facilitation", "--format", "json"]
    )
    assert as_json.exit_code == 0
    assert Framework.model_validate(json.loads(as_json.stdout)) == default

    unknown = runner.invoke(main, ["-w", str(ws.root), "criteria", "show", "nothing-here"])
    assert unknown.exit_code == 2
    assert len(unknown.stderr.splitlines()) == 1 and "nothing-here" in unknown.stderr


def test_a_superscript_digit_key_is_a_one_line_error(tmp_path: Path) -> None:
    from observe.core.errors import FrameworkError

    source = (packaged_criteria() / "good-facilitation.toml").read_text(encoding="utf-8")
    path = tmp_path / "x.toml"
    # A quoted key "¹" and a field that does not validate: the error's line is looked up.
    path.write_text('"¹" = 1\n' + source, encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load(path)
    assert "\n" not in str(caught.value)
