"""The results table: a row per step, then a row per exercise, as a pandas DataFrame.

Step rows (``kind`` ``step``) come in course order, then exercise rows (``kind``
``exercise``: ``step`` holds the exercise's id, ``action`` is ``check``), also in
course order. The last four columns are the exercises' own — attempts, when it first
passed, hints used, whether the solution was revealed — and blank for steps; the
step-only columns (checks passed, duration, resource ids) are blank for exercises.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gwlab.lab.exercise_results import ExerciseRecord
from gwlab.lab.results import StepResult

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "lesson",
    "kind",
    "step",
    "action",
    "status",
    "checks passed",
    "duration",
    "resource ids",
    "message",
    "attempts",
    "first passed",
    "hints used",
    "solution revealed",
]
#: The columns only exercise rows fill.
EXERCISE_COLUMNS = ["attempts", "first passed", "hints used", "solution revealed"]


def _ranked(rows: list[dict[str, Any]], order: list[str] | None) -> list[dict[str, Any]]:
    """``rows`` by ``lesson/step`` in ``order`` (unknown keys last, as they came)."""
    if not order:
        return rows
    rank = {key: n for n, key in enumerate(order)}
    return sorted(rows, key=lambda row: rank.get(f"{row['lesson']}/{row['step']}", len(rank)))


def results_table(
    results: Iterable[StepResult],
    order: list[str] | None = None,
    *,
    exercises: Iterable[ExerciseRecord] = (),
    exercise_order: list[str] | None = None,
) -> pd.DataFrame:
    """A DataFrame of ``results`` then ``exercises``; the orders (``lesson/id`` keys) sort them."""
    import pandas as pd

    blank = dict.fromkeys(EXERCISE_COLUMNS, "")
    steps: list[dict[str, Any]] = [
        {
            "lesson": r.lesson,
            "kind": "step",
            "step": r.step,
            "action": r.action,
            "status": r.status,
            "checks passed": r.checks_passed,
            "duration": f"{r.duration_ms:.0f} ms",
            "resource ids": ", ".join(f"{k}={v}" for k, v in sorted(r.resources.items())),
            "message": r.message,
            **blank,
        }
        for r in results
    ]
    checked: list[dict[str, Any]] = [
        {
            "lesson": e.lesson,
            "kind": "exercise",
            "step": e.exercise,
            "action": "check",
            "status": e.status,
            "checks passed": "",
            "duration": "",
            "resource ids": "",
            "message": e.message,
            "attempts": str(e.attempts),
            "first passed": e.first_passed or "",
            "hints used": str(e.hints),
            "solution revealed": "yes" if e.solution else "no",
        }
        for e in exercises
    ]
    rows = _ranked(steps, order) + _ranked(checked, exercise_order)
    return pd.DataFrame(rows, columns=COLUMNS)
