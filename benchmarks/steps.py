"""The course as the benchmarks click through it: every lesson's steps, solved.

Shared by the click benchmark (in this process) and the memory benchmark (in a
Jupyter kernel, which imports this module).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gwlab.lab import Lab, Lesson, Step

#: Parameters the benchmarks give a step besides an exercise's solution. The step that
#: shows Route 53 propagation waits 2 s on purpose (that wait is the lesson, not the
#: lab's cost), so it is clicked with no delay.
OVERRIDES: dict[str, dict[str, Any]] = {"06-route53/watch_propagation": {"seconds": 0}}

#: How many lessons the quick setting runs.
QUICK_LESSONS = 2


def lessons(quick: bool) -> tuple[Lesson, ...]:
    """The lessons to click through: all of them, or the first two in the quick setting."""
    from gwlab.lessons import LESSONS

    return LESSONS[:QUICK_LESSONS] if quick else LESSONS


def params(lesson: Lesson, step: Step) -> dict[str, Any]:
    """What a learner who solves the step enters (the defaults, or the exercise's solution)."""
    return dict(OVERRIDES.get(lesson.key(step.id), {}))


def clicks(
    backend: str,
    progress: Path,
    quick: bool,
    *,
    before_lesson: Callable[[], None] = lambda: None,
) -> Iterator[tuple[Lab, Lesson, Step]]:
    """A fresh session on ``backend``, then each lesson's ``Lab`` and steps in course order.

    The caller clicks (``lab.run``, ``lab.verify``); the session is closed at the end.
    ``before_lesson`` runs before each ``Lab`` is made (it may rebuild nothing: earlier
    lessons have passed in this session).
    """
    from gwlab.lab import Lab
    from gwlab.lab.session import close_session, new_session

    new_session(backend)
    try:
        for lesson in lessons(quick):
            before_lesson()
            lab = Lab(lesson.id, backend=backend, progress=progress)
            if lab.notices:
                raise RuntimeError(f"{lesson.id}: {'; '.join(lab.notices)}")
            for step in lesson.steps:
                yield lab, lesson, step
    finally:
        close_session()


def run_every_lesson(progress: str, quick: bool = False) -> int:
    """Run every lesson's steps as a learner would in one kernel; the number that passed."""
    passed = 0
    for lab, lesson, step in clicks("embedded", Path(progress), quick):
        passed += lab.run(step.id, **params(lesson, step)).passed
    return passed
