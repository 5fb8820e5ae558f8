"""An exercise card: the task, where to write the code, Check, Hint and Show solution.

A thin layer over ``lab.check`` / ``lab.hint`` / ``lab.solution``: each button calls
the model and draws what it returns in the card's output area (one line of feedback,
coloured by status), so ``Button.click()`` tests the whole card. Nothing on the card
solves the exercise: the learner's own code in the cell below does.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from gwlab.lab.exercise import Exercise
from gwlab.lab.exercise_results import exercise_badge, markdown_html
from gwlab.ui.outputs import replace

if TYPE_CHECKING:
    from gwlab.lab import Lab

#: Where the learner's code goes (HTML; the ``$`` of ``%aws`` examples is inside code).
WHERE_TO_WRITE = (
    "Write your code in the empty cell below: boto3 "
    '(<code>apigw = lab.env.client("apigatewayv2")</code>) or the AWS CLI '
    "(<code>%aws apigatewayv2 ...</code>). Run it, then click <strong>Check</strong>."
)
_CARD = widgets.Layout(
    border="1px solid var(--jp-border-color2)", padding="0.5em", margin="0.3em 0"
)


class ExerciseBox(widgets.VBox):  # type: ignore[misc]
    """The card's widget, whose plain repr is one short line (not ``VBox(children=...)``)."""

    def __init__(self, exercise: Exercise, children: list[Any]) -> None:
        super().__init__(children, layout=_CARD)
        self._summary = f"Exercise {exercise.id}: {exercise.title} [Check] [Hint] [Show solution]"

    def __repr__(self) -> str:
        return self._summary


class ExerciseCard:
    """The widget of one exercise, wired to ``lab``."""

    def __init__(self, lab: Lab, exercise: Exercise) -> None:
        self.lab = lab
        self.exercise = exercise
        self.text = widgets.HTML(
            value=(
                "<div class='mathjax_ignore'>"
                f"<h4 style='margin:0.2em 0'>Your turn · {html.escape(exercise.title)} "
                f"<code>{html.escape(exercise.id)}</code></h4>"
                f"<p style='margin:0.2em 0'>{markdown_html(exercise.task)}</p>"
                f"<p style='margin:0.2em 0'><small>{WHERE_TO_WRITE}</small></p></div>"
            )
        )
        self.badge = widgets.HTML(value=exercise_badge(self._status()))
        self.check_button = widgets.Button(
            description="Check",
            tooltip=f"Check {exercise.title}",
            button_style="primary",
            icon="check",
        )
        self.hint_button = widgets.Button(
            description="Hint", tooltip="Show the next hint", icon="lightbulb-o"
        )
        self.solution_button = widgets.Button(
            description="Show solution", tooltip="Show the reference solution", icon="key"
        )
        self.output = widgets.Output()
        self.check_button.on_click(lambda _: self.check())
        self.hint_button.on_click(lambda _: self.hint())
        self.solution_button.on_click(lambda _: self.solution())
        buttons = widgets.HBox(
            [self.check_button, self.hint_button, self.solution_button, self.badge]
        )
        self.widget = ExerciseBox(exercise, [self.text, buttons, self.output])
        self.widget.add_class("gwlab-exercise")

    def _status(self) -> str:
        """The exercise's last recorded status (``not attempted`` before any check)."""
        return str(next(r.status for r in self.lab.exercises if r.id == self.exercise.id))

    def check(self) -> Any:
        """Check the exercise; the one-line feedback in the output, the badge updated."""
        result = self.lab.check(self.exercise.id)
        self.badge.value = exercise_badge(result.status)
        replace(self.output, result)
        return result

    def hint(self) -> Any:
        """Show the next hint (after the last one: the solution, behind the lock)."""
        reveal = self.lab.hint(self.exercise.id)
        replace(self.output, reveal)
        return reveal

    def solution(self) -> Any:
        """Show the solution, unless an instructor locked solutions."""
        reveal = self.lab.solution(self.exercise.id)
        replace(self.output, reveal)
        return reveal
