"""The gateway's limits: close with a request in flight, framing, payload cap, history size.

Every socket here is on loopback, every wait has a generous bound that only
guards against a hang, and every test closes what it opened.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import gwlab
from gwlab.functions import deploy_function
from gwlab.gateway.gateway import HISTORY_BODY_LIMIT, HISTORY_LENGTH
from gwlab.gateway.messages import PAYLOAD_LIMIT
from gwlab.gateway.server import serve

#: Only a guard against a hang: nothing here should take more than a few seconds.
HANG_GUARD = 30.0

ECHO_SIZE = """
import json

def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"size": len(event.get("body", ""))})}
"""

BIG = """
def handler(event, context):
    return {"statusCode": 200, "body": "r" * 200_000}
"""


def _sleepy(marker: Path) -> str:
    return (
        "import time\n"
        "def handler(event, context):\n"
        f"    open({str(marker)!r}, 'w').close()\n"
        "    time.sleep(1)\n"
        "    return {'statusCode': 200, 'body': 'slept'}\n"
    )


@dataclass
class Lab:
    env: gwlab.LabEnv
    host: str  # the quick-created API's execute-api host

    def url(self, path: str = "/") -> str:
        return f"https://{self.host}{path}"


def _quick_api(env: gwlab.LabEnv, name: str, source: str) -> str:
    arn = deploy_function(env, name, source)["FunctionArn"]
    apigw = env.client("apigatewayv2")
    api_id = apigw.create_api(Name=name, ProtocolType="HTTP", Target=arn)["ApiId"]
    return f"{api_id}.execute-api.{env.region}.amazonaws.com"


@pytest.fixture
def lab() -> Iterator[Lab]:
    with gwlab.start() as env:
        yield Lab(env, _quick_api(env, "size", ECHO_SIZE))


def _exchange(port: int, data: bytes, *, timeout: float = HANG_GUARD) -> bytes:
    """Send ``data`` on a new connection; return everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def _status_and_body(answer: bytes) -> tuple[int, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def _port(lab: Lab) -> int:
    return int(lab.env.gateway.url.rsplit(":", 1)[1])


# --- item 3: closing with a request in flight ------------------------------------------------


@pytest.mark.parametrize("how", ["env.close()", "gwlab.start() again"])
def test_close_with_a_request_in_flight_returns_and_leaves_nothing_running(
    tmp_path: Path, how: str
) -> None:
    """Re-running ``gwlab.start()`` (or ``lab.reset()``) closes the open env the same way."""
    threads_before = set(threading.enumerate())
    marker = tmp_path / "started"
    env = gwlab.start()
    successors: list[gwlab.LabEnv] = []

    def close() -> None:
        if how == "env.close()":
            env.close()
        else:
            successors.append(gwlab.start())

    try:
        host = _quick_api(env, "sleepy", _sleepy(marker))
        port = int(env.gateway.url.rsplit(":", 1)[1])
        answers: list[bytes | BaseException] = []

        def client() -> None:
            try:
                request = f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
                answers.append(_exchange(port, request))
            except BaseException as error:  # kept for the assertion below
                answers.append(error)

        requester = threading.Thread(target=client, name="test-client")
        requester.start()
        deadline = time.monotonic() + HANG_GUARD
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), "the function never started"

        closer = threading.Thread(target=close, name="test-closer")
        closer.start()  # the function is still sleeping
        closer.join(HANG_GUARD)
        assert not closer.is_alive(), f"{how} hung with a request in flight"
        requester.join(HANG_GUARD)
        assert not requester.is_alive()
    finally:
        env.close()
        for successor in successors:
            successor.close()
    # the request finished (or got a clean error), never a dropped connection
    (answer,) = answers
    assert isinstance(answer, bytes), answer
    status, body = _status_and_body(answer)
    assert (status, body) in ((200, b"slept"), (500, b'{"message":"Internal Server Error"}'))
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert set(threading.enumerate()) == threads_before


# --- item 5: framing and timeouts ---------------------------------------------------------------


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "5, 6"])
def test_a_content_length_that_is_not_a_number_is_a_400(
    lab: Lab, length: str, capfd: pytest.CaptureFixture[str]
) -> None:
    request = f"POST / HTTP/1.1\r\nHost: {lab.host}\r\nContent-Length: {length}\r\n\r\nabc"
    answer = _exchange(_port(lab), request.encode())
    assert _status_and_body(answer) == (400, b'{"message":"Bad Request"}')
    assert lab.env.gateway.history == []  # refused before the gateway saw it
    assert "Traceback" not in capfd.readouterr().err


def test_the_moto_server_refuses_a_bad_content_length_too(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with gwlab.start("server") as env:
        port = int(str(env.endpoint_url).rsplit(":", 1)[1])
        for length in ("abc", "-1"):
            request = (
                f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {length}\r\n\r\n"
            )
            answer = _exchange(port, request.encode())
            assert _status_and_body(answer) == (400, b'{"message":"Bad Request"}')
        assert env.client("apigatewayv2").get_apis()["Items"] == []
    assert "Traceback" not in capfd.readouterr().err


def test_a_stalled_client_is_dropped_and_others_are_answered(
    lab: Lab, capfd: pytest.CaptureFixture[str]
) -> None:
    server = serve(lab.env.gateway, timeout=0.5)
    try:
        stalled = socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD)
        half = socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD)
        with stalled, half:
            # a body shorter than announced, and half the headers
            stalled.sendall(
                f"POST / HTTP/1.1\r\nHost: {lab.host}\r\nContent-Length: 100\r\n\r\nabc".encode()
            )
            half.sendall(f"GET / HTTP/1.1\r\nHost: {lab.host}\r\n".encode())
            answer = _exchange(server.port, f"GET / HTTP/1.1\r\nHost: {lab.host}\r\n\r\n".encode())
            assert _status_and_body(answer) == (200, b'{"size": 0}')
            assert stalled.recv(4096) == b""  # dropped by the server, not by our guard
            assert half.recv(4096) == b""
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err


# --- item 5: the 10 MB payload limit --------------------------------------------------------------


def _refused_hop(response: Any) -> str:
    (hop,) = [hop for hop in response.trace.hops if hop.stage == "request"]
    assert not hop.ok
    return str(hop.summary)


def test_a_body_over_10_mb_is_refused_unread_over_http(lab: Lab) -> None:
    """Only the headers are sent: the 413 arrives without the body being read."""
    request = f"POST / HTTP/1.1\r\nHost: {lab.host}\r\nContent-Length: {PAYLOAD_LIMIT + 1}\r\n\r\n"
    answer = _exchange(_port(lab), request.encode())
    assert _status_and_body(answer) == (413, b'{"message":"Request Entity Too Large"}')
    (response,) = lab.env.gateway.history
    assert response.status == 413 and response.event is None  # no function ran
    assert _refused_hop(response) == (
        f"body of {PAYLOAD_LIMIT + 1} bytes is over HTTP APIs' 10 MB payload limit "
        f"({PAYLOAD_LIMIT} bytes): refused before routing, not read"
    )


def test_a_chunked_body_over_10_mb_is_refused(lab: Lab) -> None:
    head = f"POST / HTTP/1.1\r\nHost: {lab.host}\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"x" * (1 << 20)
    body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 11 + b"0\r\n\r\n"
    answer = _exchange(_port(lab), head.encode() + body)
    assert _status_and_body(answer) == (413, b'{"message":"Request Entity Too Large"}')
    assert "body of more than 10485760 bytes" in _refused_hop(lab.env.gateway.history[-1])
    # a chunked body under the limit arrives whole
    small = b"5\r\nhello\r\n0\r\n\r\n"
    typed = head.replace("\r\n\r\n", "\r\nContent-Type: text/plain\r\n\r\n")
    answer = _exchange(_port(lab), typed.encode() + small)
    assert _status_and_body(answer) == (200, b'{"size": 5}')


def test_a_body_over_10_mb_is_refused_in_process(lab: Lab) -> None:
    gateway = lab.env.gateway
    refused = gateway.request("POST", lab.url("/"), body=b"x" * (PAYLOAD_LIMIT + 1))
    assert refused.status == 413
    assert refused.json() == {"message": "Request Entity Too Large"}
    assert _refused_hop(refused).endswith(
        f"is over HTTP APIs' 10 MB payload limit ({PAYLOAD_LIMIT} bytes): refused before routing"
    )
    accepted = gateway.request(
        "POST", lab.url("/"), {"content-type": "text/plain"}, b"x" * PAYLOAD_LIMIT
    )
    assert accepted.status == 200
    assert accepted.json() == {"size": PAYLOAD_LIMIT}


# --- item 5: what the history keeps -------------------------------------------------------------


def test_history_keeps_bodies_shortened_and_the_caller_gets_them_whole(lab: Lab) -> None:
    gateway = lab.env.gateway
    big_host = _quick_api(lab.env, "big", BIG)
    sent = b"q" * 300_000
    total = HISTORY_LENGTH + 5
    for _ in range(total):
        response = gateway.request(
            "POST", f"https://{big_host}/", {"content-type": "text/plain"}, sent
        )
        assert response.body == b"r" * 200_000  # the caller's response is complete
        assert response.request.body == sent
        assert response.event is not None and len(response.event["body"]) == len(sent)
    history = gateway.history
    assert len(history) == HISTORY_LENGTH
    kept = history[-1]
    assert kept.request.body == b"q" * HISTORY_BODY_LIMIT + (
        f"… {len(sent) - HISTORY_BODY_LIMIT} bytes not kept".encode()
    )
    assert kept.body.endswith(f"… {200_000 - HISTORY_BODY_LIMIT} bytes not kept".encode())
    assert kept.event is not None and response.event is not None
    assert kept.event["body"].endswith(f"… {len(sent) - HISTORY_BODY_LIMIT} characters not kept")
    assert kept.event["requestContext"] == response.event["requestContext"]
    assert kept.trace is response.trace
    kept_bytes = sum(
        len(entry.request.body) + len(entry.body) + len((entry.event or {}).get("body", ""))
        for entry in history
    )
    assert kept_bytes <= HISTORY_LENGTH * 3 * (HISTORY_BODY_LIMIT + 64)
    # small exchanges are kept as they were
    small = gateway.request("POST", lab.url("/"), {"content-type": "text/plain"}, "hi")
    assert gateway.history[-1] is small
