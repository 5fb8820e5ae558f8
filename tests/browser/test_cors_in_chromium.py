"""A real browser's CORS check against the local gateway (issue 5, AWS_FACTS "CORS").

The page is served as ``http://localhost:3000`` (Playwright answers that
origin itself, then stops intercepting) and ``api.example.com`` is mapped to the gateway's loopback
port with ``--host-resolver-rules``. The page ``fetch``es a PUT with a JSON
content type, which makes Chromium send a real preflight.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import gwlab
from gwlab.functions import deploy_function

PAGE = "<!doctype html><html lang='en'><title>frontend</title><p>The frontend</p></html>"
ECHO = (
    "import json\n"
    "def handler(event, context):\n"
    "    return {'statusCode': 200, 'body': json.dumps({'method': event['requestContext']"
    "['http']['method'], 'body': event.get('body')})}\n"
)
LESSON_CORS = {
    "AllowOrigins": ["https://example.com", "http://localhost:3000"],
    "AllowMethods": ["GET", "POST", "PUT", "DELETE"],
    "AllowHeaders": ["Content-Type", "Authorization"],
    "MaxAge": 86400,
}
FETCH = """async () => {
    try {
        const response = await fetch('http://api.example.com/items', {
            method: 'PUT', headers: {'Content-Type': 'application/json'}, body: '{"n":1}'});
        return {ok: true, status: response.status, body: await response.json()};
    } catch (error) {
        return {ok: false, error: String(error)};
    }
}"""


@pytest.fixture
def frontend_api() -> Iterator[tuple[gwlab.LabEnv, str]]:
    """An API with ``PUT /items`` behind api.example.com, without CORS yet."""
    with gwlab.start() as env:
        arn = deploy_function(env, "items", ECHO)["FunctionArn"]
        apigw = env.client("apigatewayv2")
        api_id = apigw.create_api(Name="frontend", ProtocolType="HTTP")["ApiId"]
        integration = apigw.create_integration(
            ApiId=api_id,
            IntegrationType="AWS_PROXY",
            IntegrationUri=arn,
            PayloadFormatVersion="2.0",
        )
        apigw.create_route(
            ApiId=api_id,
            RouteKey="PUT /items",
            Target=f"integrations/{integration['IntegrationId']}",
        )
        apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
        certificate = env.client("acm").request_certificate(
            DomainName="api.example.com", ValidationMethod="DNS"
        )["CertificateArn"]
        apigw.create_domain_name(
            DomainName="api.example.com",
            DomainNameConfigurations=[{"CertificateArn": certificate}],
        )
        apigw.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="$default")
        yield env, api_id


def _fetch_from_localhost_3000(launch_chromium: Any, gateway_url: str) -> Any:
    port = gateway_url.rsplit(":", 1)[1]
    browser = launch_chromium(f"--host-resolver-rules=MAP api.example.com 127.0.0.1:{port}")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(
            "http://localhost:3000/**",
            lambda route: route.fulfill(body=PAGE, content_type="text/html"),
        )
        page.goto("http://localhost:3000/")
        # With a route active, Playwright handles CORS itself and Chromium sends no
        # preflight; with none left, the fetch below is Chromium's own.
        page.unroute_all()
        assert page.evaluate("location.origin") == "http://localhost:3000"
        return page.evaluate(FETCH)
    finally:
        context.close()


@pytest.mark.shared_env
def test_put_is_blocked_without_cors_and_allowed_with_the_lessons(
    frontend_api: tuple[gwlab.LabEnv, str], launch_chromium: Any
) -> None:
    env, api_id = frontend_api
    blocked = _fetch_from_localhost_3000(launch_chromium, env.gateway.url)
    assert blocked == {"ok": False, "error": "TypeError: Failed to fetch"}

    (preflight,) = env.gateway.history  # the browser never sent the PUT
    assert (preflight.request.method, preflight.status) == ("OPTIONS", 404)

    env.client("apigatewayv2").update_api(ApiId=api_id, CorsConfiguration=LESSON_CORS)
    allowed = _fetch_from_localhost_3000(launch_chromium, env.gateway.url)
    assert allowed == {"ok": True, "status": 200, "body": {"method": "PUT", "body": '{"n":1}'}}
    preflight, put = env.gateway.history[-2:]
    assert (preflight.request.method, preflight.status, put.request.method) == (
        "OPTIONS",
        204,
        "PUT",
    )
    assert preflight.event is None  # API Gateway answered it; the function never saw it
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert preflight.request.headers["access-control-request-method"] == "PUT"
