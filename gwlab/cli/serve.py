"""``gwlab serve``: the embedded AWS over HTTP, its gateway and its DNS, for other processes.

One process serves three things on 127.0.0.1, all reading the same emulated AWS: moto
(for the AWS CLI and boto3), the local gateway's HTTP face (for ``curl``) and the lab's
DNS server (for ``dig``). The gateway is the environment's own (``env.gateway``); the DNS
server is the one ``env.dns`` would start, on the port asked for.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, TypeVar

from gwlab.backends.sandbox import sandbox_variables
from gwlab.cli.options import add_backend_options, port_number
from gwlab.env import LabEnv, start
from gwlab.errors import GwlabError, PortInUseError, PortNotAllowedError

NAME = "serve"
#: The custom domain name the lessons use, for the printed examples.
EXAMPLE_DOMAIN = "api.example.com"
#: The path the lessons request, for the printed examples.
EXAMPLE_PATH = "/items"

_Opened = TypeVar("_Opened")


def add_parser(commands: Any) -> None:
    """Register ``gwlab serve``."""
    parser = commands.add_parser(
        NAME,
        help="serve the embedded AWS, its gateway and its DNS on 127.0.0.1 until Ctrl-C",
        description=(
            "Serve the embedded AWS (moto plus gwlab's additions) for the AWS CLI, the local "
            "gateway for curl and the lab's DNS server for dig, on 127.0.0.1 until Ctrl-C, "
            "and print the lines to paste into another shell."
        ),
    )
    add_backend_options(parser)
    parser.add_argument(
        "--port",
        type=port_number,
        default=0,
        help="TCP port of the emulated AWS (default 0: a free port)",
    )
    parser.add_argument(
        "--gateway-port",
        type=port_number,
        default=0,
        help="TCP port of the local gateway (default 0: a free port)",
    )
    parser.add_argument(
        "--dns-port",
        type=port_number,
        default=0,
        help="UDP and TCP port of the DNS server (default 0: a free port)",
    )
    parser.set_defaults(handler=handle)


class ServePortError(GwlabError):
    """A port given for the gateway or the DNS server is taken or privileged."""


def _listening(option: str, port: int, open_server: Callable[[], _Opened]) -> _Opened:
    """``open_server()``; a port error names ``option``, the one the learner can change."""
    try:
        return open_server()
    except (PortInUseError, PortNotAllowedError) as error:
        text = str(error).replace("--port 0", f"{option} 0")
        raise ServePortError(f"{option} {port}: {text}") from None


def instructions(env: LabEnv, gateway_url: str, dns_address: tuple[str, int]) -> str:
    """What ``gwlab serve`` prints once all three listen."""
    url = env.endpoint_url
    assert url is not None
    dns_host, dns_port = dns_address
    exports = "\n".join(
        f"  export {name}={value}"
        for name, value in sandbox_variables(env.region, url).items()
        if name
        in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
    )
    execute_api = f"<api-id>.execute-api.{env.region}.amazonaws.com"
    return (
        f"gwlab serve: the embedded AWS is listening on {url} "
        f"(region {env.region}, seed {env.seed}), its local gateway on {gateway_url} and its "
        f"DNS server on {dns_host} port {dns_port}. Press Ctrl-C to stop all three.\n"
        "\n"
        "Point the AWS CLI and boto3 in another shell at it (fake credentials, "
        "nothing reaches AWS):\n"
        f"{exports}\n"
        "\n"
        "or give the endpoint to each command:\n"
        f"  aws apigatewayv2 get-apis --endpoint-url {url} --region {env.region}\n"
        "\n"
        "Send requests to your APIs through the local gateway: the Host header picks the API "
        "or custom domain name, as DNS would on the internet (<api-id>: the ApiId that "
        "create-api printed):\n"
        f"  curl -i -H 'Host: {execute_api}' {gateway_url}{EXAMPLE_PATH}\n"
        f"  curl -i -H 'Host: {EXAMPLE_DOMAIN}' {gateway_url}{EXAMPLE_PATH}\n"
        "\n"
        "Ask the DNS server for your Route 53 records (UDP or TCP; changes answer once INSYNC):\n"
        f"  dig @{dns_host} -p {dns_port} {EXAMPLE_DOMAIN} A\n"
    )


@contextlib.contextmanager
def serving(args: argparse.Namespace) -> Iterator[str]:
    """Start the emulated AWS, the gateway's HTTP face and the DNS server; yield the banner.

    They stop in reverse order on exit (DNS, gateway, then the environment, which closes
    the gateway's function workers and moto), each joining its threads.
    """
    from gwlab.dns import DnsServer
    from gwlab.gateway.server import serve

    with contextlib.ExitStack() as stack:
        env = stack.enter_context(
            start("server", region=args.region, seed=args.seed, port=args.port)
        )
        gateway = env.gateway
        http = _listening(
            "--gateway-port", args.gateway_port, lambda: serve(gateway, args.gateway_port)
        )
        stack.callback(http.stop)
        dns = stack.enter_context(
            _listening("--dns-port", args.dns_port, lambda: DnsServer(args.dns_port))
        )
        yield instructions(env, http.url, dns.address)


def handle(args: argparse.Namespace, extra: list[str]) -> int:
    """Serve until SIGINT (Ctrl-C) or SIGTERM, then stop all three cleanly."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with serving(args) as banner:
            print(banner, flush=True)
            while not stop.wait(0.2):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("gwlab serve: stopped.", file=sys.stderr, flush=True)
    return 0
