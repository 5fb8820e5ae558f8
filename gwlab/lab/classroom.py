"""A class's progress: what a learner hands in, and the table an instructor builds.

A learner exports one file (:func:`export_progress`): their id, every step's
last status and time, what they revealed, every exercise's status, attempts, first
pass, hints used and whether its solution was revealed, and gwlab's version. An
instructor collects many (:func:`collect`): unreadable files are skipped with a
reason, and the rest become a table per learner and step or exercise, plus how many
passed each step and each exercise — where the class is stuck. (Hand-ins from before
exercises have no ``exercises`` part; they are read as having none.)
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwlab._version import __version__
from gwlab.lab.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

EXPORT_FORMAT = "gwlab-progress-export"
EXPORT_VERSION = 1
#: The columns only exercise rows fill in :meth:`ClassProgress.rows`.
EXERCISE_FIELDS = ("attempts", "first_passed", "hints_used", "solution_revealed")
#: The columns of :meth:`ClassProgress.by_exercise`.
EXERCISE_SUMMARY = [
    "exercise",
    "passed",
    "tried",
    "learners",
    "attempts",
    "used hints",
    "solutions revealed",
]


def export_progress(progress: Progress, learner: str) -> dict[str, Any]:
    """The hand-in document for ``learner`` from their progress."""
    steps = {
        key: {
            "status": result.status,
            "finished_at": result.finished_at,
            "revealed": progress.revealed.get(key, []),
        }
        for key, result in sorted(progress.results.items())
    }
    for key, kinds in progress.revealed.items():
        steps.setdefault(key, {"status": "not run", "finished_at": "", "revealed": kinds})
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "gwlab": __version__,
        "learner": learner,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "steps": steps,
        "exercises": {
            key: {
                "status": record.status,
                "attempts": record.attempts,
                "first_passed": record.first_passed,
                "hints": record.hints,
                "solution": record.solution,
            }
            for key, record in sorted(progress.exercises.items())
        },
    }


def write_export(document: dict[str, Any], path: Path) -> Path:
    """Write a hand-in document as JSON."""
    path.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
    return path


@dataclass
class ClassProgress:
    """The collected hand-ins of a class."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, str]]:
        """One row per learner and step, then per learner and exercise (``kind`` says which).

        An exercise's row has its attempts, first pass, hints used and ``solution``
        (``yes``/``no``); ``revealed`` lists ``hint`` and ``solution`` as for a step.
        """
        rows = [
            {
                "learner": str(doc["learner"]),
                "kind": "step",
                "step": key,
                "status": str(step.get("status", "")),
                "finished_at": str(step.get("finished_at", "")),
                "revealed": ",".join(step.get("revealed", [])),
                **dict.fromkeys(EXERCISE_FIELDS, ""),
            }
            for doc in self.documents
            for key, step in sorted(doc["steps"].items())
        ]
        rows += [
            {
                "learner": str(doc["learner"]),
                "kind": "exercise",
                "step": key,
                "status": str(exercise.get("status", "")),
                "finished_at": "",
                "revealed": ",".join(
                    kind
                    for kind, shown in (
                        ("hint", exercise.get("hints", 0)),
                        ("solution", exercise.get("solution")),
                    )
                    if shown
                ),
                "attempts": str(exercise.get("attempts", 0)),
                "first_passed": str(exercise.get("first_passed") or ""),
                "hints_used": str(exercise.get("hints", 0)),
                "solution_revealed": "yes" if exercise.get("solution") else "no",
            }
            for doc in self.documents
            for key, exercise in sorted(doc.get("exercises", {}).items())
        ]
        return rows

    def by_learner(self, order: list[str]) -> pd.DataFrame:
        """Learners down, steps (and exercises) across: ✔ passed, ✖ failed, blank not run."""
        import pandas as pd

        marks = {"passed": "✔", "failed": "✖", "blocked": "✖", "invalid": "✖"}
        table = pd.DataFrame(
            {
                str(doc["learner"]): {
                    key: marks.get(
                        (doc["steps"].get(key) or doc.get("exercises", {}).get(key) or {}).get(
                            "status", ""
                        ),
                        "",
                    )
                    for key in order
                }
                for doc in self.documents
            }
        ).T
        return table.reindex(columns=order).sort_index()

    def by_exercise(self, order: list[str]) -> pd.DataFrame:
        """Per exercise: learners who passed, tried, used a hint, revealed the solution."""
        import pandas as pd

        records = []
        for key in order:
            done = [doc.get("exercises", {}).get(key, {}) for doc in self.documents]
            attempts = [int(e.get("attempts", 0)) for e in done if e.get("attempts", 0)]
            records.append(
                {
                    "exercise": key,
                    "passed": sum(e.get("status") == "passed" for e in done),
                    "tried": len(attempts),
                    "learners": len(self.documents),
                    "attempts": sum(attempts),
                    "used hints": sum(bool(e.get("hints", 0)) for e in done),
                    "solutions revealed": sum(bool(e.get("solution")) for e in done),
                }
            )
        return pd.DataFrame(records, columns=EXERCISE_SUMMARY)

    def by_step(self, order: list[str]) -> pd.DataFrame:
        """Per step: how many learners passed it, tried it, and revealed its solution."""
        import pandas as pd

        learners = len(self.documents)
        records = []
        for key in order:
            steps = [doc["steps"].get(key, {}) for doc in self.documents]
            records.append(
                {
                    "step": key,
                    "passed": sum(s.get("status") == "passed" for s in steps),
                    "tried": sum(s.get("status", "not run") != "not run" for s in steps),
                    "learners": learners,
                    "solutions revealed": sum("solution" in s.get("revealed", []) for s in steps),
                }
            )
        return pd.DataFrame(records)


#: A hand-in is a few kilobytes; a file past this is not one (and is not read).
MAX_HANDIN_BYTES = 8 << 20


def _valid(document: Any) -> str:
    """Why ``document`` is not a hand-in ("" when it is one)."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        return "not a gwlab progress export"
    if document.get("version") != EXPORT_VERSION:
        return f"export version {_short(document.get('version'))} is not {EXPORT_VERSION}"
    if not isinstance(document.get("learner"), str) or not document["learner"].strip():
        return "no learner id"
    steps = document.get("steps")
    if not isinstance(steps, dict):
        return "no steps"
    for key, step in steps.items():
        if not _step_valid(step):
            return f"step {_short(key)} is not a step's record"
    exercises = document.get("exercises", {})
    if not isinstance(exercises, dict):
        return "its exercises are not a table of exercises"
    for key, exercise in exercises.items():
        if not _exercise_valid(exercise):
            return f"exercise {_short(key)} is not an exercise's record"
    return ""


def _exercise_valid(exercise: Any) -> bool:
    """An exercise of a hand-in: status text, counts, first pass text or null, a flag."""
    if not isinstance(exercise, dict):
        return False
    counts = (exercise.get("attempts", 0), exercise.get("hints", 0))
    first = exercise.get("first_passed")
    return (
        isinstance(exercise.get("status", ""), str)
        and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts)
        and (first is None or isinstance(first, str))
        and isinstance(exercise.get("solution", False), bool)
    )


def _step_valid(step: Any) -> bool:
    """A step of a hand-in: status and time as text, revealed a list of text."""
    if not isinstance(step, dict):
        return False
    revealed = step.get("revealed", [])
    return (
        isinstance(step.get("status", ""), str)
        and isinstance(step.get("finished_at", ""), str)
        and isinstance(revealed, list)
        and all(isinstance(kind, str) for kind in revealed)
    )


def _short(value: Any, limit: int = 60) -> str:
    """``value`` as one short line (for a reason printed on one line)."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _read_handin(path: Path) -> tuple[Any, str]:
    """The document in ``path`` and "" — or ``None`` and why it cannot be read."""
    try:
        if not path.is_file():
            return None, "not a file"
        if path.stat().st_size > MAX_HANDIN_BYTES:
            return None, f"larger than {MAX_HANDIN_BYTES >> 20} MB"
        return json.loads(path.read_text(encoding="utf-8")), ""
    except (OSError, ValueError, RecursionError) as error:  # not UTF-8, not JSON, too deep
        return None, f"unreadable ({type(error).__name__})"


def collect(folder: Path) -> ClassProgress:
    """Read every ``*.json`` hand-in in ``folder``; a bad one is skipped with the reason."""
    collected = ClassProgress()
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.json")):
        document, reason = _read_handin(path)
        if not reason:
            reason = _valid(document)
        if not reason and document["learner"] in seen:
            reason = (
                f"learner {_short(document['learner'])} also handed in "
                f"{_short(seen[document['learner']].name)}"
            )
        if reason:
            collected.skipped.append(f"{_short(path.name, 200)}: {reason}")
            continue
        seen[document["learner"]] = path
        collected.documents.append(document)
    return collected


def class_html(
    progress: ClassProgress, order: list[str], exercise_order: list[str] | None = None
) -> str:
    """One HTML page: the step summary, the exercise summary, then learners by step."""
    skipped = "".join(f"<li>{html.escape(s)}</li>" for s in progress.skipped)
    exercises = exercise_order or []
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>gwlab class progress</title>"
        "<h1>gwlab class progress</h1>"
        f"<h2>Where the class is</h2>{progress.by_step(order).to_html(index=False)}"
        + (
            f"<h2>Exercises</h2>{progress.by_exercise(exercises).to_html(index=False)}"
            if exercises
            else ""
        )
        + f"<h2>Learners</h2>{progress.by_learner(order + exercises).to_html()}"
        + (f"<h2>Skipped files</h2><ul>{skipped}</ul>" if skipped else "")
        + "</html>"
    )
