"""``gwlab run``: the lab without a browser, printing what it did."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from gwlab.cli.options import add_backend_options
from gwlab.env import start
from gwlab.smoke import smoke_sequence

NAME = "run"
#: Exit status when a step fails (as opposed to a usage error, 2).
EXIT_STEP_FAILED = 1


def add_parser(commands: Any) -> None:
    """Register ``gwlab run``."""
    parser = commands.add_parser(
        NAME,
        help="run the lab headless and print a table of what each step did",
        description="Run the lab's steps without JupyterLab and print what each one did.",
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
    """Run the sequence; print one row per step, and the failing step's AWS error."""
    rows: list[tuple[str, str, str]] = []
    status = 0
    with start(args.backend, region=args.region, seed=args.seed) as env:
        print(f"gwlab run: {env.backend} backend, region {env.region}, seed {env.seed}\n")
        try:
            for step in smoke_sequence(env):
                rows.append((str(len(rows) + 1), step.title, step.result))
        except (ClientError, BotoCoreError) as error:
            rows.append((str(len(rows) + 1), "FAILED", _one_line(error)))
            status = EXIT_STEP_FAILED
    print(format_table(("#", "step", "result"), rows))
    passed = sum(1 for row in rows if row[1] != "FAILED")
    print(f"\n{passed} of {len(rows)} step(s) passed.")
    return status


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def format_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """A plain-text table with left-aligned columns."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]
    return "\n".join(lines)
