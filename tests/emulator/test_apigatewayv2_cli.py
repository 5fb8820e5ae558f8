"""The lesson's own ``aws apigatewayv2`` commands, through the AWS CLI, against ``gwlab serve``."""

from __future__ import annotations

import json
from typing import Any

from support import FUNCTION_ARN, Served


def _aws(served: Served, *args: str) -> Any:
    result = served.aws(*args, "--region", "us-east-1", "--output", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def test_lesson_commands_print_what_aws_prints(gwlab_serve: Served) -> None:
    api = _aws(
        gwlab_serve,
        "apigatewayv2",
        "create-api",
        "--name",
        "my-frontend-app",
        "--protocol-type",
        "HTTP",
        "--target",
        FUNCTION_ARN,
    )
    api_id = api["ApiId"]

    stage = _aws(
        gwlab_serve, "apigatewayv2", "create-stage", "--api-id", api_id, "--stage-name", "prod"
    )
    assert stage["StageName"] == "prod"
    assert stage["AutoDeploy"] is False
    assert stage["DefaultRouteSettings"] == {"DetailedMetricsEnabled": False}
    assert "CreatedDate" in stage and "DeploymentId" not in stage

    deployment = _aws(
        gwlab_serve,
        "apigatewayv2",
        "create-deployment",
        "--api-id",
        api_id,
        "--stage-name",
        "prod",
    )
    assert deployment["DeploymentStatus"] == "DEPLOYED"
    assert deployment["AutoDeployed"] is False

    auto = _aws(
        gwlab_serve,
        "apigatewayv2",
        "update-stage",
        "--api-id",
        api_id,
        "--stage-name",
        "prod",
        "--auto-deploy",
    )
    assert auto["AutoDeploy"] is True

    variables = _aws(
        gwlab_serve,
        "apigatewayv2",
        "update-stage",
        "--api-id",
        api_id,
        "--stage-name",
        "prod",
        "--stage-variables",
        '{"TABLE_NAME":"my-frontend-app-data","LOG_LEVEL":"warn"}',
    )
    assert variables["StageVariables"] == {
        "TABLE_NAME": "my-frontend-app-data",
        "LOG_LEVEL": "warn",
    }

    arn = _aws(
        gwlab_serve,
        "acm",
        "request-certificate",
        "--domain-name",
        "api.example.com",
        "--validation-method",
        "DNS",
    )["CertificateArn"]
    domain = _aws(
        gwlab_serve,
        "apigatewayv2",
        "create-domain-name",
        "--domain-name",
        "api.example.com",
        "--domain-name-configurations",
        f"CertificateArn={arn}",
    )
    assert domain["DomainName"] == "api.example.com"
    (config,) = domain["DomainNameConfigurations"]
    assert config["ApiGatewayDomainName"].startswith("d-")
    assert config["ApiGatewayDomainName"].endswith(".execute-api.us-east-1.amazonaws.com")
    assert config["CertificateArn"] == arn
    assert config["DomainNameStatus"] == "AVAILABLE"
    assert config["EndpointType"] == "REGIONAL"
    assert config["SecurityPolicy"] == "TLS_1_2"
    assert config["HostedZoneId"] == "Z1UJRXOUMOOFQ8"

    root = _aws(
        gwlab_serve,
        "apigatewayv2",
        "create-api-mapping",
        "--domain-name",
        "api.example.com",
        "--api-id",
        api_id,
        "--stage",
        "$default",
    )
    assert set(root) == {"ApiId", "ApiMappingId", "Stage"}
    assert (root["ApiId"], root["Stage"]) == (api_id, "$default")
    v1 = _aws(
        gwlab_serve,
        "apigatewayv2",
        "create-api-mapping",
        "--domain-name",
        "api.example.com",
        "--api-id",
        api_id,
        "--stage",
        "prod",
        "--api-mapping-key",
        "v1",
    )
    assert (v1["ApiMappingKey"], v1["Stage"]) == ("v1", "prod")

    # One shorthand argument (members joined by commas) is what the AWS CLI takes;
    # the seed lesson splits the members over several arguments, which it rejects.
    lesson_form = gwlab_serve.aws(
        "apigatewayv2",
        "update-api",
        "--api-id",
        api_id,
        "--cors-configuration",
        'AllowOrigins="https://example.com","http://localhost:3000"',
        'AllowMethods="GET","POST","PUT","DELETE"',
        'AllowHeaders="Content-Type","Authorization"',
        "MaxAge=86400",
    )
    assert lesson_form.returncode != 0
    assert "Unknown options" in lesson_form.stderr
    cors = _aws(
        gwlab_serve,
        "apigatewayv2",
        "update-api",
        "--api-id",
        api_id,
        "--cors-configuration",
        'AllowOrigins="https://example.com","http://localhost:3000",'
        'AllowMethods="GET","POST","PUT","DELETE",'
        'AllowHeaders="Content-Type","Authorization",MaxAge=86400',
    )
    assert cors["CorsConfiguration"] == {
        "AllowOrigins": ["https://example.com", "http://localhost:3000"],
        "AllowMethods": ["GET", "POST", "PUT", "DELETE"],
        "AllowHeaders": ["Content-Type", "Authorization"],
        "MaxAge": 86400,
    }


def test_cli_shows_aws_errors(gwlab_serve: Served) -> None:
    west = _aws(
        gwlab_serve,
        "acm",
        "request-certificate",
        "--domain-name",
        "api.example.com",
        "--validation-method",
        "DNS",
    )
    result = gwlab_serve.aws(
        "apigatewayv2",
        "create-domain-name",
        "--domain-name",
        "api.example.com",
        "--domain-name-configurations",
        f"CertificateArn={west['CertificateArn']}",
        "--region",
        "us-west-2",
    )
    assert result.returncode != 0
    assert "(BadRequestException)" in result.stderr
    assert "Certificate must be in 'us-west-2'." in result.stderr
