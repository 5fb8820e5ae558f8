"""The server backend answers only AWS clients: no web page, no other Host, no /moto-api/.

Everything here goes over real HTTP to a real server backend. The first test shows
what a web page could do to moto's bare server (replace a function's code, which the
gateway then runs on this machine); the others show each step of it refused.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import gwlab
from gwlab.backends.sandbox import sandbox_variables
from gwlab.backends.server import _Dispatcher
from gwlab.functions import deploy_function, zip_source
from gwlab.loopback import LoopbackServer, bind_loopback

from support import BIN, Served

HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'course'}\n"
PAGE = "http://attacker.example"
#: The Authorization header of a recorded Lambda request (moto routes by its scope).
SIGNED_FOR_LAMBDA = (
    "AWS4-HMAC-SHA256 Credential=gwlab-fake-access-key/20260101/us-east-1/lambda/aws4_request, "
    "SignedHeaders=host, Signature=0"
)


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[gwlab.LabEnv]:
    """A server backend with the course's function behind an API (cwd: a temp folder)."""
    monkeypatch.chdir(tmp_path)  # moto's recorder writes ./moto_recording when it runs
    with gwlab.start("server") as env:
        deploy_function(env, "items", HANDLER)
        yield env


def _port(env: gwlab.LabEnv) -> int:
    assert env.endpoint_url is not None
    return int(env.endpoint_url.rsplit(":", 1)[1])


def send(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | str = b"",
    host: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP request to 127.0.0.1:``port`` with exactly the ``Host`` given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        data = body.encode() if isinstance(body, str) else body
        for name, value in {**(headers or {}), "Content-Length": str(len(data))}.items():
            connection.putheader(name, value)
        connection.endheaders(data)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _api(env: gwlab.LabEnv) -> str:
    arn = env.client("lambda").get_function(FunctionName="items")["Configuration"]["FunctionArn"]
    return str(
        env.client("apigatewayv2").create_api(Name="a", ProtocolType="HTTP", Target=arn)["ApiId"]
    )


def _recording(endpoint: str, marker: Path) -> str:
    """moto's recorder format: one UpdateFunctionCode whose code writes ``marker``."""
    evil = zip_source(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "def handler(event, context):\n    return {'statusCode': 200, 'body': 'evil'}\n"
    )
    entry = {
        "method": "PUT",
        "url": f"{endpoint}/2015-03-31/functions/items/code",
        "headers": {"Content-Type": "application/json", "Authorization": SIGNED_FOR_LAMBDA},
        "body": json.dumps({"ZipFile": base64.b64encode(evil).decode()}),
        "body_encoded": False,
    }
    return json.dumps(entry) + "\n"


def _attack(port: int, recording: str) -> list[tuple[int, dict[str, str], bytes]]:
    """What a page's two ``fetch(..., {method: "POST", body})`` calls send (no preflight)."""
    page = {"Content-Type": "text/plain;charset=UTF-8", "Origin": PAGE}
    return [
        send(port, "POST", "/moto-api/recorder/upload-recording", page, recording),
        send(port, "POST", "/moto-api/recorder/replay-recording", page),
    ]


def _code_sha(env: gwlab.LabEnv) -> str:
    return str(
        env.client("lambda").get_function(FunctionName="items")["Configuration"]["CodeSha256"]
    )


def _aws_error(body: bytes) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(body)
    return parsed


def test_the_attack_works_on_moto_s_bare_server(server: gwlab.LabEnv, tmp_path: Path) -> None:
    """Without the guard, a page replaces the function and the gateway runs its code."""
    api_id, marker = _api(server), tmp_path / "marker"
    bare = LoopbackServer(_Dispatcher(), name="bare-moto")
    try:
        answers = _attack(bare.port, _recording(bare.url, marker))
    finally:
        bare.stop()
    assert [status for status, _, _ in answers] == [200, 200]
    assert answers[0][1]["access-control-allow-origin"] == PAGE
    response = server.gateway.request(
        "GET", f"https://{api_id}.execute-api.us-east-1.amazonaws.com/"
    )
    assert response.body == b"evil"
    assert marker.read_text() == "ran"


def test_the_replay_attack_is_refused_at_each_step(server: gwlab.LabEnv, tmp_path: Path) -> None:
    port, api_id, marker = _port(server), _api(server), tmp_path / "marker"
    before = _code_sha(server)
    answers = _attack(port, _recording(str(server.endpoint_url), marker))
    for status, headers, body in answers:
        assert status == 403
        assert not any(name.startswith("access-control-") for name in headers)
        assert _aws_error(body)["__type"] == "AccessDeniedException"
        assert "refuses requests from web pages (Origin header)" in _aws_error(body)["message"]
    # The same two calls from a local process without Origin: /moto-api/ is not served.
    for path in ("/moto-api/recorder/upload-recording", "/moto-api/recorder/replay-recording"):
        status, _, body = send(port, "POST", path, {"Content-Type": "text/plain"}, "x")
        assert status == 403
        assert "/moto-api/" in _aws_error(body)["message"]
    response = server.gateway.request(
        "GET", f"https://{api_id}.execute-api.us-east-1.amazonaws.com/"
    )
    assert response.body == b"course"
    assert _code_sha(server) == before
    assert not marker.exists()
    assert not (tmp_path / "moto_recording").exists()


@pytest.mark.parametrize(
    ("method", "path", "content_type", "body"),
    [
        ("POST", "/v2/apis", "text/plain", '{"name": "evil", "protocolType": "HTTP"}'),
        ("POST", "/", "application/x-www-form-urlencoded", "Action=CreateUser&UserName=evil"),
        ("POST", "/2015-03-31/functions", "text/plain", '{"FunctionName": "evil"}'),
        ("GET", "/v2/apis", "", ""),
    ],
)
def test_a_page_s_simple_request_changes_nothing_and_gets_no_cors(
    server: gwlab.LabEnv, method: str, path: str, content_type: str, body: str
) -> None:
    port = _port(server)
    headers = {"Origin": PAGE, **({"Content-Type": content_type} if content_type else {})}
    status, answer_headers, answer = send(port, method, path, headers, body)
    assert status == 403
    assert not any(name.startswith("access-control-") for name in answer_headers)
    assert b"AccessDenied" in answer  # JSON's AccessDeniedException, or query's XML
    assert server.client("apigatewayv2").get_apis()["Items"] == []
    assert [f["FunctionName"] for f in server.client("lambda").list_functions()["Functions"]] == [
        "items"
    ]
    assert server.client("iam").list_users()["Users"] == []
    assert server.client("s3").list_buckets()["Buckets"] == []


def test_a_preflight_is_refused_without_access_control_headers(server: gwlab.LabEnv) -> None:
    status, headers, body = send(
        _port(server),
        "OPTIONS",
        "/2015-03-31/functions/items/code",
        {
            "Origin": PAGE,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 403
    assert not any(name.startswith("access-control-") for name in headers)
    assert "web pages" in _aws_error(body)["message"]


def test_fetch_metadata_headers_mark_a_page_too(server: gwlab.LabEnv) -> None:
    """A page's no-cors GET carries no Origin, but browsers add Sec-Fetch-* to it."""
    status, _, body = send(
        _port(server),
        "GET",
        "/v2/apis",
        {"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "cross-site"},
    )
    assert status == 403
    assert "(Sec-Fetch-Mode header)" in _aws_error(body)["message"]


def test_a_rebinding_host_is_refused(server: gwlab.LabEnv) -> None:
    port = _port(server)
    with bind_loopback(0) as other:
        other_port = int(other.getsockname()[1])
    for host in (f"attacker.example:{port}", f"127.0.0.1:{other_port}", "attacker.example", ""):
        status, headers, body = send(
            port, "POST", "/v2/apis", {"Content-Type": "application/json"}, '{"name": "x"}', host
        )
        assert status == 403, host
        assert "access-control-allow-origin" not in headers
        assert (
            f"answers only at 127.0.0.1:{port} or localhost:{port}" in _aws_error(body)["message"]
        )
    assert server.client("apigatewayv2").get_apis()["Items"] == []


@pytest.mark.parametrize("path", ["/moto-api/reset", "/moto-api/data.json", "/moto-api/config"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_moto_api_is_not_served(server: gwlab.LabEnv, method: str, path: str) -> None:
    status, headers, body = send(_port(server), method, path)
    assert status == 403
    assert body.count(b"FunctionName") == 0  # no dump of the state
    assert headers["x-amzn-errortype"] == "AccessDeniedException"
    assert [f["FunctionName"] for f in server.client("lambda").list_functions()["Functions"]] == [
        "items"
    ]


def _with_header(client: Any, name: str, value: str) -> Any:
    def add(request: Any, **_: Any) -> None:
        request.headers[name] = value

    client.meta.events.register_first("before-send", add)
    return client


@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        (
            "apigatewayv2",
            lambda c: c.create_api(Name="x", ProtocolType="HTTP"),
            "AccessDeniedException",
        ),
        ("lambda", lambda c: c.delete_function(FunctionName="items"), "AccessDeniedException"),
        (
            "route53",
            lambda c: c.create_hosted_zone(Name="example.com", CallerReference="r"),
            "AccessDenied",
        ),
        ("iam", lambda c: c.create_user(UserName="evil"), "AccessDenied"),
        ("s3", lambda c: c.create_bucket(Bucket="evil"), "AccessDenied"),
    ],
)
@pytest.mark.parametrize(("header", "why"), [("Origin", "web pages"), ("Host", "answers only at")])
def test_boto3_reads_the_refusal_as_an_aws_error(
    server: gwlab.LabEnv, service: str, call: Any, code: str, header: str, why: str
) -> None:
    """Each protocol's client (rest-json, rest-xml, query) parses the refusal."""
    value = PAGE if header == "Origin" else f"attacker.example:{_port(server)}"
    client = _with_header(
        boto3.client(
            service,
            endpoint_url=server.endpoint_url,
            config=Config(retries={"total_max_attempts": 1}),
        ),
        header,
        value,
    )
    with pytest.raises(ClientError) as raised:
        call(client)
    error = raised.value.response["Error"]
    assert (error["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (
        code,
        403,
    )
    assert why in error["Message"]
    client.close()
    assert server.client("apigatewayv2").get_apis()["Items"] == []
    assert server.client("route53").list_hosted_zones()["HostedZones"] == []
    assert server.client("lambda").get_function(FunctionName="items")


def test_aws_clients_still_work(server: gwlab.LabEnv) -> None:
    """The env's clients, a learner's own boto3 (at localhost too) and the real AWS CLI."""
    api_id = server.client("apigatewayv2").create_api(Name="ok", ProtocolType="HTTP")["ApiId"]
    assert boto3.client("apigatewayv2").get_api(ApiId=api_id)["Name"] == "ok"
    local = boto3.client("route53", endpoint_url=f"http://localhost:{_port(server)}")
    local.create_hosted_zone(Name="example.com", CallerReference="r")
    local.close()
    shell = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    shell.update(sandbox_variables(server.region, server.endpoint_url), HOME="/nonexistent")
    for extra in ([], ["--endpoint-url", f"http://localhost:{_port(server)}"]):
        done = subprocess.run(
            [str(BIN / "aws"), "apigatewayv2", "get-apis", "--output", "json", *extra],
            capture_output=True,
            text=True,
            env=shell,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert [api["ApiId"] for api in json.loads(done.stdout)["Items"]] == [api_id]
    zones = server.client("route53").list_hosted_zones()["HostedZones"]
    assert [zone["Name"] for zone in zones] == ["example.com."]


def test_gwlab_serve_is_guarded_and_the_cli_works(gwlab_serve: Served) -> None:
    port = int(gwlab_serve.exports["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
    status, headers, _ = send(
        port, "POST", "/moto-api/reset", {"Origin": PAGE, "Content-Type": "text/plain"}
    )
    assert status == 403
    assert not any(name.startswith("access-control-") for name in headers)
    created = gwlab_serve.aws(
        "apigatewayv2", "create-api", "--name", "cli", "--protocol-type", "HTTP"
    )
    assert created.returncode == 0, created.stderr
    status, _, _ = send(port, "POST", "/moto-api/reset")
    assert status == 403
    listed = gwlab_serve.aws("apigatewayv2", "get-apis", "--output", "json")
    assert [api["Name"] for api in json.loads(listed.stdout)["Items"]] == ["cli"]
