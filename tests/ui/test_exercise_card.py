"""The exercise card, driven with Button.click() and read from its Output widget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from gwlab.lab import Lab
from gwlab.lab.progress import Progress
from gwlab.lab.reveal import LOCK_FILE, LOCKED_TEXT
from gwlab.lessons import l02_stages
from gwlab.ui import ExerciseCard, LessonPanel


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_session: None) -> Lab:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GWLAB_SOLUTIONS", raising=False)
    lab = Lab("02", progress=tmp_path / "progress.json")
    for step in lab.steps:
        assert lab.run(step).passed
    return lab


@pytest.fixture
def card(lab: Lab) -> ExerciseCard:
    return ExerciseCard(lab, lab.lesson.exercise("staging_stage"))


def shown(output: Any) -> str:
    """What the card's output area shows, as HTML (or text)."""
    parts = [item.get("data", {}) for item in output.outputs]
    return "\n".join(d.get("text/html") or d.get("text/plain") or "" for d in parts)


def buttons(card: ExerciseCard) -> list[str]:
    return [
        w.description
        for box in card.widget.children
        if isinstance(box, widgets.HBox)
        for w in box.children
        if isinstance(w, widgets.Button)
    ]


def test_the_card_shows_the_task_where_to_write_and_three_buttons(lab: Lab) -> None:
    widget = lab.exercise_card("staging_stage")
    assert repr(widget) == (
        "Exercise staging_stage: A staging stage [Check] [Hint] [Show solution]"
    )
    assert "gwlab-exercise" in widget._dom_classes
    (text, _, output) = widget.children
    assert "<code>staging_stage</code>" in text.value
    assert "<code>staging</code>" in text.value  # the task's Markdown code spans
    assert "empty cell below" in text.value and "%aws" in text.value
    assert "mathjax_ignore" in text.value
    assert isinstance(output, widgets.Output) and output.outputs == ()
    card = ExerciseCard(lab, lab.lesson.exercise("staging_stage"))
    assert buttons(card) == ["Check", "Hint", "Show solution"]
    assert "not attempted" in card.badge.value
    assert "create-stage" not in text.value and "create_stage" not in text.value  # no answer


def test_check_before_any_attempt_then_wrong_then_right(
    lab: Lab, card: ExerciseCard, tmp_path: Path
) -> None:
    card.check_button.click()
    assert "not attempted" in card.badge.value
    assert "no stage <code>staging</code> yet" in shown(card.output)
    assert len(card.output.outputs) == 1  # one line of feedback, replaced on each click
    apigw = lab.env.client("apigatewayv2")
    apigw.create_stage(ApiId=lab.ids["api_id"], StageName="staging")
    card.check_button.click()
    assert "status: failed" in card.badge.value
    assert "serves no deployment" in shown(card.output)
    assert "var(--jp-error-color1)" in shown(card.output)  # coloured by status
    assert "Traceback" not in shown(card.output)
    apigw.create_deployment(ApiId=lab.ids["api_id"], StageName="staging")
    card.check_button.click()
    assert "status: passed" in card.badge.value and len(card.output.outputs) == 1
    record = Progress.load(tmp_path / "progress.json").exercises["02-stages/staging_stage"]
    assert (record.status, record.attempts) == ("passed", 2) and record.first_passed


def test_hint_escalates_to_the_solution(card: ExerciseCard, tmp_path: Path) -> None:
    hints = l02_stages.STAGING_EXERCISE.hints
    card.hint_button.click()
    assert "Hint 1 of 2:" in shown(card.output)
    card.hint_button.click()
    assert "Hint 2 of 2 (next: the solution):" in shown(
        card.output
    ) and "create_deployment" in shown(card.output)
    assert hints[0].split("—")[0].strip() not in shown(card.output)  # replaced, not stacked
    card.hint_button.click()
    solution = shown(card.output)
    assert "Solution:" in solution and "AWS CLI" in solution and "boto3" in solution
    assert "aws apigatewayv2 create-stage" in solution and "create_stage(ApiId=" in solution
    record = Progress.load(tmp_path / "progress.json").exercises["02-stages/staging_stage"]
    assert (record.hints, record.solution) == (2, True)


def test_show_solution_stays_behind_the_lock(
    card: ExerciseCard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / LOCK_FILE).write_text("locked")
    card.solution_button.click()
    assert LOCKED_TEXT in shown(card.output) and "create-stage" not in shown(card.output)
    assert Progress.load(tmp_path / "progress.json").exercises == {}
    (tmp_path / LOCK_FILE).unlink()
    card.solution_button.click()
    assert "aws apigatewayv2 create-deployment" in shown(card.output)
    record = Progress.load(tmp_path / "progress.json").exercises["02-stages/staging_stage"]
    assert (record.hints, record.solution, record.attempts) == (0, True, 0)


def test_the_panel_has_the_exercise_cards_after_the_steps(lab: Lab) -> None:
    panel = LessonPanel(lab)
    assert [c.exercise.id for c in panel.exercise_cards] == ["staging_stage"]
    children = list(panel.widget.children)
    last_step = children.index(panel.cards[-1].widget)
    assert children.index(panel.exercise_cards[0].widget) == last_step + 1
