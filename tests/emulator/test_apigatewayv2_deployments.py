"""Deployments, auto-deploy and quick create behave as AWS_FACTS says ("Stages and deployments")."""

from __future__ import annotations

from typing import Any

import pytest

import gwlab
from gwlab.emulator.apigatewayv2 import served_stage
from gwlab.emulator.apigatewayv2.models import AUTO_DEPLOYMENT_DESCRIPTION

from support import FUNCTION_ARN


def _api_with_route(apigw: Any, route_key: str = "GET /items") -> str:
    api_id: str = apigw.create_api(Name="plain", ProtocolType="HTTP")["ApiId"]
    integration = apigw.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=FUNCTION_ARN,
        PayloadFormatVersion="2.0",
    )
    apigw.create_route(
        ApiId=api_id, RouteKey=route_key, Target=f"integrations/{integration['IntegrationId']}"
    )
    return api_id


def _served_routes(env: gwlab.LabEnv, api_id: str, stage: str) -> list[str] | None:
    served = served_stage(api_id, stage, region=env.region)
    assert served is not None
    if served.snapshot is None:
        return None
    return sorted(route.route_key for route in served.snapshot.routes)


def test_quick_create_makes_default_stage_route_and_proxy_integration(apigw: Any) -> None:
    api = apigw.create_api(Name="quick", ProtocolType="HTTP", Target=FUNCTION_ARN)
    assert len(api["ApiId"]) == 10 and api["ApiId"].isalnum() and api["ApiId"].islower()
    assert api["ApiEndpoint"] == f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com"
    (stage,) = apigw.get_stages(ApiId=api["ApiId"])["Items"]
    assert stage["StageName"] == "$default"
    assert stage["AutoDeploy"] is True
    assert stage["ApiGatewayManaged"] is True
    assert stage["DeploymentId"]
    assert stage["LastDeploymentStatusMessage"] == (
        f"Successfully deployed stage with deployment ID '{stage['DeploymentId']}'"
    )
    (route,) = apigw.get_routes(ApiId=api["ApiId"])["Items"]
    (integration,) = apigw.get_integrations(ApiId=api["ApiId"])["Items"]
    assert route["RouteKey"] == "$default"
    assert route["Target"] == f"integrations/{integration['IntegrationId']}"
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"] == FUNCTION_ARN
    assert integration["PayloadFormatVersion"] == "2.0"
    (deployment,) = apigw.get_deployments(ApiId=api["ApiId"])["Items"]
    assert deployment["AutoDeployed"] is True
    assert deployment["Description"] == AUTO_DEPLOYMENT_DESCRIPTION


def test_quick_create_with_route_key_and_http_target(apigw: Any) -> None:
    api = apigw.create_api(
        Name="q", ProtocolType="HTTP", Target="https://example.com/", RouteKey="GET /items"
    )
    (route,) = apigw.get_routes(ApiId=api["ApiId"])["Items"]
    (integration,) = apigw.get_integrations(ApiId=api["ApiId"])["Items"]
    assert route["RouteKey"] == "GET /items"
    assert integration["IntegrationType"] == "HTTP_PROXY"
    assert integration["PayloadFormatVersion"] == "1.0"


def test_quick_create_rejects_a_target_that_is_neither_lambda_nor_url(
    apigw: Any, aws_error: Any
) -> None:
    with aws_error("BadRequestException"):
        apigw.create_api(Name="q", ProtocolType="HTTP", Target="not-a-target")
    assert apigw.get_apis()["Items"] == []


def test_plain_create_api_makes_no_stage(apigw: Any) -> None:
    api = apigw.create_api(Name="plain", ProtocolType="HTTP")
    assert apigw.get_stages(ApiId=api["ApiId"])["Items"] == []
    assert apigw.get_deployments(ApiId=api["ApiId"])["Items"] == []


def test_named_stage_defaults_to_no_auto_deploy_and_serves_nothing_until_deployed(
    env: gwlab.LabEnv, apigw: Any
) -> None:
    api_id = _api_with_route(apigw)
    stage = apigw.create_stage(ApiId=api_id, StageName="prod")
    assert stage["AutoDeploy"] is False
    assert "DeploymentId" not in stage
    assert _served_routes(env, api_id, "prod") is None

    deployment = apigw.create_deployment(ApiId=api_id, StageName="prod", Description="first")
    assert deployment["DeploymentStatus"] == "DEPLOYED"
    assert deployment["AutoDeployed"] is False
    assert (
        apigw.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"]
        == (deployment["DeploymentId"])
    )
    assert _served_routes(env, api_id, "prod") == ["GET /items"]
    fetched = apigw.get_deployment(ApiId=api_id, DeploymentId=deployment["DeploymentId"])
    assert fetched["Description"] == "first"


def test_a_route_added_later_is_invisible_until_redeployed(env: gwlab.LabEnv, apigw: Any) -> None:
    api_id = _api_with_route(apigw)
    apigw.create_stage(ApiId=api_id, StageName="prod")
    apigw.create_deployment(ApiId=api_id, StageName="prod")
    integration_id = apigw.get_integrations(ApiId=api_id)["Items"][0]["IntegrationId"]
    apigw.create_route(
        ApiId=api_id, RouteKey="POST /items", Target=f"integrations/{integration_id}"
    )
    assert _served_routes(env, api_id, "prod") == ["GET /items"]
    apigw.create_deployment(ApiId=api_id, StageName="prod")
    assert _served_routes(env, api_id, "prod") == ["GET /items", "POST /items"]


def test_auto_deploy_stage_redeploys_on_route_integration_and_cors_changes(
    env: gwlab.LabEnv, apigw: Any
) -> None:
    api_id = _api_with_route(apigw)
    apigw.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    ids = [apigw.get_stage(ApiId=api_id, StageName="dev")["DeploymentId"]]

    def redeployed() -> bool:
        ids.append(apigw.get_stage(ApiId=api_id, StageName="dev")["DeploymentId"])
        return ids[-1] != ids[-2]

    integration_id = apigw.get_integrations(ApiId=api_id)["Items"][0]["IntegrationId"]
    route = apigw.create_route(
        ApiId=api_id, RouteKey="DELETE /items", Target=f"integrations/{integration_id}"
    )
    assert redeployed()
    assert _served_routes(env, api_id, "dev") == ["DELETE /items", "GET /items"]
    apigw.update_integration(ApiId=api_id, IntegrationId=integration_id, TimeoutInMillis=5000)
    assert redeployed()
    apigw.update_api(ApiId=api_id, CorsConfiguration={"AllowOrigins": ["https://example.com"]})
    assert redeployed()
    served = served_stage(api_id, "dev", region=env.region)
    assert served is not None and served.snapshot is not None and served.snapshot.cors
    assert served.snapshot.cors.allow_origins == ("https://example.com",)
    apigw.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    assert redeployed()
    assert _served_routes(env, api_id, "dev") == ["GET /items"]
    assert all(d["AutoDeployed"] for d in apigw.get_deployments(ApiId=api_id)["Items"])


def test_cors_change_waits_for_a_deployment_without_auto_deploy(
    env: gwlab.LabEnv, apigw: Any
) -> None:
    api_id = _api_with_route(apigw)
    apigw.create_stage(ApiId=api_id, StageName="prod")
    apigw.create_deployment(ApiId=api_id, StageName="prod")
    apigw.update_api(ApiId=api_id, CorsConfiguration={"AllowOrigins": ["https://example.com"]})
    served = served_stage(api_id, "prod", region=env.region)
    assert served is not None and served.snapshot is not None
    assert served.snapshot.cors is None
    apigw.create_deployment(ApiId=api_id, StageName="prod")
    served = served_stage(api_id, "prod", region=env.region)
    assert served is not None and served.snapshot is not None and served.snapshot.cors


def test_create_deployment_errors(apigw: Any, aws_error: Any) -> None:
    empty = apigw.create_api(Name="empty", ProtocolType="HTTP")["ApiId"]
    with aws_error(
        "BadRequestException", "Unable to deploy API because no routes exist in this API"
    ):
        apigw.create_deployment(ApiId=empty)
    api_id = apigw.create_api(Name="q", ProtocolType="HTTP", Target=FUNCTION_ARN)["ApiId"]
    with aws_error(
        "BadRequestException",
        "DeploymentId can't be updated if autoDeploy is enabled (stage '$default')",
    ):
        apigw.create_deployment(ApiId=api_id, StageName="$default")
    with aws_error("NotFoundException", "Invalid stage identifier specified"):
        apigw.create_deployment(ApiId=api_id, StageName="nope")
    with aws_error("NotFoundException", "Invalid API identifier specified nope"):
        apigw.create_deployment(ApiId="nope")
    with aws_error("NotFoundException", "Invalid Deployment identifier specified nope"):
        apigw.get_deployment(ApiId=api_id, DeploymentId="nope")


def test_delete_deployment_only_when_no_stage_serves_it(apigw: Any, aws_error: Any) -> None:
    api_id = _api_with_route(apigw)
    apigw.create_stage(ApiId=api_id, StageName="prod")
    first = apigw.create_deployment(ApiId=api_id, StageName="prod")["DeploymentId"]
    with aws_error(
        "BadRequestException", "Active stages pointing to this deployment must be moved or deleted"
    ):
        apigw.delete_deployment(ApiId=api_id, DeploymentId=first)
    second = apigw.create_deployment(ApiId=api_id, StageName="prod")["DeploymentId"]
    apigw.delete_deployment(ApiId=api_id, DeploymentId=first)
    remaining = [d["DeploymentId"] for d in apigw.get_deployments(ApiId=api_id)["Items"]]
    assert remaining == [second]


def test_served_stage_of_missing_api_or_stage_is_none(env: gwlab.LabEnv, apigw: Any) -> None:
    api_id = _api_with_route(apigw)
    assert served_stage("nope", "prod", region=env.region) is None
    assert served_stage(api_id, "prod", region=env.region) is None


@pytest.mark.parametrize("backend", ["embedded"])
def test_deployment_ids_follow_the_seed(backend: str) -> None:
    def ids() -> list[str]:
        with gwlab.start(backend, seed=7) as env:
            apigw = env.client("apigatewayv2")
            api = apigw.create_api(Name="q", ProtocolType="HTTP", Target=FUNCTION_ARN)
            return [
                api["ApiId"],
                *(d["DeploymentId"] for d in apigw.get_deployments(ApiId=api["ApiId"])["Items"]),
            ]

    assert ids() == ids()
