"""The lesson panel: a card per step, a card per exercise, a progress bar, the results table."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from gwlab.lab.results import StepResult
from gwlab.ui.card import StepCard
from gwlab.ui.exercise import ExerciseCard
from gwlab.ui.outputs import replace

if TYPE_CHECKING:
    from gwlab.lab import Lab


class LessonPanel:
    """Every step of ``lab``'s lesson, with progress and the results table."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.cards = [StepCard(lab, step, on_result=self._refresh) for step in lab.lesson.steps]
        #: The "Your turn" exercises, after the steps (solved in code cells, not here).
        self.exercise_cards = [ExerciseCard(lab, exercise) for exercise in lab.lesson.exercises]
        self.progress = widgets.IntProgress(
            value=0,
            min=0,
            max=len(self.cards),
            description="Passed",
            style={"description_width": "initial"},
        )
        self.progress_text = widgets.HTML()
        self.table = widgets.Output()
        notices = "".join(f"<p role='alert'>{html.escape(n)}</p>" for n in lab.notices)
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    value=f"<h3>{html.escape(lab.lesson.title)}</h3>"
                    f"<p>{html.escape(lab.lesson.goal)}</p>{notices}"
                ),
                widgets.HBox([self.progress, self.progress_text]),
                *(card.widget for card in self.cards),
                *(card.widget for card in self.exercise_cards),
                widgets.HTML(value="<h4>Results</h4>"),
                self.table,
            ]
        )
        self._refresh()

    def passed(self) -> int:
        """How many of the lesson's steps last passed."""
        return sum(
            1
            for step in self.lab.steps
            if (last := self.lab.last(step)) is not None and last.passed
        )

    def _refresh(self, result: StepResult | None = None) -> None:
        passed = self.passed()
        self.progress.value = passed
        self.progress_text.value = f"{passed} of {len(self.cards)} steps passed"
        frame = self.lab.results
        mine = frame[frame["lesson"] == self.lab.lesson.id].drop(columns=["duration"])
        replace(
            self.table,
            mine.to_html(index=False, border=0)
            if not mine.empty
            else "<p>No step has been run yet.</p>",
        )
