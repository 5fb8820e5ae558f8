"""Steps and checks: what a learner runs, and how the lab knows it worked.

A :class:`Step` is data: an id, a title, an explanation, the boto3 action, the
AWS CLI command a learner would type against real AWS, editable parameters,
the steps it needs first, and :class:`Check` objects that read the backend
(boto3 ``get_*`` calls, a gateway request, a DNS query) and say whether what
should be true is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from gwlab.lab.params import Param, ParamError, format_value

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
    #: Keys of later steps that end the moment this check looks at (``lesson/step``, or
    #: a step id of the same lesson); when one has passed, a failure is a past moment.
    #: Empty: the step's own :attr:`Step.until`.
    until: tuple[str, ...] = ()


def until(check: Check, *keys: str) -> Check:
    """``check``, true only until one of the steps ``keys`` has run (see :attr:`Check.until`)."""
    return replace(check, until=keys)


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
    #: Fields this step accepts blank (every other field needs a value: a blank one is
    #: refused before anything runs, so it cannot stand for "nothing" or "the root").
    optional: tuple[str, ...] = ()
    #: More checks of a field's value for this step, by field name, run after the
    #: field's own; each raises ``ValueError`` with a one-line reason.
    vet: Mapping[str, Callable[[Any], None]] = field(default_factory=dict)
    #: For a step that shows a moment (a stage before its first deployment, a mistake AWS
    #: refuses only while a resource is missing): the keys of later steps that end it.
    #: Once one of them has passed, running this step again cannot show the moment; it
    #: says so (status ``past``) instead of failing, and its earlier result stands.
    #: Checks use it unless they name their own (:func:`until`).
    until: tuple[str, ...] = ()

    def param(self, name: str) -> Param:
        """The parameter called ``name``."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def requires_value(self, param: Param) -> bool:
        """Whether ``param`` must not be left blank.

        Yes unless :attr:`optional` lists it or its own default is blank (a default
        made from the context counts as a value).
        """
        if param.name in self.optional:
            return False
        return callable(param.default) or not is_blank(param.default)

    def values(
        self, raw: Mapping[str, Any] | None = None, context: StepContext | None = None
    ) -> dict[str, Any]:
        """Checked values for every parameter: ``raw`` where given, defaults elsewhere.

        Raises :class:`~gwlab.lab.params.ParamError` (one line) for the first bad one:
        a value its field refuses, a blank required field, a value :attr:`vet` refuses.
        Nothing has run when it raises.
        """
        given = dict(raw or {})
        unknown = set(given) - {p.name for p in self.params}
        if unknown:
            raise ParamError(self.title, f"unknown parameter {sorted(unknown)[0]!r}")
        values: dict[str, Any] = {}
        for param in self.params:
            required = self.requires_value(param)
            candidate = given[param.name] if param.name in given else param.default_for(context)
            if required and candidate is None:
                raise ParamError(param.label, _required(param))
            value = param.value(candidate)
            if required and is_blank(value):
                raise ParamError(param.label, _required(param))
            check = self.vet.get(param.name)
            if check is not None:
                try:
                    check(value)
                except ValueError as error:
                    raise ParamError(param.label, str(error)) from None
            values[param.name] = value
        return values


def is_blank(value: Any) -> bool:
    """Whether ``value`` says nothing: ``None``, blank text, an empty list or mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (tuple, list, dict, set, frozenset)):
        return not value
    return False


def _required(param: Param) -> str:
    """The reason a blank required field is refused, with the lesson's value when short."""
    example = "" if callable(param.default) else format_value(param.default)
    if not example or "\n" in example or len(example) > 60:
        return "a value is required"
    return f"a value is required (the lesson uses {example})"
