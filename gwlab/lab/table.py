"""The results table: one row per step, in lesson order, as a pandas DataFrame."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gwlab.lab.results import StepResult

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "lesson",
    "step",
    "action",
    "status",
    "checks passed",
    "duration",
    "resource ids",
    "message",
]


def results_table(results: Iterable[StepResult], order: list[str] | None = None) -> pd.DataFrame:
    """A DataFrame of ``results``; ``order`` (``lesson/step`` keys) sorts the rows."""
    import pandas as pd

    rows = [
        {
            "lesson": r.lesson,
            "step": r.step,
            "action": r.action,
            "status": r.status,
            "checks passed": r.checks_passed,
            "duration": f"{r.duration_ms:.0f} ms",
            "resource ids": ", ".join(f"{k}={v}" for k, v in sorted(r.resources.items())),
            "message": r.message,
        }
        for r in results
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if order and not frame.empty:
        rank = {key: n for n, key in enumerate(order)}
        keys = frame["lesson"] + "/" + frame["step"]
        frame = frame.assign(_rank=keys.map(lambda k: rank.get(k, len(rank))))
        frame = frame.sort_values("_rank", kind="stable").drop(columns="_rank")
        frame = frame.reset_index(drop=True)
    return frame
