"""``gwlab serve``: the embedded AWS over HTTP, for the AWS CLI and other processes."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import Any

from gwlab.backends.sandbox import sandbox_variables
from gwlab.cli.options import add_backend_options, port_number
from gwlab.env import LabEnv, start

NAME = "serve"


def add_parser(commands: Any) -> None:
    """Register ``gwlab serve``."""
    parser = commands.add_parser(
        NAME,
        help="serve the embedded AWS on 127.0.0.1 for the AWS CLI, curl and other processes",
        description=(
            "Serve the embedded AWS (moto plus gwlab's additions) on 127.0.0.1 until "
            "Ctrl-C, and print the lines that point the AWS CLI and boto3 at it."
        ),
    )
    add_backend_options(parser)
    parser.add_argument(
        "--port", type=port_number, default=0, help="TCP port (default 0: a free port)"
    )
    parser.set_defaults(handler=handle)


def instructions(env: LabEnv) -> str:
    """What ``gwlab serve`` prints once it listens."""
    url = env.endpoint_url
    assert url is not None
    exports = "\n".join(
        f"  export {name}={value}"
        for name, value in sandbox_variables(env.region, url).items()
        if name
        in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
    )
    return (
        f"gwlab serve: the embedded AWS is listening on {url} "
        f"(region {env.region}, seed {env.seed}). Press Ctrl-C to stop it.\n"
        "\n"
        "Point the AWS CLI and boto3 in another shell at it (fake credentials, "
        "nothing reaches AWS):\n"
        f"{exports}\n"
        "\n"
        "or give the endpoint to each command:\n"
        f"  aws apigatewayv2 get-apis --endpoint-url {url} --region {env.region}\n"
    )


def handle(args: argparse.Namespace, extra: list[str]) -> int:
    """Serve until SIGINT (Ctrl-C) or SIGTERM, then stop cleanly."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with start("server", region=args.region, seed=args.seed, port=args.port) as env:
            print(instructions(env), flush=True)
            while not stop.wait(0.2):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("gwlab serve: stopped.", file=sys.stderr, flush=True)
    return 0
