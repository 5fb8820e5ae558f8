"""The local gateway: one request in-process against one bare moto call; throughput over HTTP.

The API is quick-created (``$default`` stage, ``$default`` route, a Lambda
proxy integration) on a small Python function, and ``GET /items`` on its
execute-api host goes through routing, the event, the function and back.

- ``gateway``: one ``env.gateway.request`` against one ``get_api`` call made with
  a plain ``boto3.client`` on the same embedded AWS, interleaved call by call.
  Requests per second in-process are the number of requests over the time
  spent in them.
- ``gateway_http``: several client processes (``benchmarks.httpload``) send
  requests back to back for a few seconds to the gateway's loopback HTTP
  server, against the same clients on the same kind of server
  (:class:`gwlab.loopback.LoopbackServer`) answering with a constant — the
  floor of HTTP on this machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks.measure import ROOT, Figure, Settings, Side, Target, alternate, scaled, timed

NAME = "gateway"
RATIO_LIMIT = 2.0
#: Sanity: requests per second in-process and over HTTP.
IN_PROCESS_RPS = 2000.0
HTTP_RPS = 500.0
#: Concurrent HTTP clients, and how long each round sends.
CLIENTS = 4

HANDLER = """
import json

def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"path": event["rawPath"]})}
"""


def _constant_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The HTTP floor: a WSGI application that answers a constant at once."""
    body = b'{"path": "/items"}'
    headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
    start_response("200 OK", headers)
    return [body]


def http_rate(url: str, host: str, seconds: float) -> float:
    """Requests per second :data:`CLIENTS` client processes get from ``url`` in ``seconds``."""
    start = time.time() + 1.0  # time for the clients to start
    command = [sys.executable, "-m", "benchmarks.httpload", url, host, f"{start}", f"{seconds}"]
    clients = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(CLIENTS)
    ]
    counts: list[dict[str, float]] = [
        json.loads(client.communicate(timeout=seconds + 60)[0]) for client in clients
    ]
    if any(count["other"] for count in counts):
        raise RuntimeError(f"the HTTP clients got answers other than 200: {counts}")
    # Each client's own rate over the time it really ran (never zero: it sends at least one).
    return sum(count["ok"] / count["seconds"] for count in counts)


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """Both gateway figures on one embedded environment."""
    import boto3

    import gwlab
    from gwlab.functions import deploy_function
    from gwlab.loopback import LoopbackServer

    with gwlab.start() as env:
        function = deploy_function(env, "bench-items", HANDLER)
        api = env.client("apigatewayv2").create_api(
            Name="bench", ProtocolType="HTTP", Target=function["FunctionArn"]
        )
        host = f"{api['ApiId']}.execute-api.{env.region}.amazonaws.com"
        url = f"https://{host}/items"
        bare = boto3.client("apigatewayv2", region_name=env.region)
        if env.gateway.request("GET", url).status != 200:
            raise RuntimeError(f"GET {url} did not answer 200")

        request_s, get_api_s = alternate(
            lambda: timed(lambda: env.gateway.request("GET", url)),
            lambda: timed(lambda: bare.get_api(ApiId=api["ApiId"])),
            settings.pick(3000, 300),
        )
        in_process = Figure.compare(
            "gateway",
            "ms",
            Side.of("env.gateway.request GET /items (function run)", scaled(request_s, 1000)),
            Side.of("one bare boto3 get_api on moto", scaled(get_api_s, 1000)),
            limit=RATIO_LIMIT,
        )
        rate = len(request_s) / sum(request_s)
        in_process.targets.append(
            Target(f"≥ {IN_PROCESS_RPS:,.0f} req/s in-process", rate, IN_PROCESS_RPS, False)
        )
        in_process.details = {"requests_per_second": rate}

        seconds = 0.5 if settings.quick else 2.0
        floor = LoopbackServer(_constant_app, name="bench-constant")
        try:
            gateway_rps, floor_rps = alternate(
                lambda: http_rate(f"{env.gateway.url}/items", host, seconds),
                lambda: http_rate(f"{floor.url}/items", host, seconds),
                settings.pick(3, 1),
            )
        finally:
            floor.stop()
        over_http = Figure.compare(
            "gateway_http",
            "req/s",
            Side.of(f"{CLIENTS} HTTP clients on env.gateway.url, GET /items", gateway_rps),
            Side.of(f"{CLIENTS} HTTP clients on a loopback server answering a constant", floor_rps),
            higher_is_better=True,
        )
        over_http.targets.append(
            Target(
                f"≥ {HTTP_RPS:,.0f} req/s",
                over_http.subject.stats.median,
                HTTP_RPS,
                at_most=False,
            )
        )
        over_http.details = {"clients": CLIENTS, "seconds_per_round": seconds}
    return [in_process, over_http]
