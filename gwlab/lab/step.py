"""Steps and checks: what a learner runs, and how the lab knows it worked.

A :class:`Step` is data: an id, a title, an explanation, the boto3 action, the
AWS CLI command a learner would type against real AWS, editable parameters,
the steps it needs first, and :class:`Check` objects that read the backend
(boto3 ``get_*`` calls, a gateway request, a DNS query) and say whether what
should be true is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwlab.lab.params import Param

if TYPE_CHECKING:
    from gwlab.lab.context import StepContext


@dataclass(frozen=True)
class Outcome:
    """What an action did: a one-line message, the ids it made, what to show."""

    message: str
    resources: Mapping[str, str] = field(default_factory=dict)
    #: Something to display under the step (a boto3 response extract, a gateway response).
    shown: Any = None


@dataclass(frozen=True)
class Verdict:
    """A check's answer: passed or not, what it expected and what it found."""

    passed: bool
    expected: str
    actual: str
    hint: str = ""


def expect(passed: bool, expected: object, actual: object, hint: str = "") -> Verdict:
    """A :class:`Verdict` whose expected and actual values are shown as text."""
    return Verdict(bool(passed), str(expected), str(actual), "" if passed else hint)


@dataclass(frozen=True)
class Check:
    """One thing that must be true after a step, read from the backend."""

    description: str
    evaluate: Callable[[StepContext], Verdict]


Action = Callable[["StepContext"], Outcome]
CliCommand = Callable[["StepContext"], str]


@dataclass(frozen=True)
class Step:
    """One step of a lesson."""

    id: str
    title: str
    #: What the step does and why, in one or two sentences.
    explanation: str
    action: Action
    #: The AWS CLI command a learner would type against real AWS.
    cli: CliCommand
    params: tuple[Param, ...] = ()
    #: Ids of steps (in this lesson or an earlier one) that must have passed first.
    requires: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    #: For a step that reproduces a mistake: the AWS error code it must provoke.
    expects_error: str | None = None
    #: Shown when the step or a check fails.
    hint: str = ""
    #: Whether rebuilding a later lesson replays this step (``False`` for steps that
    #: only observe or provoke a mistake and change nothing).
    replay: bool = True
    #: For an exercise: the parameter values that solve it (its defaults do not).
    solution: Mapping[str, Any] | None = None

    @property
    def is_exercise(self) -> bool:
        """Whether the learner must change a parameter for the checks to pass."""
        return self.solution is not None

    def param(self, name: str) -> Param:
        """The parameter called ``name``."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def values(
        self, raw: Mapping[str, Any] | None = None, context: StepContext | None = None
    ) -> dict[str, Any]:
        """Checked values for every parameter: ``raw`` where given, defaults elsewhere.

        Raises :class:`~gwlab.lab.params.ParamError` (one line) for the first bad one.
        """
        given = dict(raw or {})
        unknown = set(given) - {p.name for p in self.params}
        if unknown:
            from gwlab.lab.params import ParamError

            raise ParamError(self.title, f"unknown parameter {sorted(unknown)[0]!r}")
        return {
            p.name: p.value(given[p.name] if p.name in given else p.default_for(context))
            for p in self.params
        }
