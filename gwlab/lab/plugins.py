"""What the engine needs of the course and of the widgets, which it never imports.

:mod:`gwlab.lessons` and :mod:`gwlab.ui` import the engine; the engine reaches
them through :mod:`gwlab.wiring`, where ``gwlab/__init__.py`` plugs them in. The
protocols below are the whole of what it uses, so mypy checks that both fit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from gwlab import wiring
from gwlab.lab.exercise import Exercise
from gwlab.lab.lesson import Lesson
from gwlab.lab.step import Step

if TYPE_CHECKING:
    from gwlab.env import LabEnv
    from gwlab.lab.lab import Lab


class Course(Protocol):
    """The lessons, in order (:mod:`gwlab.lessons`)."""

    @property
    def LESSONS(self) -> tuple[Lesson, ...]:
        """Every lesson, in course order."""
        ...

    def lesson_by_id(self, lesson_id: str) -> Lesson:
        """The lesson ``lesson_id`` (``UnknownLessonError`` if there is none)."""
        ...

    def lessons_before(self, lesson_id: str) -> tuple[Lesson, ...]:
        """The lessons that come before ``lesson_id``, in order."""
        ...

    def course_order(self) -> list[str]:
        """Every ``lesson/step`` key of the course, in order."""
        ...


class Views(Protocol):
    """The widgets (:mod:`gwlab.ui`), each module imported on first use."""

    def panel_widget(self, lab: Lab) -> Any:
        """The lesson panel of ``lab``."""
        ...

    def card_widget(self, lab: Lab, step: Step) -> Any:
        """The card of ``step``."""
        ...

    def exercise_card_widget(self, lab: Lab, exercise: Exercise) -> Any:
        """The card of ``exercise``."""
        ...

    def tracer_widget(self, env: Callable[[], LabEnv], url: str) -> Any:
        """A request tracer over the environment ``env()`` returns."""
        ...

    def dns_lookup_widget(self, env: Callable[[], LabEnv], name: str) -> Any:
        """A DNS lookup over the environment ``env()`` returns."""
        ...


def course() -> Course:
    """The course plugged in (``gwlab.lessons``)."""
    return cast("Course", wiring.provided("course"))


def views() -> Views:
    """The widgets plugged in (``gwlab.ui``)."""
    return cast("Views", wiring.provided("views"))
