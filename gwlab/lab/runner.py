"""Run and verify steps: never raises into the notebook, always returns a result.

A run checks the parameters (a bad one — or a blank required one — is an
``invalid`` result and nothing runs; such a refusal is returned, never recorded
over the step's last result: see :func:`recorded`), checks the prerequisites (a
missing one is a ``blocked`` result naming it), performs the action, then
evaluates the checks. An AWS error is a ``failed`` result with AWS's code and
message and the step's hint — unless the step exists to reproduce that very
mistake, in which case provoking it passes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from gwlab.errors import GwlabError, LocalOnlyError
from gwlab.lab.calls import Call, recording
from gwlab.lab.context import StepContext
from gwlab.lab.lesson import Lesson
from gwlab.lab.params import ParamError
from gwlab.lab.results import CheckResult, Status, StepResult
from gwlab.lab.session import Session
from gwlab.lab.step import Check, Outcome, Step

#: Lessons by id: the course's ``lesson_by_id`` (see :mod:`gwlab.lab.plugins`).
LessonLookup = Callable[[str], Lesson]


def aws_error(error: ClientError) -> tuple[str, str]:
    """``(code, message)`` of a botocore ``ClientError``."""
    details = error.response.get("Error", {})
    return str(details.get("Code", "")), " ".join(str(details.get("Message", "")).split())


#: The status of a refused value: nothing ran, so there is nothing to record.
REFUSED: Status = "invalid"
#: The status of a step whose moment has passed (see :attr:`Step.until`).
PAST: Status = "past"


def recorded(result: StepResult) -> bool:
    """Whether ``result`` goes into the progress file: a refusal or a past moment does not.

    A refused value ran nothing and changed nothing, so the step's last result
    (a pass, say) still says what the learner built; the caller still gets it. A
    step whose moment has passed could not show it again: its last result stands.
    """
    return result.status not in (REFUSED, PAST)


class _MomentPassed(Exception):
    """A mistake step could not provoke its error: a later step has changed things."""

    def __init__(self, title: str, what_happened: str) -> None:
        super().__init__(title)
        self.title = title
        self.what_happened = what_happened


class Runner:
    """Runs steps of any lesson in one session."""

    def __init__(self, session: Session | Callable[[], Session], lessons: LessonLookup) -> None:
        self._session = session
        self._lessons = lessons

    @property
    def session(self) -> Session:
        """The session steps run in; given a callable, the one it returns now (a Lab's)."""
        return self._session if isinstance(self._session, Session) else self._session()

    def _find(self, lesson: Lesson, key: str) -> tuple[Lesson, Step]:
        if "/" in key:
            lesson_id, step_id = key.split("/", 1)
            other = self._lessons(lesson_id)
            return other, other.step(step_id)
        return lesson, lesson.step(key)

    def missing_prerequisites(self, lesson: Lesson, step: Step) -> list[str]:
        """The ``lesson/step`` keys ``step`` needs that have not passed yet, in order."""
        return [
            lesson.key(required)
            for required in step.requires
            if lesson.key(required) not in self.session.state.passed
        ]

    def run(
        self,
        lesson: Lesson,
        step_id: str,
        params: Mapping[str, Any] | None = None,
        *,
        with_prerequisites: bool = False,
        checked: bool = True,
    ) -> StepResult:
        """Run a step (after its missing prerequisites, when asked) and check it.

        ``checked=False`` replays the step: its action only, counted as passed when the
        action succeeds (how a notebook rebuilds what earlier lessons made).
        """
        step = lesson.step(step_id)
        started = time.perf_counter()
        context = StepContext(self.session.env, self.session.state, {})
        try:
            context.params = step.values(params, context)
        except ParamError as error:
            return self._result(lesson, step, "run", REFUSED, str(error), started=started)
        missing = self.missing_prerequisites(lesson, step)
        if missing and with_prerequisites:
            for key in missing:
                other_lesson, other = self._find(lesson, key)
                earlier = self.run(other_lesson, other.id, with_prerequisites=True)
                if not earlier.passed:
                    return self._result(
                        lesson,
                        step,
                        "run",
                        "blocked",
                        f"the prerequisite {key} did not pass: {earlier.message}",
                        started=started,
                    )
            missing = []
        if missing:
            return self._result(
                lesson,
                step,
                "run",
                "blocked",
                f"run {missing[0]} first (this step builds on it)",
                hint=f"lab.run({missing[0].split('/')[-1]!r}) or run with with_prerequisites=True",
                started=started,
            )
        calls: list[Call] = []
        result = self._perform(lesson, step, context, calls, checked=checked, started=started)
        return replace(result, calls=tuple(calls)) if calls else result

    def _perform(
        self,
        lesson: Lesson,
        step: Step,
        context: StepContext,
        calls: list[Call],
        *,
        checked: bool,
        started: float,
    ) -> StepResult:
        """The action (its AWS calls recorded into ``calls``), then the checks (not recorded)."""
        try:
            with recording(redact=self.session.env.backend == "aws") as recorded:
                try:
                    outcome = self._act(lesson, step, context)
                finally:
                    calls.extend(recorded)
        except _MomentPassed as moment:
            return self._past(lesson, step, "run", moment.what_happened, moment.title, started)
        except ParamError as error:  # a value that would change what the step does not own
            return self._result(lesson, step, "run", REFUSED, str(error), started=started)
        except LocalOnlyError as error:
            return self._result(
                lesson,
                step,
                "run",
                "manual",
                f"{error}. Against AWS, do it yourself: {step.cli(context)}",
                started=started,
            )
        except ClientError as error:
            code, message = aws_error(error)
            return self._result(
                lesson,
                step,
                "run",
                "failed",
                message,
                error_code=code,
                hint=step.hint,
                started=started,
            )
        except (GwlabError, BotoCoreError) as error:
            return self._result(
                lesson, step, "run", "failed", str(error), hint=step.hint, started=started
            )
        except Exception as error:  # a learner-visible red row, never a traceback
            return self._result(
                lesson,
                step,
                "run",
                "failed",
                f"unexpected {type(error).__name__}: {error}",
                started=started,
            )
        self.session.state.ids.update(outcome.resources)
        if not checked:
            self.session.state.passed.add(lesson.key(step.id))
            result = self._result(lesson, step, "run", "passed", outcome.message, started=started)
            return replace(result, resources=dict(outcome.resources))
        return self._checked(lesson, step, "run", context, outcome, started)

    def verify(self, lesson: Lesson, step_id: str) -> StepResult:
        """Evaluate a step's checks against the backend as it is now."""
        step = lesson.step(step_id)
        started = time.perf_counter()
        context = StepContext(self.session.env, self.session.state, {})
        try:
            context.params = step.values(None, context)
        except ParamError as error:
            return self._result(lesson, step, "verify", REFUSED, str(error), started=started)
        outcome = Outcome("checked the backend as it is now")
        return self._checked(lesson, step, "verify", context, outcome, started)

    def ended_by(self, lesson: Lesson, keys: tuple[str, ...]) -> str:
        """The title of the first step of ``keys`` that has passed here, else ``""``."""
        for key in keys:
            if lesson.key(key) in self.session.state.passed:
                return self._find(lesson, key)[1].title
        return ""

    def _act(self, lesson: Lesson, step: Step, context: StepContext) -> Outcome:
        if step.expects_error is None:
            return step.action(context)
        try:
            step.action(context)
        except ClientError as error:
            code, message = aws_error(error)
            if code == step.expects_error:
                return Outcome(f"AWS refused, as it should: {code}: {message}")
            ended = self.ended_by(lesson, step.until)
            if ended:
                raise _MomentPassed(ended, f"AWS answered {code}: {message}") from None
            raise
        ended = self.ended_by(lesson, step.until)
        if ended:
            raise _MomentPassed(ended, "the call succeeded")
        raise GwlabError(
            f"AWS was expected to refuse with {step.expects_error}, but the call succeeded"
        )

    def _past(
        self,
        lesson: Lesson,
        step: Step,
        action: str,
        what_happened: str,
        title: str,
        started: float,
    ) -> StepResult:
        """The result of a step that can no longer show its moment (not recorded)."""
        earlier = (
            "its earlier result stands"
            if lesson.key(step.id) in self.session.state.passed
            else "lab.reset() starts the lesson again in a fresh environment, where it can be seen"
        )
        message = (
            f"{what_happened.rstrip('.')}. This step shows what happens before “{title}”, "
            f"which has run since: it cannot be shown again now, and {earlier}."
        )
        return self._result(lesson, step, action, PAST, message, started=started)

    def _checked(
        self,
        lesson: Lesson,
        step: Step,
        action: str,
        context: StepContext,
        outcome: Outcome,
        started: float,
    ) -> StepResult:
        checks = tuple(
            self._moment(lesson, check.until or step.until, _evaluate(check, context))
            for check in step.checks
        )
        counted = [c for c in checks if c.counts]
        if checks and not counted:  # everything the step shows is a moment that has passed
            past = self._past(lesson, step, action, outcome.message, checks[0].past, started)
            return replace(past, checks=checks, shown=outcome.shown)
        passed = all(c.passed or c.manual for c in counted)
        status: Status = "failed"
        if passed:
            self.session.state.passed.add(lesson.key(step.id))
            status = "manual" if any(c.manual for c in counted) else "passed"
        result = self._result(
            lesson,
            step,
            action,
            status,
            outcome.message,
            checks=checks,
            hint="" if passed else step.hint,
            started=started,
        )
        return replace(result, resources=dict(outcome.resources), shown=outcome.shown)

    def _result(
        self,
        lesson: Lesson,
        step: Step,
        action: str,
        status: Status,
        message: str,
        *,
        checks: tuple[CheckResult, ...] = (),
        error_code: str = "",
        hint: str = "",
        started: float,
    ) -> StepResult:
        return StepResult(
            lesson=lesson.id,
            step=step.id,
            title=step.title,
            action=action,
            status=status,
            message=message,
            checks=checks,
            error_code=error_code,
            hint=hint,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )

    def _moment(self, lesson: Lesson, keys: tuple[str, ...], result: CheckResult) -> CheckResult:
        """``result``, marked past when it failed after a step in ``keys`` changed things."""
        if result.passed or result.manual:
            return result
        ended = self.ended_by(lesson, keys)
        return replace(result, past=ended, hint="") if ended else result


def _evaluate(check: Check, context: StepContext) -> CheckResult:
    """One check; an error while reading the backend is a failed check, not a crash."""
    description = check.description
    try:
        verdict = check.evaluate(context)
    except ClientError as error:
        code, message = aws_error(error)
        return CheckResult(description, False, "the resource to exist", f"{code}: {message}")
    except LocalOnlyError as error:
        return CheckResult(description, False, "a check by hand", str(error), manual=True)
    except GwlabError as error:
        return CheckResult(description, False, "the resource to exist", str(error))
    except Exception as error:
        return CheckResult(description, False, "no error", f"{type(error).__name__}: {error}")
    return CheckResult(description, verdict.passed, verdict.expected, verdict.actual, verdict.hint)
