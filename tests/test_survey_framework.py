"""Survey frameworks: the default survey, their one-line errors, kept apart from observation."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.errors import FrameworkError, NotFound
from observe.core.frameworks import load, load_all, parse
from observe.core.survey import agree_indices, neutral_index
from observe.store.workspace import Workspace, packaged_criteria

DEFAULT = packaged_criteria() / "community-health.toml"

HEAD = """id = "s"
version = "1"
title = "A survey"
kind = "survey"
"""
SCALE = """[scale]
{extra}
[[scale.levels]]
value = 1
label = "Disagree"
[[scale.levels]]
value = 2
label = "Neither"
[[scale.levels]]
value = 3
label = "Agree"
"""
PRINCIPLE = """[[domains]]
id = "P1"
title = "Trust"
  [[domains.criteria]]
  id = "P1a"
  title = "I trust the others."
"""


def test_the_default_survey_has_nine_principles_of_two_to_four_statements():
    survey = load(DEFAULT)
    assert survey.kind == "survey" and len(survey.domains) == 9
    assert all(2 <= len(d.criteria) <= 4 for d in survey.domains)
    assert survey.scale.levels[0].label == "Strongly disagree"
    assert neutral_index(survey) == 2 and list(agree_indices(survey)) == [3, 4]


def test_a_small_survey_is_valid():
    survey = parse(HEAD + SCALE.format(extra="") + PRINCIPLE, "s.toml")
    assert survey.kind == "survey"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + SCALE.format(extra="not_observed = false") + PRINCIPLE,
            "s.toml:6: scale.not_observed: a survey always offers 'prefer not to say'",
        ),
        (
            HEAD + SCALE.format(extra="") + PRINCIPLE + '  look_fors = ["x"]\n',
            "s.toml:22: domains[0].criteria[0].look_fors: a survey statement has no look_fors",
        ),
        (
            HEAD + SCALE.format(extra="") + PRINCIPLE.replace('"P1"', '"P 1"'),
            "s.toml:17: domains[0].id: 'P 1' is not a valid principle id",
        ),
        (
            HEAD + SCALE.format(extra="").split("[[scale.levels]]\nvalue = 3")[0] + PRINCIPLE,
            "s.toml:5: scale.levels: a survey's agreement scale has 3 to 7 levels, found 2",
        ),
    ],
)
def test_survey_problems_are_one_line_with_file_line_and_field(text, expected):
    with pytest.raises(FrameworkError) as caught:
        parse(text, "s.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(expected), message


def test_observation_choices_never_offer_a_survey(tmp_path: Path):
    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    catalog = load_all(ws.criteria_dir)
    assert "community-health" in catalog.surveys
    assert "community-health" not in catalog.frameworks
    assert catalog.get().id == "good-facilitation"
    with pytest.raises(NotFound, match="is a survey, not an observation framework"):
        catalog.get("community-health")
    result = CliRunner().invoke(
        main, ["-w", str(ws.root), "new", "--facilitator", "X", "--framework", "community-health"]
    )
    assert result.exit_code == 2
    assert "is a survey" in result.stderr


def test_criteria_check_and_list_name_a_survey(tmp_path: Path):
    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    runner = CliRunner()
    checked = runner.invoke(main, ["criteria", "check", str(DEFAULT)])
    assert checked.exit_code == 0
    assert "survey community-health 1.0, 9 principles, 26 statements" in checked.output
    listed = runner.invoke(main, ["-w", str(ws.root), "criteria", "list"])
    assert "survey: 9 principles" in listed.output
    shown = runner.invoke(main, ["-w", str(ws.root), "criteria", "show", "community-health"])
    assert "prefer not to say" in shown.output
