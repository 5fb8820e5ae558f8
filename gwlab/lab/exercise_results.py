"""What the lab keeps and shows of exercises: a check's result, a record, the list.

:class:`ExerciseRecord` is what the progress file holds per exercise (the last check,
the attempts, when it first passed, how many hints were used, whether the solution
was revealed); :class:`ExerciseResult` is what ``lab.check(name)`` returns;
:class:`ExerciseTable` is ``lab.exercises``. Their plain reprs hold no clock time, so
a cell that shows one validates under nbval.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from typing import Any

from gwlab.lab.exercise import FAILED, NOT_ATTEMPTED, PASSED
from gwlab.lab.render import STATUS_COLOURS

#: The statuses a stored exercise record may have (what a check can say).
RECORD_STATUSES = (PASSED, FAILED, NOT_ATTEMPTED)
#: A result that was not a check: an unknown name, a prerequisite missing (never stored).
INVALID = "invalid"
BLOCKED = "blocked"
#: Plain-text symbols of exercise statuses (colour-free, like the step results').
SYMBOLS = {PASSED: "✔", FAILED: "✖", NOT_ATTEMPTED: "○", INVALID: "✎", BLOCKED: "⏸"}

_CODE_SPAN = re.compile(r"`([^`]+)`")


def exercise_badge(status: str) -> str:
    """A status badge (as :func:`~gwlab.lab.render.badge`) with the exercises' own symbols."""
    colour = STATUS_COLOURS.get(status, "var(--jp-ui-font-color2)")
    return (
        f"<span class='gwlab-badge' role='status' aria-label='status: {html.escape(status)}' "
        f"style='border:1px solid {colour};color:{colour};border-radius:4px;"
        f"padding:0 0.4em;font-weight:bold'>{SYMBOLS.get(status, '…')} "
        f"{html.escape(status)}</span>"
    )


def markdown_html(text: str) -> str:
    """``text`` escaped, its Markdown code spans as ``<code>`` (how tasks and hints are written)."""
    return _CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text, quote=False))


def ignore_mathjax(markup: str) -> str:
    """``markup`` in a ``mathjax_ignore`` element if it holds a ``$`` (JupyterLab typesets it)."""
    return f"<div class='mathjax_ignore'>{markup}</div>" if "$" in markup else markup


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise's progress, as the progress file keeps it."""

    lesson: str
    exercise: str
    status: str = NOT_ATTEMPTED
    #: The last check's message.
    message: str = ""
    #: Checks that found something to check (``not attempted`` ones are not counted).
    attempts: int = 0
    #: When a check first passed (UTC, ISO 8601), kept on later checks; ``None`` before.
    first_passed: str | None = None
    #: When the record last changed (UTC, ISO 8601).
    at: str = ""
    #: How many hint levels were revealed.
    hints: int = 0
    #: Whether the solution was revealed.
    solution: bool = False

    @property
    def key(self) -> str:
        """``lesson/exercise``."""
        return f"{self.lesson}/{self.exercise}"

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``exercise`` line of the progress file)."""
        record = asdict(self)
        del record["lesson"], record["exercise"]
        return {"key": self.key, **record}

    @classmethod
    def from_record(cls, record: Any) -> ExerciseRecord | None:
        """The record a stored dict describes, or ``None`` when it is not one."""
        if not isinstance(record, dict):
            return None
        key = record.get("key")
        if not isinstance(key, str) or key.count("/") != 1 or not all(key.split("/")):
            return None
        lesson, exercise = key.split("/")
        status, message, at = record.get("status"), record.get("message", ""), record.get("at", "")
        attempts, hints = record.get("attempts", 0), record.get("hints", 0)
        first, solution = record.get("first_passed"), record.get("solution", False)
        counts_ok = all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (attempts, hints)
        )
        if (
            status not in RECORD_STATUSES
            or not (isinstance(message, str) and isinstance(at, str))
            or not counts_ok
            or not (first is None or isinstance(first, str))
            or not isinstance(solution, bool)
        ):
            return None
        return cls(lesson, exercise, status, message, attempts, first, at, hints, solution)


@dataclass(frozen=True)
class ExerciseResult:
    """What ``lab.check(name)`` found, with the exercise's attempts so far."""

    lesson: str
    exercise: str
    title: str
    status: str
    message: str
    attempts: int = 0
    first_passed: str | None = None
    #: One line when the result could not be saved (the progress file not writable).
    notice: str = ""

    @property
    def passed(self) -> bool:
        """Whether the exercise is solved."""
        return self.status == PASSED

    def __repr__(self) -> str:
        lines = [
            f"{SYMBOLS.get(self.status, '?')} {self.lesson} / {self.exercise} (check): "
            f"{self.status} - {self.message}"
        ]
        if self.status in RECORD_STATUSES:
            lines.append(f"  attempts: {self.attempts}")
        if self.notice:
            lines.append(f"  note: {self.notice}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """One line: the status badge, the exercise, the feedback; a border of its colour."""
        colour = STATUS_COLOURS.get(self.status, "var(--jp-ui-font-color2)")
        notice = f"<p role='alert'>{html.escape(self.notice)}</p>" if self.notice else ""
        attempts = (
            f" <small>(attempts: {self.attempts})</small>" if self.status in RECORD_STATUSES else ""
        )
        markup = (
            f"<div class='gwlab-exercise-result' style='border-left:4px solid {colour};"
            "padding:0.2em 0.6em;color:var(--jp-ui-font-color1)'>"
            f"<p style='margin:0'>{exercise_badge(self.status)} <strong>{html.escape(self.title)}"
            f"</strong> <code>{html.escape(self.exercise)}</code>: "
            f"{markdown_html(self.message)}{attempts}</p>{notice}</div>"
        )
        return ignore_mathjax(markup)


@dataclass(frozen=True)
class ExerciseRow:
    """One line of ``lab.exercises``."""

    id: str
    title: str
    status: str
    attempts: int
    hints: int = 0
    solution: bool = False


@dataclass(frozen=True)
class ExerciseTable:
    """A lesson's exercises with their status: ``lab.exercises``."""

    lesson: str
    rows: tuple[ExerciseRow, ...]

    @property
    def ids(self) -> list[str]:
        """The exercises' ids, in order."""
        return [row.id for row in self.rows]

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        if not self.rows:
            return f"Exercises of {self.lesson}: none"
        lines = [f"Exercises of {self.lesson}:"]
        lines += [
            f"  {SYMBOLS.get(r.status, '?')} {r.id}: {r.title} - {r.status} "
            f"({r.attempts} attempt{'s' if r.attempts != 1 else ''})"
            for r in self.rows
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td style='text-align:left'><code>{html.escape(r.id)}</code></td>"
            f"<td style='text-align:left'>{html.escape(r.title)}</td>"
            f"<td>{exercise_badge(r.status)}</td><td>{r.attempts}</td></tr>"
            for r in self.rows
        )
        return ignore_mathjax(
            f"<div class='gwlab-exercises'><p><strong>Exercises of "
            f"{html.escape(self.lesson)}</strong></p><table><thead><tr><th>id</th>"
            "<th>exercise</th><th>status</th><th>attempts</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
