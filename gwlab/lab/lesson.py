"""A lesson: an ordered list of steps, built on the lessons before it."""

from __future__ import annotations

from dataclasses import dataclass

from gwlab.errors import GwlabError
from gwlab.lab.exercise import Exercise
from gwlab.lab.step import Step


class UnknownStepError(GwlabError, KeyError):
    """A step id that is not in the lesson."""

    def __init__(self, lesson: str, step: str, known: list[str]) -> None:
        super().__init__(f"lesson {lesson} has no step {step!r}; its steps are: {', '.join(known)}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownExerciseError(GwlabError, KeyError):
    """An exercise name that is not in the lesson."""

    def __init__(self, lesson: str, exercise: str, known: list[str]) -> None:
        listed = ", ".join(known) if known else "none"
        super().__init__(
            f"lesson {lesson} has no exercise {exercise!r}; its exercises are: {listed}"
        )

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Lesson:
    """One notebook's worth of steps."""

    id: str
    title: str
    steps: tuple[Step, ...]
    #: One sentence: what the learner will be able to do afterwards.
    goal: str = ""
    #: "Your turn" tasks the learner solves in code, in the order the notebook has them.
    exercises: tuple[Exercise, ...] = ()

    def step(self, step_id: str) -> Step:
        """The step ``step_id``."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise UnknownStepError(self.id, step_id, self.step_ids)

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise ``exercise_id``."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise UnknownExerciseError(self.id, exercise_id, self.exercise_ids)

    @property
    def exercise_ids(self) -> list[str]:
        """The ids of the exercises, in order."""
        return [exercise.id for exercise in self.exercises]

    @property
    def step_ids(self) -> list[str]:
        """The ids of the steps, in order."""
        return [step.id for step in self.steps]

    def key(self, step_id: str) -> str:
        """``lesson/step``: how results and prerequisites name a step."""
        return step_id if "/" in step_id else f"{self.id}/{step_id}"
