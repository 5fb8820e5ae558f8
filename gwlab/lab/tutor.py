"""Checks, hints and solutions of a lesson: what ``lab.check`` / ``hint`` / ``solution`` do.

The :class:`Tutor` of a lab checks an exercise against the backend and records the
result; reveals hints — a step's one hint, or an exercise's next level: a nudge, the
operation, then the full solution in AWS CLI and boto3 form — and solutions, behind
the instructor's lock. Every reveal is recorded; nothing here raises for a learner's
mistake (an unknown name is one line in the result).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone

from gwlab.errors import GwlabError
from gwlab.lab.context import StepContext
from gwlab.lab.exercise import Exercise, boto3_solution, cli_solution, run_check
from gwlab.lab.exercise_results import (
    BLOCKED,
    INVALID,
    ExerciseRecord,
    ExerciseResult,
    ExerciseRow,
    ExerciseTable,
)
from gwlab.lab.lesson import Lesson, UnknownExerciseError
from gwlab.lab.progress import Progress
from gwlab.lab.reveal import LOCKED_TEXT, Reveal, hint_text, solution_text, solutions_locked
from gwlab.lab.step import Step

#: The labels of a revealed exercise solution's two forms.
CLI_LABEL = "AWS CLI (a %%aws cell, or a terminal)"
BOTO3_LABEL = "boto3 (a code cell)"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Tutor:
    """The exercises, hints and solutions of ``lesson``, recorded in ``progress``."""

    def __init__(
        self, lesson: Lesson, progress: Progress, context: Callable[[], StepContext]
    ) -> None:
        self.lesson = lesson
        self.progress = progress
        self._context = context

    # --- exercises -------------------------------------------------------------------------

    def table(self) -> ExerciseTable:
        """The lesson's exercises with their last status, attempts and reveals."""
        self.progress.refresh()
        rows = []
        for exercise in self.lesson.exercises:
            record = self.record(exercise.id)
            rows.append(
                ExerciseRow(
                    exercise.id,
                    exercise.title,
                    record.status,
                    record.attempts,
                    record.hints,
                    record.solution,
                )
            )
        return ExerciseTable(self.lesson.id, tuple(rows))

    def record(self, exercise_id: str) -> ExerciseRecord:
        """The stored record of ``exercise_id`` (a blank one before anything happened)."""
        key = self.lesson.key(exercise_id)
        found = self.progress.exercises.get(key)
        return found if found is not None else ExerciseRecord(self.lesson.id, exercise_id)

    def check(self, name: str) -> ExerciseResult:
        """Check ``name`` against the backend and record what it found.

        ``not attempted`` is recorded as such and is no attempt; a missing prerequisite
        or an unknown name is returned, not recorded.
        """
        try:
            exercise = self.lesson.exercise(name)
        except UnknownExerciseError as error:
            return ExerciseResult(self.lesson.id, str(name), str(name), INVALID, str(error))
        context = self._context()
        missing = [
            self.lesson.key(required)
            for required in exercise.requires
            if self.lesson.key(required) not in context.state.passed
        ]
        if missing:
            return ExerciseResult(
                self.lesson.id,
                exercise.id,
                exercise.title,
                BLOCKED,
                f"run {missing[0]} first (this exercise builds on it)",
                self.record(exercise.id).attempts,
            )
        feedback = run_check(exercise, context)
        now = _now()

        def update(old: ExerciseRecord | None) -> ExerciseRecord:
            base = old or ExerciseRecord(self.lesson.id, exercise.id)
            return replace(
                base,
                status=feedback.status,
                message=feedback.message,
                attempts=base.attempts + feedback.attempted,
                first_passed=base.first_passed or (now if feedback.passed else None),
                at=now,
            )

        record, unsaved = self.progress.exercise(self.lesson.key(exercise.id), update)
        return ExerciseResult(
            self.lesson.id,
            exercise.id,
            exercise.title,
            record.status,
            record.message,
            record.attempts,
            record.first_passed,
            unsaved,
        )

    # --- hints and solutions ---------------------------------------------------------------

    def hint(self, name: str) -> Reveal:
        """A step's hint, or an exercise's next level (after the last: its solution)."""
        found = self._find(name)
        if isinstance(found, Reveal):
            return found
        if isinstance(found, Step):
            unsaved = self.progress.reveal(self.lesson.key(found.id), "hint")
            return Reveal("hint", found.id, hint_text(found), notice=unsaved)
        return self._next_hint(found)

    def solution(self, name: str) -> Reveal:
        """A solution — unless an instructor locked solutions in this copy."""
        found = self._find(name)
        if isinstance(found, Reveal):
            return found
        if solutions_locked():
            return Reveal("solution", found.id, LOCKED_TEXT, locked=True)
        if isinstance(found, Step):
            unsaved = self.progress.reveal(self.lesson.key(found.id), "solution")
            return Reveal("solution", found.id, solution_text(found), notice=unsaved)
        return self._exercise_solution(found)

    def _find(self, name: str) -> Exercise | Step | Reveal:
        """The exercise or step called ``name``; a one-line notice when there is none."""
        if name in self.lesson.exercise_ids:
            return self.lesson.exercise(name)
        if name in self.lesson.step_ids:
            return self.lesson.step(name)
        exercises = ", ".join(self.lesson.exercise_ids) or "none"
        return Reveal(
            "notice",
            str(name),
            f"lesson {self.lesson.id} has no exercise or step {name!r}; its exercises are: "
            f"{exercises}; its steps are: {', '.join(self.lesson.step_ids)}",
        )

    def _next_hint(self, exercise: Exercise) -> Reveal:
        levels: list[int] = []
        total = len(exercise.hints)

        def update(old: ExerciseRecord | None) -> ExerciseRecord:
            base = old or ExerciseRecord(self.lesson.id, exercise.id)
            if base.hints >= total:
                levels.append(0)
                return base
            levels.append(base.hints + 1)
            return replace(base, hints=base.hints + 1, at=_now())

        _, unsaved = self.progress.exercise(self.lesson.key(exercise.id), update)
        level = levels[-1]
        if not level:  # every hint is out: the next level is the solution
            return self.solution(exercise.id)
        return Reveal(
            "hint",
            exercise.id,
            exercise.hints[level - 1],
            notice=unsaved,
            level=f"{level} of {total}" + (" (next: the solution)" if level == total else ""),
        )

    def _exercise_solution(self, exercise: Exercise) -> Reveal:
        context = self._context()
        try:
            cli = cli_solution(exercise, context)
            code = boto3_solution(exercise, context)
        except (GwlabError, ValueError) as error:  # an id not made yet; CodeError
            return Reveal("solution", exercise.id, f"The solution cannot be written yet: {error}")

        def update(old: ExerciseRecord | None) -> ExerciseRecord:
            base = old or ExerciseRecord(self.lesson.id, exercise.id)
            return base if base.solution else replace(base, solution=True, at=_now())

        _, unsaved = self.progress.exercise(self.lesson.key(exercise.id), update)
        return Reveal(
            "solution",
            exercise.id,
            "the reference solution, in either form; run it, then check again.",
            notice=unsaved,
            code=((CLI_LABEL, cli), (BOTO3_LABEL, code)),
        )
