"""The ``gwlab`` command: ``serve``, ``run``, ``lab``, ``progress``, ``student-copy``, ``cleanup``.

Every error is printed as one line on stderr with exit status 2; only a bug
shows a traceback, and only with ``GWLAB_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from gwlab._version import __version__
from gwlab.cli import cleanup, lab, progress, run, serve, student_copy
from gwlab.errors import GwlabError

#: Exit status for a usage or environment error.
EXIT_ERROR = 2

_COMMANDS = (serve, run, lab, progress, student_copy, cleanup)


class OneLineArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not usage plus a line."""

    def error(self, message: str) -> NoReturn:
        """Print ``message`` on one line and exit with status 2."""
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> OneLineArgumentParser:
    """The whole ``gwlab`` command line."""
    parser = OneLineArgumentParser(
        prog="gwlab",
        description="A hands-on lab for AWS API Gateway HTTP APIs, offline on an embedded AWS.",
    )
    parser.add_argument("--version", action="version", version=f"gwlab {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``gwlab`` command line and return its exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        parser.error("choose a command: " + ", ".join(c.NAME for c in _COMMANDS))
    if extra and not getattr(args, "accepts_extra", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        status: int = args.handler(args, extra)
    except GwlabError as error:
        return _fail(args.command, str(error))
    except Exception as error:  # one line for the learner; details on request
        if os.environ.get("GWLAB_DEBUG") == "1":
            raise
        return _fail(
            args.command,
            f"{type(error).__name__}: {error} (set GWLAB_DEBUG=1 to see the traceback)",
        )
    return status


def _fail(command: str, message: str) -> int:
    print(f"gwlab {command}: {message}", file=sys.stderr)
    return EXIT_ERROR


def entry_point() -> NoReturn:
    """The console script: ``sys.exit(main())``."""
    sys.exit(main())
