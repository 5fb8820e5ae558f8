"""Hints and solutions a learner can reveal — and an instructor can lock.

Revealing is recorded in the progress file, so an instructor sees who needed
a hint. Solutions are locked when ``$GWLAB_SOLUTIONS`` is ``locked`` or when
the working directory holds :data:`LOCK_FILE` (what ``gwlab student-copy
--solutions lock`` leaves in a student copy).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

from gwlab.lab.exercise_results import markdown_html
from gwlab.lab.step import Step

#: A file whose presence in the working directory locks the solutions.
LOCK_FILE = ".gwlab-solutions-locked"
LOCK_ENV_VAR = "GWLAB_SOLUTIONS"
LOCKED_TEXT = "Solutions are locked in this copy of the lab: ask your instructor."


def solutions_locked(folder: Path | None = None) -> bool:
    """Whether solutions are locked here."""
    if os.environ.get(LOCK_ENV_VAR, "").strip().lower() == "locked":
        return True
    return ((folder or Path.cwd()) / LOCK_FILE).exists()


@dataclass(frozen=True)
class Reveal:
    """A hint or a solution, shown as an admonition."""

    kind: str  # "hint" or "solution"
    step: str
    text: str
    locked: bool = False
    #: One line when revealing it could not be recorded (the progress file not writable).
    notice: str = ""
    #: Which hint this is, for an exercise's escalating hints (``"1 of 2"``), else "".
    level: str = ""
    #: Code that goes with the text: ``(label, code)`` pairs (an exercise's solution in
    #: AWS CLI and in boto3 form).
    code: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:
        level = f" {self.level}" if self.level else ""
        lines = [f"{self.kind.capitalize()}{level} for {self.step}: {self.text}"]
        for label, code in self.code:
            lines.append(f"  {label}:")
            lines += [f"    {line}" for line in code.splitlines()]
        if self.notice:
            lines.append(f"  note: {self.notice}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = "var(--jp-warn-color1)" if self.kind == "hint" else "var(--jp-info-color1)"
        level = f" {html.escape(self.level)}" if self.level else ""
        code = "".join(
            f"<p style='margin:0.3em 0 0'>{html.escape(label)}:</p>"
            f"<pre style='white-space:pre-wrap;margin:0'>{html.escape(text)}</pre>"
            for label, text in self.code
        )
        dollar = "$" in self.text or any("$" in text for _, text in self.code)
        classes = f"gwlab-{self.kind}" + (" mathjax_ignore" if dollar else "")
        return (
            f"<div class='{classes}' role='note' style='border-left:4px solid {colour};"
            "background:var(--jp-layout-color2);padding:0.3em 0.6em'>"
            f"<strong>{self.kind.capitalize()}{level}:</strong> {markdown_html(self.text)}{code}"
            + (f"<p role='alert'>{html.escape(self.notice)}</p>" if self.notice else "")
            + "</div>"
        )


def hint_text(step: Step) -> str:
    """The step's hint, or what to do when it has none."""
    return step.hint or f"Read the explanation of “{step.title}”, then Run it and read the checks."


def solution_text(step: Step) -> str:
    """What ``lab.solution`` says of a step: steps have no solution (exercises do)."""
    return f"“{step.title}” is not an exercise: Run it as it is."
