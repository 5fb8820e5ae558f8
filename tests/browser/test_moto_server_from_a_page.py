"""A real web page in Chromium cannot reach the server backend's emulated AWS (issue 15).

The page is served by Playwright (which then stops intercepting, so the requests below
are Chromium's own). One page at ``http://localhost:3000`` tries the recorded-request
replay that replaces the course's function; another, at ``attacker.example`` mapped to
the server's port (DNS rebinding), reads the emulated AWS as its own origin.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gwlab
from gwlab.functions import deploy_function, zip_source

PAGE = "<!doctype html><html lang='en'><title>a page</title><p>A page</p></html>"
HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'course'}\n"
REPLAY = """async ([endpoint, recording]) => {
    const post = (path, body) => fetch(endpoint + path, {method: 'POST', mode: 'no-cors', body});
    await post('/moto-api/recorder/upload-recording', recording);
    await post('/moto-api/recorder/replay-recording', '');
    try {
        const read = await fetch(endpoint + '/moto-api/recorder/download-recording');
        return {read: true, status: read.status};
    } catch (error) {
        return {read: false, error: String(error)};
    }
}"""
SAME_ORIGIN = """async () => {
    const answer = await fetch('/v2/apis');
    return {status: answer.status, body: await answer.text()};
}"""


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[gwlab.LabEnv]:
    """A server backend with the course's function behind an API."""
    monkeypatch.chdir(tmp_path)  # moto's recorder would write ./moto_recording
    with gwlab.start("server") as env:
        deploy_function(env, "items", HANDLER)
        yield env


def _open_page(launch_chromium: Any, origin: str, *args: str) -> tuple[Any, Any]:
    context = launch_chromium(*args).new_context()
    page = context.new_page()
    page.route(f"{origin}/**", lambda route: route.fulfill(body=PAGE, content_type="text/html"))
    page.goto(f"{origin}/")
    page.unroute_all()
    return context, page


def _recording(endpoint: str, marker: Path) -> str:
    evil = zip_source(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "def handler(event, context):\n    return {'statusCode': 200, 'body': 'evil'}\n"
    )
    scope = "gwlab-fake-access-key/20260101/us-east-1/lambda/aws4_request"
    entry = {
        "method": "PUT",
        "url": f"{endpoint}/2015-03-31/functions/items/code",
        "headers": {
            "Content-Type": "application/json",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, "
            "Signature=0",
        },
        "body": json.dumps({"ZipFile": base64.b64encode(evil).decode()}),
        "body_encoded": False,
    }
    return json.dumps(entry) + "\n"


@pytest.mark.shared_env
def test_a_page_cannot_replay_a_recording_into_the_function(
    server: gwlab.LabEnv, launch_chromium: Any, tmp_path: Path
) -> None:
    lambda_ = server.client("lambda")
    arn = lambda_.get_function(FunctionName="items")["Configuration"]["FunctionArn"]
    api_id = server.client("apigatewayv2").create_api(Name="a", ProtocolType="HTTP", Target=arn)[
        "ApiId"
    ]
    before = lambda_.get_function(FunctionName="items")["Configuration"]["CodeSha256"]
    marker = tmp_path / "marker"
    context, page = _open_page(launch_chromium, "http://localhost:3000")
    try:
        read = page.evaluate(
            REPLAY, [server.endpoint_url, _recording(str(server.endpoint_url), marker)]
        )
    finally:
        context.close()
    assert read == {"read": False, "error": "TypeError: Failed to fetch"}  # no CORS header
    answer = server.gateway.request("GET", f"https://{api_id}.execute-api.us-east-1.amazonaws.com/")
    assert answer.body == b"course"
    assert lambda_.get_function(FunctionName="items")["Configuration"]["CodeSha256"] == before
    assert not marker.exists()
    assert not (tmp_path / "moto_recording").exists()


@pytest.mark.shared_env
def test_a_rebinding_page_reads_only_the_refusal(
    server: gwlab.LabEnv, launch_chromium: Any
) -> None:
    port = str(server.endpoint_url).rsplit(":", 1)[1]
    origin = f"http://attacker.example:{port}"
    context, page = _open_page(
        launch_chromium, origin, "--host-resolver-rules=MAP attacker.example 127.0.0.1"
    )
    try:
        answer = page.evaluate(SAME_ORIGIN)
    finally:
        context.close()
    assert answer["status"] == 403
    message = json.loads(answer["body"])["message"]
    assert f"requests for Host 'attacker.example:{port}'" in message
