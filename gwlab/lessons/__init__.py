"""The course: one lesson per notebook, in order.

Each module ``lNN_*.py`` defines ``LESSON``; this package lists them, finds
them by id, and tells which lessons come before one (what ``gwlab.Lab``
rebuilds in a fresh kernel).
"""

from __future__ import annotations

from gwlab.errors import GwlabError
from gwlab.lab import Lesson
from gwlab.lessons import (
    l00_welcome,
    l01_default_stage,
    l02_stages,
    l03_stage_variables,
    l04_custom_domain,
    l05_api_mappings,
    l06_route53,
    l07_cors,
    l08_troubleshooting,
    l09_review,
)

#: Every lesson, in course order.
LESSONS: tuple[Lesson, ...] = (
    l00_welcome.LESSON,
    l01_default_stage.LESSON,
    l02_stages.LESSON,
    l03_stage_variables.LESSON,
    l04_custom_domain.LESSON,
    l05_api_mappings.LESSON,
    l06_route53.LESSON,
    l07_cors.LESSON,
    l08_troubleshooting.LESSON,
    l09_review.LESSON,
)


class UnknownLessonError(GwlabError, KeyError):
    """A lesson id that is not in the course."""

    def __init__(self, lesson_id: str) -> None:
        super().__init__(
            f"there is no lesson {lesson_id!r}; the lessons are: "
            + ", ".join(lesson.id for lesson in LESSONS)
        )

    def __str__(self) -> str:
        return str(self.args[0])


def lesson_by_id(lesson_id: str) -> Lesson:
    """The lesson ``lesson_id`` (its number alone, ``"3"`` or ``"03"``, also works)."""
    for lesson in LESSONS:
        if lesson.id == lesson_id or lesson.id.split("-", 1)[0] == lesson_id.zfill(2):
            return lesson
    raise UnknownLessonError(lesson_id)


def lessons_before(lesson_id: str) -> tuple[Lesson, ...]:
    """The lessons that come before ``lesson_id``, in order."""
    index = LESSONS.index(lesson_by_id(lesson_id))
    return LESSONS[:index]


def course_order() -> list[str]:
    """Every ``lesson/step`` key of the course, in order."""
    return [lesson.key(step.id) for lesson in LESSONS for step in lesson.steps]


__all__ = ["LESSONS", "UnknownLessonError", "course_order", "lesson_by_id", "lessons_before"]
