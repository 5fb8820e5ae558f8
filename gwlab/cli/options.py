"""Command-line options several ``gwlab`` commands share."""

from __future__ import annotations

import argparse

from gwlab.env import DEFAULT_REGION, DEFAULT_SEED


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """``--region`` and ``--seed``."""
    parser.add_argument(
        "--region", default=DEFAULT_REGION, help=f"AWS region (default {DEFAULT_REGION})"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"seed for generated IDs, so they repeat from run to run (default {DEFAULT_SEED})",
    )


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 meaning any free one."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 0 to 65535")
    return port
