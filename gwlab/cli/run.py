"""``gwlab run``: every lesson's steps and exercises, headless, and the results table.

Each exercise is solved the way a learner pastes its reference solution into a
``%%aws`` cell: its AWS CLI commands run through the real AWS CLI in this process
(:func:`gwlab.awscli_runner.run_cli`, what ``%aws`` runs), then ``lab.check`` says
whether it passed.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwlab.cli.options import add_backend_options

if TYPE_CHECKING:
    from gwlab.lab import Lab

NAME = "run"
#: Exit status when a step fails (as opposed to a usage error, 2).
EXIT_STEP_FAILED = 1
#: How much of a result's message the table shows.
MESSAGE_WIDTH = 72


def add_parser(commands: Any) -> None:
    """Register ``gwlab run``."""
    parser = commands.add_parser(
        NAME,
        help="run every lesson's steps and exercises headless and print the results table",
        description=(
            "Run the lessons' steps and checks without JupyterLab against an emulated AWS, "
            "solve each exercise with its reference AWS CLI solution and check it, and print "
            "a table of the results. Exits 0 only if every step and exercise passed."
        ),
    )
    parser.add_argument(
        "--lesson",
        help="only this lesson (e.g. 05 or 05-api-mappings); earlier lessons are rebuilt silently",
    )
    parser.add_argument(
        "--backend",
        choices=("embedded", "server"),
        default="embedded",
        help="where AWS lives (default embedded)",
    )
    add_backend_options(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, extra: list[str]) -> int:
    """Run, print one row per step, and say how many passed."""
    from gwlab.lab import Lab
    from gwlab.lab.session import close_session, new_session
    from gwlab.lessons import LESSONS, lesson_by_id

    lessons = [lesson_by_id(args.lesson)] if args.lesson else list(LESSONS)
    rows: list[tuple[str, ...]] = []
    passed = 0
    with tempfile.TemporaryDirectory(prefix="gwlab-run-") as scratch:
        session = new_session(args.backend, region=args.region, seed=args.seed)
        try:
            env = session.env
            print(f"gwlab run: {env.backend} backend, region {env.region}, seed {env.seed}\n")
            for lesson in lessons:
                lab = Lab(lesson.id, backend=args.backend, progress=Path(scratch) / "progress")
                for notice in lab.notices:
                    print(f"note: {notice}")
                for step in lab.lesson.steps:
                    result = lab.run(step.id)
                    rows.append(
                        (
                            result.lesson,
                            result.step,
                            result.status,
                            result.checks_passed,
                            _shorten(result.error_code or result.message),
                        )
                    )
                    passed += result.passed
                for exercise in lab.lesson.exercises:
                    status, message = solve(lab, exercise.id)
                    rows.append((lesson.id, exercise.id, status, "exercise", _shorten(message)))
                    passed += status == "passed"
        finally:
            close_session()
    print(format_table(("lesson", "step", "status", "checks", "message"), rows))
    print(f"\n{passed} of {len(rows)} step(s) and exercise(s) passed.")
    return 0 if passed == len(rows) else EXIT_STEP_FAILED


def solve(lab: Lab, exercise_id: str) -> tuple[str, str]:
    """Run ``exercise_id``'s reference CLI solution in ``lab``'s env, then check it.

    ``(status, message)``: the check's, or ``failed`` with the first command's error.
    """
    from gwlab.lab.exercise import cli_solution

    exercise = lab.lesson.exercise(exercise_id)
    for command in cli_solution(exercise, lab.context()).splitlines():
        error = _run_command(lab, command)
        if error:
            return "failed", f"{command.split(' --')[0]}: {error}"
    result = lab.check(exercise_id)
    return result.status, result.message


def _run_command(lab: Lab, command: str) -> str:
    """Run one AWS CLI command against ``lab``'s env, as ``%aws`` does; "" or the error line."""
    from gwlab.awscli_runner import run_cli

    outcome = run_cli(command, env=lab.env, namespace={})
    return "" if outcome.ok else outcome.error


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MESSAGE_WIDTH else flat[: MESSAGE_WIDTH - 1] + "…"


def format_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """A plain-text table with left-aligned columns."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]
    return "\n".join(lines)
