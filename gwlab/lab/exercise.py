"""Exercises: work the learner writes in code, checked from what AWS holds afterwards.

An :class:`Exercise` is authored in one place, as otter-grader authors a question: the
task, the check, the hints (a nudge, then the operation to use), the reference solution
as AWS CLI commands (the boto3 form is written from them with awscli's own parser, so
the two never disagree) and the typical mistakes, each with the words its feedback
must use. The check reads the backend the way a step's checks do — boto3 ``get_*``
calls, requests through the local gateway, DNS queries — so it does not matter whether
the learner used boto3, ``%aws`` or the console of real AWS.

A check says one of three things (:class:`Feedback`): ``passed``; ``failed`` with the
first thing that is wrong, in the learner's terms; or ``not attempted`` when nothing
the exercise asks for exists yet (what Run All of a fresh notebook finds, so it never
records a failure). :func:`run_check` never raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwlab.errors import GwlabError

if TYPE_CHECKING:
    from gwlab.lab.context import StepContext

PASSED = "passed"
FAILED = "failed"
NOT_ATTEMPTED = "not attempted"
#: Every status a check can give.
FEEDBACK_STATUSES = (PASSED, FAILED, NOT_ATTEMPTED)


@dataclass(frozen=True)
class Feedback:
    """What a check found: a status and one or two sentences for the learner."""

    status: str
    message: str

    @property
    def passed(self) -> bool:
        """Whether the exercise is solved."""
        return self.status == PASSED

    @property
    def attempted(self) -> bool:
        """Whether there was anything to check (a failure counts as an attempt)."""
        return self.status != NOT_ATTEMPTED


def passed(message: str) -> Feedback:
    """The exercise is solved; ``message`` says what was found."""
    return Feedback(PASSED, message)


def failed(message: str) -> Feedback:
    """Something is wrong; ``message`` names the first thing, in the learner's terms."""
    return Feedback(FAILED, message)


def not_attempted(message: str) -> Feedback:
    """Nothing the exercise asks for exists yet; ``message`` says what to make."""
    return Feedback(NOT_ATTEMPTED, message)


ExerciseCheck = Callable[["StepContext"], Feedback]
#: AWS CLI commands (each one ``aws ...`` line), with the context's real ids filled in.
Commands = Callable[["StepContext"], tuple[str, ...]]


@dataclass(frozen=True)
class Mistake:
    """A typical wrong attempt, authored with the exercise so a test proves its feedback."""

    #: What the learner gets wrong, in a few words (a test id, and for authors).
    what: str
    #: The learner's wrong attempt, as AWS CLI commands made from the context.
    commands: Commands
    #: Words the check's feedback must contain for this mistake (its own message).
    says: str


@dataclass(frozen=True)
class Exercise:
    """One "Your turn" task of a lesson, solved by the learner's own boto3 or ``%aws`` code."""

    id: str
    title: str
    #: What to build, in one to three sentences (the card's text; Markdown code spans).
    task: str
    check: ExerciseCheck
    #: Escalating hints before the solution: a nudge, then the operation to use.
    hints: tuple[str, ...]
    #: The reference solution: AWS CLI commands, real ids filled in from the context.
    solution: Commands
    #: Typical mistakes (at least two), each failing with its own message.
    mistakes: tuple[Mistake, ...] = ()
    #: Steps (``lesson/step`` or this lesson's ids) that must have passed first.
    requires: tuple[str, ...] = ()


def run_check(exercise: Exercise, context: StepContext) -> Feedback:
    """``exercise``'s check against the backend; an error becomes a failure, never a raise."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        feedback = exercise.check(context)
    except ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code", "an error")
        return failed(
            f"The check could not read what it needs: AWS answered {code}: "
            f"{details.get('Message', '')}".rstrip(": ")
        )
    except (BotoCoreError, GwlabError, OSError) as error:
        return failed(f"The check could not read what it needs: {error}")
    if not isinstance(feedback, Feedback) or feedback.status not in FEEDBACK_STATUSES:
        return failed(f"The check of {exercise.id} gave no answer (a bug in gwlab).")
    return feedback


def cli_solution(exercise: Exercise, context: StepContext) -> str:
    """The reference solution as AWS CLI lines, one command per line."""
    return "\n".join(exercise.solution(context))


def boto3_solution(exercise: Exercise, context: StepContext) -> str:
    """The reference solution as boto3 code, written from its CLI commands by awscli's parser.

    Raises :class:`~gwlab.lab.code.CodeError` when a command cannot be written (a bug in
    the exercise; the tests of every exercise would catch it).
    """
    from gwlab.lab.code import boto3_code, calls_from_cli

    calls = [
        call
        for command in exercise.solution(context)
        for call in calls_from_cli(command, region=context.region)
    ]
    return boto3_code(calls, region=context.region)
