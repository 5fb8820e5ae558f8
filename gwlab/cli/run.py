"""``gwlab run``: every lesson's steps and checks, headless, and the results table."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gwlab.cli.options import add_backend_options

NAME = "run"
#: Exit status when a step fails (as opposed to a usage error, 2).
EXIT_STEP_FAILED = 1
#: How much of a result's message the table shows.
MESSAGE_WIDTH = 72


def add_parser(commands: Any) -> None:
    """Register ``gwlab run``."""
    parser = commands.add_parser(
        NAME,
        help="run every lesson's steps and checks headless and print the results table",
        description=(
            "Run the lessons' steps and checks without JupyterLab against an emulated AWS, "
            "and print a table of the results. Exits 0 only if every step passed."
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
    results = []
    with tempfile.TemporaryDirectory(prefix="gwlab-run-") as scratch:
        session = new_session(args.backend, region=args.region, seed=args.seed)
        try:
            env = session.env
            print(f"gwlab run: {env.backend} backend, region {env.region}, seed {env.seed}\n")
            for lesson in lessons:
                lab = Lab(lesson.id, backend=args.backend, progress=Path(scratch) / "progress")
                for notice in lab.notices:
                    print(f"note: {notice}")
                results += [lab.run(step.id, **(step.solution or {})) for step in lab.lesson.steps]
        finally:
            close_session()
    rows = [
        (r.lesson, r.step, r.status, r.checks_passed, _shorten(r.error_code or r.message))
        for r in results
    ]
    print(format_table(("lesson", "step", "status", "checks", "message"), rows))
    passed = sum(r.passed for r in results)
    print(f"\n{passed} of {len(results)} step(s) passed.")
    return 0 if passed == len(results) else EXIT_STEP_FAILED


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
