"""Stages and stage variables: create, update, validate (AWS_FACTS "Stages", "Stage variables")."""

from __future__ import annotations

from typing import Any

import pytest

from support import FUNCTION_ARN

VALUE_SYMBOLS = "-._~:/?#&=,"


@pytest.fixture
def api_id(apigw: Any) -> str:
    api_id: str = apigw.create_api(Name="q", ProtocolType="HTTP", Target=FUNCTION_ARN)["ApiId"]
    return api_id


@pytest.mark.parametrize("name", ["prod", "dev-1", "v2_beta", "A" * 128, "$default"])
def test_valid_stage_names(apigw: Any, name: str) -> None:
    api_id = apigw.create_api(Name="plain", ProtocolType="HTTP")["ApiId"]
    assert apigw.create_stage(ApiId=api_id, StageName=name)["StageName"] == name


@pytest.mark.parametrize("name", ["pro d", "prod!", "A" * 129, "$prod", "default$", "ünï"])
def test_invalid_stage_names(apigw: Any, aws_error: Any, name: str) -> None:
    api_id = apigw.create_api(Name="plain", ProtocolType="HTTP")["ApiId"]
    with aws_error(
        "BadRequestException",
        f"Invalid stage name '{name}': stage names only allow a-zA-Z0-9_- (at most 128 "
        "characters), or are exactly $default",
    ):
        apigw.create_stage(ApiId=api_id, StageName=name)
    assert apigw.get_stages(ApiId=api_id)["Items"] == []


def test_duplicate_stage_is_a_conflict_and_keeps_the_first(
    apigw: Any, aws_error: Any, api_id: str
) -> None:
    apigw.create_stage(ApiId=api_id, StageName="prod", Description="first")
    with aws_error("ConflictException", "Stage already exists"):
        apigw.create_stage(ApiId=api_id, StageName="prod", Description="second")
    assert apigw.get_stage(ApiId=api_id, StageName="prod")["Description"] == "first"


def test_at_most_ten_stages_per_api(apigw: Any, aws_error: Any) -> None:
    api_id = apigw.create_api(Name="plain", ProtocolType="HTTP")["ApiId"]
    for n in range(10):
        apigw.create_stage(ApiId=api_id, StageName=f"s{n}")
    with aws_error("BadRequestException", "An API can have at most 10 stages"):
        apigw.create_stage(ApiId=api_id, StageName="s10")


def test_update_stage_sets_changes_and_removes_stage_variables(apigw: Any, api_id: str) -> None:
    apigw.create_stage(ApiId=api_id, StageName="prod", StageVariables={"TABLE_NAME": "a"})
    updated = apigw.update_stage(
        ApiId=api_id,
        StageName="prod",
        StageVariables={"TABLE_NAME": "my-frontend-app-data", "LOG_LEVEL": "warn"},
    )
    assert updated["StageVariables"] == {"TABLE_NAME": "my-frontend-app-data", "LOG_LEVEL": "warn"}
    updated = apigw.update_stage(ApiId=api_id, StageName="prod", StageVariables={"LOG_LEVEL": ""})
    assert updated["StageVariables"] == {"TABLE_NAME": "my-frontend-app-data"}
    stage = apigw.get_stage(ApiId=api_id, StageName="prod")
    assert stage["StageVariables"] == {"TABLE_NAME": "my-frontend-app-data"}


def test_update_stage_description_and_default_route_settings(apigw: Any, api_id: str) -> None:
    apigw.create_stage(ApiId=api_id, StageName="prod")
    updated = apigw.update_stage(
        ApiId=api_id,
        StageName="prod",
        Description="production",
        DefaultRouteSettings={"DetailedMetricsEnabled": True, "ThrottlingRateLimit": 10.0},
    )
    assert updated["Description"] == "production"
    assert updated["DefaultRouteSettings"]["DetailedMetricsEnabled"] is True
    assert updated["DefaultRouteSettings"]["ThrottlingRateLimit"] == 10.0


def test_turning_auto_deploy_on_deploys_at_once(apigw: Any, api_id: str) -> None:
    apigw.create_stage(ApiId=api_id, StageName="prod")
    assert "DeploymentId" not in apigw.get_stage(ApiId=api_id, StageName="prod")
    updated = apigw.update_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    assert updated["AutoDeploy"] is True
    assert updated["DeploymentId"]


def test_update_stage_deployment_id(apigw: Any, aws_error: Any, api_id: str) -> None:
    apigw.create_stage(ApiId=api_id, StageName="prod")
    first = apigw.create_deployment(ApiId=api_id)["DeploymentId"]
    second = apigw.create_deployment(ApiId=api_id)["DeploymentId"]
    for deployment_id in (first, second):
        stage = apigw.update_stage(ApiId=api_id, StageName="prod", DeploymentId=deployment_id)
        assert stage["DeploymentId"] == deployment_id
    with aws_error("NotFoundException", "Invalid Deployment identifier specified nope"):
        apigw.update_stage(ApiId=api_id, StageName="prod", DeploymentId="nope")
    with aws_error(
        "BadRequestException",
        "DeploymentId can't be updated if autoDeploy is enabled (stage '$default')",
    ):
        apigw.update_stage(ApiId=api_id, StageName="$default", DeploymentId=first)
    with aws_error("BadRequestException"):
        apigw.update_stage(ApiId=api_id, StageName="prod", DeploymentId=first, AutoDeploy=True)
    assert apigw.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"] == second


def test_create_stage_with_deployment_id(apigw: Any, aws_error: Any, api_id: str) -> None:
    deployment_id = apigw.create_deployment(ApiId=api_id)["DeploymentId"]
    stage = apigw.create_stage(ApiId=api_id, StageName="prod", DeploymentId=deployment_id)
    assert stage["DeploymentId"] == deployment_id
    with aws_error("BadRequestException"):
        apigw.create_stage(
            ApiId=api_id, StageName="dev", DeploymentId=deployment_id, AutoDeploy=True
        )
    with aws_error("NotFoundException"):
        apigw.create_stage(ApiId=api_id, StageName="dev", DeploymentId="nope")


def test_missing_stage_is_not_found(apigw: Any, aws_error: Any, api_id: str) -> None:
    for call in (apigw.get_stage, apigw.delete_stage, apigw.update_stage):
        with aws_error("NotFoundException", "Invalid stage identifier specified"):
            call(ApiId=api_id, StageName="nope")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"TABLE-NAME": "x"},
            "Invalid stage variable name: TABLE-NAME. Please use names with alphanumeric "
            "characters and the symbol '_', at most 64 characters long.",
        ),
        (
            {"N" * 65: "x"},
            f"Invalid stage variable name: {'N' * 65}. Please use names with alphanumeric "
            "characters and the symbol '_', at most 64 characters long.",
        ),
        (
            {"TABLE_NAME": "my table"},
            "Invalid stage variable value: my table. Please use values with alphanumeric "
            "characters and the symbols '-', '.', '_', '~', ':', '/', '?', '#', '&', '=', "
            "and ','.",
        ),
        (
            {"SECRET": "p@ss"},
            "Invalid stage variable value: p@ss. Please use values with alphanumeric "
            "characters and the symbols '-', '.', '_', '~', ':', '/', '?', '#', '&', '=', "
            "and ','.",
        ),
        (
            {"LONG": "v" * 513},
            "The value of stage variable LONG is longer than 512 characters",
        ),
    ],
)
def test_invalid_stage_variables_change_nothing(
    apigw: Any, aws_error: Any, api_id: str, variables: dict[str, str], message: str
) -> None:
    apigw.create_stage(ApiId=api_id, StageName="prod", StageVariables={"KEEP": "me"})
    with aws_error("BadRequestException", message):
        apigw.update_stage(ApiId=api_id, StageName="prod", StageVariables=variables)
    with aws_error("BadRequestException", message):
        apigw.create_stage(ApiId=api_id, StageName="dev", StageVariables=variables)
    assert apigw.get_stage(ApiId=api_id, StageName="prod")["StageVariables"] == {"KEEP": "me"}
    assert [s["StageName"] for s in apigw.get_stages(ApiId=api_id)["Items"]] == [
        "$default",
        "prod",
    ]


def test_stage_variable_limits_at_the_edge(apigw: Any, aws_error: Any, api_id: str) -> None:
    hundred = {f"V{n}": "x" for n in range(100)}
    allowed = {"N" * 64: "v" * 512, "SYMBOLS": "a" + VALUE_SYMBOLS}
    stage = apigw.create_stage(ApiId=api_id, StageName="prod", StageVariables=allowed)
    assert stage["StageVariables"] == allowed
    apigw.create_stage(ApiId=api_id, StageName="full", StageVariables=hundred)
    with aws_error("BadRequestException", "A stage can have at most 100 stage variables"):
        apigw.update_stage(ApiId=api_id, StageName="full", StageVariables={"ONE_MORE": "x"})
