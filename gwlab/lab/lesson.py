"""A lesson: an ordered list of steps, built on the lessons before it."""

from __future__ import annotations

from dataclasses import dataclass

from gwlab.errors import GwlabError
from gwlab.lab.step import Step


class UnknownStepError(GwlabError, KeyError):
    """A step id that is not in the lesson."""

    def __init__(self, lesson: str, step: str, known: list[str]) -> None:
        super().__init__(f"lesson {lesson} has no step {step!r}; its steps are: {', '.join(known)}")

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

    def step(self, step_id: str) -> Step:
        """The step ``step_id``."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise UnknownStepError(self.id, step_id, self.step_ids)

    @property
    def step_ids(self) -> list[str]:
        """The ids of the steps, in order."""
        return [step.id for step in self.steps]

    def key(self, step_id: str) -> str:
        """``lesson/step``: how results and prerequisites name a step."""
        return step_id if "/" in step_id else f"{self.id}/{step_id}"
