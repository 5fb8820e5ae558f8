"""Route keys, CORS and API settings validated as AWS does (AWS_FACTS "Routes", "CORS")."""

from __future__ import annotations

from typing import Any

import pytest

from support import FUNCTION_ARN


@pytest.fixture
def api(apigw: Any) -> dict[str, str]:
    api_id = apigw.create_api(Name="plain", ProtocolType="HTTP")["ApiId"]
    integration = apigw.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=FUNCTION_ARN,
        PayloadFormatVersion="2.0",
    )
    return {"ApiId": api_id, "Target": f"integrations/{integration['IntegrationId']}"}


@pytest.mark.parametrize(
    "route_key",
    [
        "$default",
        "GET /items",
        "ANY /{proxy+}",
        "GET /",
        "POST /items/{id}",
        "DELETE /items/{id}/tags/{tag+}",
        "OPTIONS /items",
        "GET /a.b/c-d_e~",
    ],
)
def test_valid_route_keys(apigw: Any, api: dict[str, str], route_key: str) -> None:
    assert apigw.create_route(RouteKey=route_key, **api)["RouteKey"] == route_key


@pytest.mark.parametrize(
    ("route_key", "reason"),
    [
        ("GET /items/", "the path may not end with '/'"),
        (
            "/items",
            "start with ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS, or use $default",
        ),
        (
            "get /items",
            "start with ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS, or use $default",
        ),
        (
            "FETCH /items",
            "start with ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS, or use $default",
        ),
        ("GET items", "the path must start with '/' after one space"),
        ("GET //items", "the path may not contain '//'"),
        ("GET /{proxy+}/more", "a greedy path variable {name+} may only be the last segment"),
        ("GET /items/{id", "malformed path parameter {id"),
        (
            "default",
            "start with ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS, or use $default",
        ),
    ],
)
def test_invalid_route_keys(
    apigw: Any, aws_error: Any, api: dict[str, str], route_key: str, reason: str
) -> None:
    with aws_error("BadRequestException", f"Invalid route key '{route_key}': {reason}"):
        apigw.create_route(RouteKey=route_key, **api)
    assert apigw.get_routes(ApiId=api["ApiId"])["Items"] == []


def test_route_keys_are_unique_and_updates_are_checked(
    apigw: Any, aws_error: Any, api: dict[str, str]
) -> None:
    apigw.create_route(RouteKey="GET /items", **api)
    other = apigw.create_route(RouteKey="POST /items", **api)
    with aws_error(
        "ConflictException", "A route with key 'GET /items' already exists for this API"
    ):
        apigw.create_route(RouteKey="GET /items", **api)
    with aws_error("ConflictException"):
        apigw.update_route(ApiId=api["ApiId"], RouteId=other["RouteId"], RouteKey="GET /items")
    with aws_error("BadRequestException"):
        apigw.update_route(ApiId=api["ApiId"], RouteId=other["RouteId"], RouteKey="POST /x/")
    same = apigw.update_route(ApiId=api["ApiId"], RouteId=other["RouteId"], RouteKey="POST /items")
    assert same["RouteKey"] == "POST /items"


def test_route_target_must_be_an_integration_of_the_api(
    apigw: Any, aws_error: Any, api: dict[str, str]
) -> None:
    with aws_error(
        "BadRequestException",
        "Invalid route target 'integrations/nope': use integrations/<integration id> of this API",
    ):
        apigw.create_route(ApiId=api["ApiId"], RouteKey="GET /x", Target="integrations/nope")


CORS_OK: dict[str, Any] = {
    "AllowOrigins": ["https://example.com", "http://localhost:3000"],
    "AllowMethods": ["GET", "POST", "PUT", "DELETE"],
    "AllowHeaders": ["Content-Type", "Authorization"],
    "MaxAge": 86400,
}


@pytest.mark.parametrize(
    "cors",
    [
        CORS_OK,
        {"AllowOrigins": ["*"], "MaxAge": -1},
        {"AllowOrigins": ["https://*"], "AllowCredentials": True},
        {"AllowOrigins": ["http://*"], "AllowMethods": ["*"], "MaxAge": 0},
        {"AllowOrigins": ["https://example.com"], "AllowCredentials": True},
    ],
)
def test_valid_cors_configurations(apigw: Any, api: dict[str, str], cors: dict[str, Any]) -> None:
    updated = apigw.update_api(ApiId=api["ApiId"], CorsConfiguration=cors)
    assert updated["CorsConfiguration"] == cors
    assert apigw.get_api(ApiId=api["ApiId"])["CorsConfiguration"] == cors


@pytest.mark.parametrize(
    ("cors", "message"),
    [
        (
            {"AllowOrigins": ["*"], "AllowCredentials": True},
            "allow-credentials is not supported if 'allow-origin' is *",
        ),
        (
            {"AllowOrigins": ["https://*.example.com"]},
            "Invalid CORS allow-origin 'https://*.example.com': use exact origins, '*', "
            "'http://*' or 'https://*'",
        ),
        (
            {"AllowOrigins": ["example.com"]},
            "Invalid CORS allow-origin 'example.com': use exact origins, '*', 'http://*' or "
            "'https://*'",
        ),
        (
            {"AllowOrigins": ["https://example.com"], "AllowMethods": ["FETCH"]},
            "Invalid CORS allow-method 'FETCH': use GET, POST, PUT, PATCH, DELETE, HEAD, "
            "OPTIONS or *",
        ),
        (
            {"AllowOrigins": ["https://example.com"], "MaxAge": 86401},
            "Invalid CORS max-age 86401: use a number from -1 to 86400",
        ),
    ],
)
def test_invalid_cors_keeps_the_previous_configuration(
    apigw: Any, aws_error: Any, api: dict[str, str], cors: dict[str, Any], message: str
) -> None:
    apigw.update_api(ApiId=api["ApiId"], CorsConfiguration=CORS_OK)
    with aws_error("BadRequestException", message):
        apigw.update_api(ApiId=api["ApiId"], CorsConfiguration=cors)
    with aws_error("BadRequestException", message):
        apigw.create_api(Name="x", ProtocolType="HTTP", CorsConfiguration=cors)
    assert apigw.get_api(ApiId=api["ApiId"])["CorsConfiguration"] == CORS_OK
    assert len(apigw.get_apis()["Items"]) == 1


def test_delete_cors_configuration(apigw: Any, api: dict[str, str]) -> None:
    apigw.update_api(ApiId=api["ApiId"], CorsConfiguration=CORS_OK)
    apigw.delete_cors_configuration(ApiId=api["ApiId"])
    assert "CorsConfiguration" not in apigw.get_api(ApiId=api["ApiId"])


def test_disable_execute_api_endpoint_is_stored_and_returned(apigw: Any) -> None:
    created = apigw.create_api(Name="d", ProtocolType="HTTP", DisableExecuteApiEndpoint=True)
    assert created["DisableExecuteApiEndpoint"] is True
    api_id = created["ApiId"]
    assert apigw.get_api(ApiId=api_id)["DisableExecuteApiEndpoint"] is True
    updated = apigw.update_api(ApiId=api_id, DisableExecuteApiEndpoint=False)
    assert updated["DisableExecuteApiEndpoint"] is False
    assert apigw.get_api(ApiId=api_id)["DisableExecuteApiEndpoint"] is False


def test_at_most_300_routes_per_api(apigw: Any, aws_error: Any, api: dict[str, str]) -> None:
    for n in range(300):
        apigw.create_route(RouteKey=f"GET /r{n}", **api)
    with aws_error("BadRequestException", "An API can have at most 300 routes"):
        apigw.create_route(RouteKey="GET /one-more", **api)
