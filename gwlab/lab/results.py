"""The result of running or verifying a step: a row of the results table.

Both representations are deterministic (the duration is kept but never shown
in them), so a notebook cell that displays a result validates under nbval.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from gwlab.lab.calls import Call

#: What a run or verification of a step can end as.
Status = Literal["passed", "failed", "blocked", "invalid", "manual", "past"]
#: Every :data:`Status`.
ALL_STATUSES: tuple[Status, ...] = get_args(Status)

#: Status values, and the colour-free symbol each is drawn with.
STATUS_SYMBOLS = {
    "passed": "✔",
    "failed": "✖",
    "blocked": "⏸",
    "invalid": "✎",
    "manual": "☞",
    "past": "↺",
    "not run": "·",
}


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict, as shown and stored."""

    description: str
    passed: bool
    expected: str
    actual: str
    hint: str = ""
    #: A check only the emulated AWS can make; against real AWS it is done by hand.
    manual: bool = False
    #: The title of a later step that has run since and changed what this check looks
    #: at (a moment the step shows, such as "no deployment yet"): a failure of a check
    #: whose moment has passed says so and does not count against the step.
    past: str = ""

    @property
    def status(self) -> str:
        """``"manual"``, ``"past"``, ``"passed"`` or ``"failed"``."""
        if self.manual:
            return "manual"
        if self.past:
            return "past"
        return "passed" if self.passed else "failed"

    @property
    def counts(self) -> bool:
        """Whether the check decides the step's status (a past moment does not)."""
        return not self.past


@dataclass(frozen=True)
class StepResult:
    """What happened when a step was run or verified."""

    lesson: str
    step: str
    title: str
    action: str  # "run" or "verify"
    status: Status
    message: str
    checks: tuple[CheckResult, ...] = ()
    resources: dict[str, str] = field(default_factory=dict)
    error_code: str = ""
    hint: str = ""
    duration_ms: float = 0.0
    #: When the run or verification finished (UTC, ISO 8601); never shown in reprs.
    finished_at: str = ""
    #: What the action produced for display (not stored in the progress file).
    shown: Any = field(default=None, compare=False, repr=False)
    #: The AWS calls the step's action made (:mod:`gwlab.lab.calls`), for the card; not
    #: stored in the progress file and not in either repr, so stored outputs stay as they are.
    calls: tuple[Call, ...] = field(default=(), compare=False, repr=False)

    @property
    def passed(self) -> bool:
        """Whether the step passed (against real AWS: everything that can be checked did)."""
        return self.status in ("passed", "manual")

    @property
    def hint_to_show(self) -> str:
        """The step's hint, else the first check's (shown when the step did not pass)."""
        return self.hint or next((c.hint for c in self.checks if c.hint), "")

    @property
    def checks_passed(self) -> str:
        """``"2/3"``, or ``"1/1 +2 past"`` when some checks' moment has passed."""
        counted = [c for c in self.checks if c.counts]
        past = len(self.checks) - len(counted)
        text = f"{sum(c.passed for c in counted)}/{len(counted)}"
        return f"{text} +{past} past" if past else text

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict (for the progress file)."""
        record = asdict(self)
        record.pop("shown")
        record.pop("calls")
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> StepResult:
        """The inverse of :meth:`to_record`."""
        fields = dict(record)
        fields["checks"] = tuple(CheckResult(**c) for c in fields.get("checks", ()))
        return cls(**fields)

    def __repr__(self) -> str:
        lines = [
            f"{STATUS_SYMBOLS.get(self.status, '?')} {self.lesson} / {self.step} "
            f"({self.action}): {self.status} - {self.message}"
        ]
        if self.error_code:
            lines.append(f"  AWS error: {self.error_code}")
        for check in self.checks:
            lines.append(f"  {STATUS_SYMBOLS[check.status]} {check.description}")
            if check.manual:
                lines.append(f"      by hand: {check.actual}")
            elif check.past:
                lines.append(f"      held before {check.past!r} ran; now: {check.actual}")
            elif not check.passed:
                lines.append(f"      expected: {check.expected}")
                lines.append(f"      actual:   {check.actual}")
        if not self.passed and self.hint_to_show:
            lines.append(f"  hint: {self.hint_to_show}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from gwlab.lab.render import result_html

        return result_html(self)
