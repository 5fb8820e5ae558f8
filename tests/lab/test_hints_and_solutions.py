"""Hints and solutions: revealed on request, recorded, and lockable by an instructor.

A step has one hint; an exercise's hints escalate (a nudge, the operation, then the
solution in AWS CLI and boto3 form). More of the exercise API is in
``test_exercises_api.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gwlab.lab import Lab
from gwlab.lab.progress import Progress
from gwlab.lab.reveal import LOCK_FILE, LOCKED_TEXT
from gwlab.lessons import l02_stages


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_session: None) -> Lab:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GWLAB_SOLUTIONS", raising=False)
    return Lab("02", progress=tmp_path / "progress.json")


def test_a_step_hint_is_shown_and_recorded(lab: Lab, tmp_path: Path) -> None:
    hint = lab.hint("create_stage")
    assert repr(hint).startswith("Hint for create_stage: Read the explanation of")
    assert "role='note'" in hint._repr_html_()
    assert Progress.load(tmp_path / "progress.json").revealed == {
        "02-stages/create_stage": ["hint"]
    }


def test_a_step_that_is_not_an_exercise_has_no_solution(lab: Lab) -> None:
    assert "is not an exercise" in lab.solution("create_stage").text


def test_exercise_hints_escalate_to_the_solution_in_both_forms(lab: Lab, tmp_path: Path) -> None:
    exercise = l02_stages.STAGING_EXERCISE
    first, second = lab.hint("staging_stage"), lab.hint("staging_stage")
    assert (first.level, first.text) == ("1 of 2", exercise.hints[0])
    assert (second.level, second.text) == ("2 of 2 (next: the solution)", exercise.hints[1])
    assert repr(first).startswith("Hint 1 of 2 for staging_stage: ")
    assert Progress.load(tmp_path / "progress.json").exercises["02-stages/staging_stage"].hints == 2
    third = lab.hint("staging_stage")  # after the last hint: the solution
    assert third.kind == "solution" and not third.locked
    labels = [label for label, _ in third.code]
    assert labels[0].startswith("AWS CLI") and labels[1].startswith("boto3")
    api_id = lab.ids["api_id"]
    cli, code = (text for _, text in third.code)
    assert cli.splitlines() == [
        f"aws apigatewayv2 create-stage --api-id {api_id} --stage-name staging --region us-east-1",
        f"aws apigatewayv2 create-deployment --api-id {api_id} --stage-name staging "
        "--region us-east-1",
    ]
    assert f"create_stage(ApiId='{api_id}', StageName='staging')" in code
    assert f"create_deployment(ApiId='{api_id}', StageName='staging')" in code
    stored = Progress.load(tmp_path / "progress.json").exercises["02-stages/staging_stage"]
    assert (stored.hints, stored.solution, stored.status) == (2, True, "not attempted")


def test_the_solution_is_code_that_solves_the_exercise(lab: Lab) -> None:
    for step in lab.steps:
        assert lab.run(step).passed
    solution = lab.solution("staging_stage")
    code = dict(solution.code)[next(label for label, _ in solution.code if "boto3" in label)]
    exec(code, {"lab": lab})  # what the learner pastes into the empty cell
    assert lab.check("staging_stage").passed


@pytest.mark.parametrize("how", ["environment", "file"])
def test_solutions_locked_by_the_instructor(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "environment":
        monkeypatch.setenv("GWLAB_SOLUTIONS", "locked")
    else:
        (tmp_path / LOCK_FILE).write_text("locked")
    solution = lab.solution("staging_stage")
    assert solution.locked and solution.text == LOCKED_TEXT and solution.code == ()
    assert lab.progress.exercises == {}  # a locked solution is not revealed
    assert lab.hint("staging_stage").text  # hints stay available ...
    assert lab.hint("staging_stage").text
    after = lab.hint("staging_stage")  # ... up to the solution, which stays locked
    assert after.locked and "create-stage" not in repr(after)
    record = lab.progress.exercises["02-stages/staging_stage"]
    assert (record.hints, record.solution) == (2, False)


def test_an_unknown_name_is_one_line_and_nothing_is_recorded(lab: Lab) -> None:
    for reveal in (lab.hint("stagign"), lab.solution("stagign")):
        assert reveal.kind == "notice" and "\n" not in reveal.text
        assert "has no exercise or step 'stagign'" in reveal.text
        assert "staging_stage" in reveal.text and "create_stage" in reveal.text
    assert lab.progress.exercises == {} and lab.progress.revealed == {}
