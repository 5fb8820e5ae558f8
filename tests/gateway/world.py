"""A small world of APIs, stages, domains and functions the gateway tests send requests to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import gwlab
from gwlab.functions import deploy_function

ECHO = """
import json
def handler(event, context):
    print("handled", event["routeKey"])
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json", "x-function": context.function_name},
        "body": json.dumps({"routeKey": event["routeKey"], "rawPath": event["rawPath"]}),
    }
"""

FUNCTIONS = {
    "echo": ECHO,
    "bare": "def handler(event, context):\n    return ['a', 1]\n",
    "text": "def handler(event, context):\n    return 'hello'\n",
    "raises": "def handler(event, context):\n    raise ValueError('boom from the learner')\n",
    "malformed": "def handler(event, context):\n    return {'statusCode': 'abc'}\n",
    "unserializable": (
        "def handler(event, context):\n    return {'statusCode': 200, 'body': object()}\n"
    ),
    "cookies": (
        "def handler(event, context):\n"
        "    return {'statusCode': 201, 'cookies': ['a=1', 'b=2'], 'body': 'made',\n"
        "            'headers': {'Access-Control-Allow-Origin': '*', 'x-n': 5}}\n"
    ),
    "prod-items": "def handler(event, context):\n    return {'table': 'prod'}\n",
    "dev-items": "def handler(event, context):\n    return {'table': 'dev'}\n",
}

LESSON_CORS = {
    "AllowOrigins": ["https://example.com", "http://localhost:3000"],
    "AllowMethods": ["GET", "POST", "PUT", "DELETE"],
    "AllowHeaders": ["Content-Type", "Authorization"],
    "MaxAge": 86400,
}


@dataclass
class World:
    """Ids of what :func:`build` made."""

    env: gwlab.LabEnv
    quick: str  # quick-created API: $default route and stage; stages prod (deployed), dev (auto)
    routed: str  # explicit routes, stage prod (deployed), lesson CORS
    anyroute: str  # ANY /items, stage $default (auto), lesson CORS
    hidden: str  # disableExecuteApiEndpoint; quick-created ($default route) with lesson CORS
    arns: dict[str, str]

    def url(self, api_id: str, path: str) -> str:
        """The execute-api URL of ``path`` on ``api_id``."""
        return f"https://{api_id}.execute-api.us-east-1.amazonaws.com{path}"


def _integration(apigw: Any, api_id: str, arn: str) -> str:
    created = apigw.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=arn, PayloadFormatVersion="2.0"
    )
    return f"integrations/{created['IntegrationId']}"


def build(env: gwlab.LabEnv) -> World:
    """Create the world in ``env`` with plain boto3 calls."""
    arns = {
        name: deploy_function(env, name, code)["FunctionArn"] for name, code in FUNCTIONS.items()
    }
    apigw = env.client("apigatewayv2")

    quick = apigw.create_api(Name="quick", ProtocolType="HTTP", Target=arns["echo"])["ApiId"]
    apigw.create_stage(ApiId=quick, StageName="prod", StageVariables={"TABLE_NAME": "t-prod"})
    apigw.create_deployment(ApiId=quick, StageName="prod")
    apigw.create_stage(ApiId=quick, StageName="dev", AutoDeploy=True)
    apigw.create_stage(ApiId=quick, StageName="never")

    routed = apigw.create_api(Name="routed", ProtocolType="HTTP", CorsConfiguration=LESSON_CORS)[
        "ApiId"
    ]
    echo = _integration(apigw, routed, arns["echo"])
    for key in [
        "GET /items",
        "GET /items/{id}",
        "ANY /items/{id}",
        "GET /items/special",
        "GET /files/{proxy+}",
        "POST /items",
    ]:
        apigw.create_route(ApiId=routed, RouteKey=key, Target=echo)
    for name in ["bare", "text", "raises", "malformed", "unserializable", "cookies"]:
        apigw.create_route(
            ApiId=routed, RouteKey=f"GET /{name}", Target=_integration(apigw, routed, arns[name])
        )
    staged = apigw.create_integration(
        ApiId=routed,
        IntegrationType="AWS_PROXY",
        PayloadFormatVersion="2.0",
        IntegrationUri="arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.env}-items",
    )
    apigw.create_route(
        ApiId=routed, RouteKey="GET /table", Target=f"integrations/{staged['IntegrationId']}"
    )
    apigw.create_stage(ApiId=routed, StageName="prod", StageVariables={"env": "prod"})
    apigw.create_stage(ApiId=routed, StageName="dev", StageVariables={"env": "dev"})
    apigw.create_deployment(ApiId=routed, StageName="prod")
    apigw.update_stage(ApiId=routed, StageName="dev", AutoDeploy=True)

    anyroute = apigw.create_api(Name="any", ProtocolType="HTTP", CorsConfiguration=LESSON_CORS)[
        "ApiId"
    ]
    apigw.create_route(
        ApiId=anyroute, RouteKey="ANY /items", Target=_integration(apigw, anyroute, arns["echo"])
    )
    apigw.create_stage(ApiId=anyroute, StageName="$default", AutoDeploy=True)

    hidden = apigw.create_api(
        Name="hidden",
        ProtocolType="HTTP",
        Target=arns["echo"],
        DisableExecuteApiEndpoint=True,
        CorsConfiguration=LESSON_CORS,
    )["ApiId"]

    certificate = env.client("acm").request_certificate(
        DomainName="*.example.com", ValidationMethod="DNS"
    )["CertificateArn"]
    for domain, mappings in {
        "api.example.com": [
            ("", quick, "$default"),
            ("v1", routed, "prod"),
            ("orders/v1", routed, "dev"),
        ],
        "hidden.example.com": [("", hidden, "$default")],
        "nomap.example.com": [],
        "rootless.example.com": [("v1", routed, "prod")],
    }.items():
        apigw.create_domain_name(
            DomainName=domain, DomainNameConfigurations=[{"CertificateArn": certificate}]
        )
        for key, api_id, stage in mappings:
            apigw.create_api_mapping(
                DomainName=domain, ApiId=api_id, Stage=stage, ApiMappingKey=key
            )
    return World(env, quick, routed, anyroute, hidden, arns)


def body(response: Any) -> Any:
    """The JSON body of a gateway response."""
    return json.loads(response.body)
