"""Hints and solutions: revealed on request, recorded, and lockable by an instructor."""

from __future__ import annotations

from pathlib import Path

import pytest

from gwlab.lab import Lab
from gwlab.lab.progress import Progress
from gwlab.lab.reveal import LOCK_FILE
from gwlab.ui import LessonPanel


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_session: None) -> Lab:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GWLAB_SOLUTIONS", raising=False)
    return Lab("02", progress=tmp_path / "progress.json")


def test_hint_is_shown_and_recorded(lab: Lab, tmp_path: Path) -> None:
    hint = lab.hint("exercise_staging")
    assert repr(hint) == (
        "Hint for exercise_staging: A named stage serves nothing until a deployment points at it."
    )
    assert "role='note'" in hint._repr_html_()
    assert Progress.load(tmp_path / "progress.json").revealed == {
        "02-stages/exercise_staging": ["hint"]
    }


def test_solution_names_the_fields_and_the_code_and_solves_it(lab: Lab) -> None:
    solution = lab.solution("exercise_staging")
    assert solution.text == (
        "In the card, set Stage name to staging, then Run — or run "
        "lab.run('exercise_staging', stage_name='staging')."
    )
    assert lab.run("exercise_staging", with_prerequisites=True, stage_name="staging").passed
    assert lab.progress.revealed["02-stages/exercise_staging"] == ["solution"]


def test_a_step_that_is_not_an_exercise_has_no_solution(lab: Lab) -> None:
    assert "is not an exercise" in lab.solution("create_stage").text


@pytest.mark.parametrize("how", ["environment", "file"])
def test_solutions_locked_by_the_instructor(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "environment":
        monkeypatch.setenv("GWLAB_SOLUTIONS", "locked")
    else:
        (tmp_path / LOCK_FILE).write_text("locked")
    solution = lab.solution("exercise_staging")
    assert solution.locked and "ask your instructor" in solution.text
    assert "staging" not in solution.text
    assert lab.progress.revealed == {}
    assert lab.hint("exercise_staging").text  # hints stay available


def test_the_card_buttons_reveal(lab: Lab) -> None:
    panel = LessonPanel(lab)
    exercise = next(c for c in panel.cards if c.step.id == "exercise_staging")
    plain = next(c for c in panel.cards if c.step.id == "create_stage")
    assert plain.solution_button is None  # only exercises have a solution to show
    assert exercise.solution_button is not None
    exercise.solution_button.click()
    shown = exercise.output.outputs[-1]["data"]["text/html"]
    assert "Solution:" in shown and "stage_name=&#x27;staging&#x27;" in shown
    exercise.hint_button.click()
    assert "Hint:" in exercise.output.outputs[-1]["data"]["text/html"]
