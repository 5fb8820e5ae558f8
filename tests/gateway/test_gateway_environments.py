"""Gateway behaviour that needs its own environment: both backends, live edits, functions."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import zipfile
from pathlib import Path

import pytest

import gwlab
from gwlab.functions import deploy_function
from gwlab.gateway.runtime import find_function

from test_gateway_behaviour import CASES, fill
from world import build


def test_server_backend_answers_the_same(env: gwlab.LabEnv) -> None:
    """The gateway reads the same state when moto is served over HTTP."""
    world = build(env)
    for case in CASES[:6]:
        response = env.gateway.request(
            case.method, fill(case.url, world), headers=case.request_headers
        )
        assert response.status == case.status, (env.backend, case.id)


def test_unknown_host_is_a_clear_error(env: gwlab.LabEnv) -> None:
    with pytest.raises(gwlab.GwlabError, match="no API or custom domain name answers for host"):
        env.gateway.request("GET", "https://nowhere.example.com/items")
    with pytest.raises(gwlab.GwlabError, match="no API or custom domain name"):
        env.gateway.request("GET", "https://abcdef1234.execute-api.us-east-1.amazonaws.com/")


@pytest.mark.parametrize("url", ["api.example.com/items", "ftp://api.example.com/x", ""])
def test_unreadable_url_is_a_clear_error(env: gwlab.LabEnv, url: str) -> None:
    with pytest.raises(gwlab.GwlabError, match="not a full http"):
        env.gateway.request("GET", url)


def test_a_stage_serves_its_deployment_not_live_edits(env: gwlab.LabEnv) -> None:
    world = build(env)
    apigw = env.client("apigatewayv2")
    target = apigw.get_routes(ApiId=world.routed)["Items"][0]["Target"]
    apigw.create_route(ApiId=world.routed, RouteKey="GET /new", Target=target)
    prod, dev = world.url(world.routed, "/prod/new"), world.url(world.routed, "/dev/new")
    assert env.gateway.request("GET", prod).status == 404
    assert env.gateway.request("GET", dev).status == 200  # auto-deploy
    apigw.create_deployment(ApiId=world.routed, StageName="prod")
    assert env.gateway.request("GET", prod).status == 200


def test_the_served_cors_configuration_is_the_deployed_one(env: gwlab.LabEnv) -> None:
    world = build(env)
    apigw = env.client("apigatewayv2")
    apigw.update_api(
        ApiId=world.routed, CorsConfiguration={"AllowOrigins": ["https://new.example"]}
    )
    headers = (("Origin", "https://new.example"),)

    def allowed(stage: str) -> bool:
        response = env.gateway.request(
            "GET", world.url(world.routed, f"/{stage}/items"), headers=headers
        )
        return "access-control-allow-origin" in response.headers

    assert not allowed("prod") and allowed("dev")
    apigw.create_deployment(ApiId=world.routed, StageName="prod")
    assert allowed("prod")


def test_function_code_updates_and_learner_errors_never_crash(env: gwlab.LabEnv) -> None:
    world = build(env)
    url = world.url(world.routed, "/prod/bare")
    assert json.loads(env.gateway.request("GET", url).body) == ["a", 1]
    deploy_function(env, "bare", "def handler(event, context):\n    return ['b']\n")
    assert json.loads(env.gateway.request("GET", url).body) == ["b"]
    deploy_function(env, "bare", "def handler(event, context:\n")  # a syntax error
    broken = env.gateway.request("GET", url)
    assert broken.status == 500
    assert "SyntaxError" in repr(broken.trace)
    deploy_function(env, "bare", "import json\n", handler="app.missing")
    assert "Handler 'missing' missing" in repr(env.gateway.request("GET", url).trace)


def test_functions_are_cached_by_the_digest_moto_keeps_of_their_zip(env: gwlab.LabEnv) -> None:
    """The runtime keys loaded code on ``code_digest``: the hex sha256 of the stored zip."""
    for source in ("def handler(event, context):\n    return 1\n", "X = 2\n"):
        arn = deploy_function(env, "digest", source)["FunctionArn"]
        function = find_function(arn, env.gateway.account_id)
        assert function.code_digest == hashlib.sha256(function.code_bytes).hexdigest()


def test_functions_run_isolated_with_context_and_environment(env: gwlab.LabEnv) -> None:
    source = {
        "app.py": (
            "import os, helper\n"
            "def handler(event, context):\n"
            "    left = context.get_remaining_time_in_millis() > 0\n"
            "    return {'name': context.function_name, 'left': left,\n"
            "            'table': os.environ['TABLE'], 'helper': helper.VALUE}\n"
        ),
        "helper.py": "VALUE = 'from the zip'\n",
    }
    arn = deploy_function(env, "ctx", source, environment={"TABLE": "items"})["FunctionArn"]
    api = env.client("apigatewayv2").create_api(Name="c", ProtocolType="HTTP", Target=arn)
    response = env.gateway.request(
        "GET", f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/"
    )
    assert response.json() == {
        "name": "ctx",
        "left": True,
        "table": "items",
        "helper": "from the zip",
    }
    assert "helper" not in sys.modules and "TABLE" not in os.environ


def test_a_handler_in_a_package_is_saved_where_lambda_looks_for_it(env: gwlab.LabEnv) -> None:
    source = "def handler(event, context):\n    return {'from': __name__}\n"
    arn = deploy_function(env, "nested", source, handler="src.items.handler")["FunctionArn"]
    function = find_function(arn, env.gateway.account_id)
    with zipfile.ZipFile(io.BytesIO(function.code_bytes)) as archive:
        assert archive.namelist() == ["src/items.py"]
    api = env.client("apigatewayv2").create_api(Name="n", ProtocolType="HTTP", Target=arn)
    response = env.gateway.request(
        "GET", f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/"
    )
    assert response.status == 200 and response.json() == {"from": "src.items"}  # Lambda's name


def test_trace_reprs_are_deterministic(env: gwlab.LabEnv) -> None:
    world = build(env)
    first = env.gateway.request("GET", "https://api.example.com/v1/items")
    second = env.gateway.request("GET", "https://api.example.com/v1/items")
    assert repr(first.trace) == repr(second.trace)
    assert first.trace._repr_html_() == second.trace._repr_html_()
    assert first.trace.stages == [
        "host",
        "mapping",
        "deployment",
        "route",
        "integration",
        "function",
        "response",
    ]
    assert world.routed in repr(first.trace)


def test_a_handler_written_to_disk_and_deployed_with_plain_boto3(
    env: gwlab.LabEnv, tmp_path: Path
) -> None:
    """What a learner does with %%writefile and boto3 — no gwlab helper involved."""
    (tmp_path / "handler.py").write_text(
        "def lambda_handler(event, context):\n"
        "    return {'statusCode': 200, 'body': 'stage=' + event['requestContext']['stage']}\n"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(tmp_path / "handler.py", "handler.py")
    role = env.client("iam").create_role(
        RoleName="learner-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    function = env.client("lambda").create_function(
        FunctionName="learner",
        Runtime="python3.12",
        Role=role,
        Handler="handler.lambda_handler",
        Code={"ZipFile": archive.getvalue()},
    )
    api = env.client("apigatewayv2").create_api(
        Name="l", ProtocolType="HTTP", Target=function["FunctionArn"]
    )
    response = env.gateway.request(
        "GET", f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/hello"
    )
    assert (response.status, response.text) == (200, "stage=$default")


def test_two_functions_with_the_same_module_names_do_not_collide(env: gwlab.LabEnv) -> None:
    apigw = env.client("apigatewayv2")
    for value in ("one", "two"):
        source = {
            "app.py": "import helper\ndef handler(event, context):\n    return helper.VALUE\n",
            "helper.py": f"VALUE = {value!r}\n",
        }
        arn = deploy_function(env, f"fn-{value}", source)["FunctionArn"]
        api = apigw.create_api(Name=value, ProtocolType="HTTP", Target=arn)["ApiId"]
        url = f"https://{api}.execute-api.us-east-1.amazonaws.com/"
        assert env.gateway.request("GET", url).json() == value
