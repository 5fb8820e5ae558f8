"""The lab engine: lessons of steps, run and verified, results kept and tabulated.

Plain, typed classes — no widgets here (those are in :mod:`gwlab.ui`).
"""

from __future__ import annotations

from gwlab.lab.context import Resource, StepContext
from gwlab.lab.lab import Lab
from gwlab.lab.lesson import Lesson
from gwlab.lab.params import Param, ParamError
from gwlab.lab.results import CheckResult, StepResult
from gwlab.lab.step import Check, Outcome, Step, Verdict, expect

__all__ = [
    "Check",
    "CheckResult",
    "Lab",
    "Lesson",
    "Outcome",
    "Param",
    "ParamError",
    "Resource",
    "Step",
    "StepContext",
    "StepResult",
    "Verdict",
    "expect",
]
