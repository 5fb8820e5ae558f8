"""The boto3 code of a step (gwlab.lab.code): from recorded calls, and from AWS CLI lines.

Written code must compile and, run against a fresh environment, build the same thing;
CLI lines are parsed by the real awscli (nothing is sent) into the calls they make.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gwlab.lab import Lab
from gwlab.lab.calls import Blob, Call
from gwlab.lab.code import CodeError, boto3_code, calls_from_cli
from gwlab.lab.session import close_session
from gwlab.lessons import LESSONS


@pytest.fixture
def lab(tmp_path: Path, kernel_session: None) -> Lab:
    return Lab("02", progress=tmp_path / "progress.json")


def one(line: str, region: str = "us-east-1") -> Call:
    (call,) = calls_from_cli(line, region=region)
    return call


# --- from recorded calls -------------------------------------------------------------------


def test_recorded_code_compiles_and_builds_the_same_stage_in_a_fresh_environment(
    lab: Lab, tmp_path: Path
) -> None:
    result = lab.run("create_stage", with_prerequisites=True)
    api_id = lab.ids["api_id"]
    code = boto3_code(result.calls, region=lab.env.region)
    assert code.splitlines() == [
        "apigatewayv2 = lab.env.client('apigatewayv2')",
        f"apigatewayv2.get_stages(ApiId={api_id!r})",
        f"apigatewayv2.create_stage(ApiId={api_id!r}, StageName='prod')",
    ]
    compile(code, "<card>", "exec")
    apigw = lab.env.client("apigatewayv2")
    made = apigw.get_stage(ApiId=api_id, StageName="prod")
    close_session()
    fresh = Lab("02", progress=tmp_path / "fresh.json")
    assert fresh.ids["api_id"] == api_id  # rebuilt from lesson 1, seeded: the same id
    stages = fresh.env.client("apigatewayv2").get_stages(ApiId=api_id)["Items"]
    assert "prod" not in [stage["StageName"] for stage in stages]
    exec(code, {"lab": fresh})
    again = fresh.env.client("apigatewayv2").get_stage(ApiId=api_id, StageName="prod")
    dates = ("CreatedDate", "LastUpdatedDate", "ResponseMetadata")
    assert {k: v for k, v in again.items() if k not in dates} == {
        k: v for k, v in made.items() if k not in dates
    }
    assert again["AutoDeploy"] is False and "DeploymentId" not in again


def test_code_names_other_regions_and_wraps_long_calls() -> None:
    calls = [
        Call("acm", "RequestCertificate", {"DomainName": "eu.example.com"}, region="us-west-2"),
        Call("apigatewayv2", "GetApis", {}, region="us-east-1"),
        Call("lambda", "UpdateFunctionCode", {"FunctionName": "f", "ZipFile": Blob("zip", 9)}),
        Call(
            "route53",
            "ChangeResourceRecordSets",
            {
                "HostedZoneId": "Z1",
                "ChangeBatch": {
                    "Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "a" * 40}}]
                },
            },
        ),
        Call("route53", "GetChange", {"Id": "C1"}, waiter="ResourceRecordSetsChanged"),
    ]
    code = boto3_code(calls, region="us-east-1")
    compile(code, "<card>", "exec")
    lines = code.splitlines()
    assert lines[:4] == [
        "acm_us_west_2 = lab.env.client('acm', region_name='us-west-2')",
        "apigatewayv2 = lab.env.client('apigatewayv2')",
        "lambda_ = lab.env.client('lambda')",  # ``lambda`` is a keyword
        "route53 = lab.env.client('route53')",
    ]
    assert "acm_us_west_2.request_certificate(DomainName='eu.example.com')" in lines
    assert "lambda_.update_function_code(" in lines
    assert "    ZipFile=open('function.zip', 'rb').read()," in lines
    assert "route53.change_resource_record_sets(" in lines and all(len(x) <= 88 for x in lines)
    assert lines[-1] == "route53.get_waiter('resource_record_sets_changed').wait(Id='C1')"
    assert boto3_code([]) == ""


def test_long_bytes_are_read_from_a_file_so_the_code_compiles() -> None:
    code = boto3_code(
        [Call("lambda", "Invoke", {"FunctionName": "f", "Payload": Blob("bytes", 99)})]
    )
    compile(code, "<card>", "exec")
    assert "Payload=open('data.bin', 'rb').read()" in code


# --- from AWS CLI lines --------------------------------------------------------------------


def test_every_cli_line_of_the_course_gives_its_calls_or_names_a_placeholder(
    tmp_path: Path, kernel_session: None
) -> None:
    """Each step's CLI line, with the lab's real ids, as the steps run one after another."""
    parsed = placeholders = 0
    for lesson in LESSONS:
        lab = Lab(lesson.id, progress=tmp_path / "progress.json")
        for step in lesson.steps:
            values: dict[str, object] = {}
            line = step.cli(lab.context(step.values(values, lab.context(values))))
            try:
                calls = calls_from_cli(line, region=lab.env.region)
            except CodeError as error:
                assert "placeholder to fill in" in str(error), (step.id, line, error)
                placeholders += 1
                calls = None
            result = lab.run(step.id, with_prerequisites=True, **values)
            assert result.status in ("passed", "manual"), (lesson.id, step.id, result)
            if calls is None:
                continue
            if not line.startswith("aws ") and " aws " not in line:
                assert calls == [], (step.id, line)  # curl, dig: no AWS call
                continue
            parsed += 1
            made = [call.operation for call in result.calls]
            for call in calls:
                assert call.operation in made, (lesson.id, step.id, line, made)
                compile(boto3_code(calls, region=lab.env.region), step.id, "exec")
                if call.waiter:
                    continue
                mine = next(c for c in result.calls if c.operation == call.operation)
                for name, value in call.params.items():  # what the step sent, by the CLI
                    if name in ("ZipFile", "Code"):  # a file the CLI reads; bytes the step sent
                        continue
                    assert mine.params.get(name) == value, (step.id, name, value, mine.params)
    assert parsed >= 20 and placeholders >= 3


def test_shorthand_and_json_arguments_give_the_same_parameters() -> None:
    shorthand = one(
        "aws apigatewayv2 update-stage --api-id a1 --stage-name prod "
        "--stage-variables TABLE=items,LOG_LEVEL=warn"
    )
    as_json = one(
        "aws apigatewayv2 update-stage --api-id a1 --stage-name prod "
        """--stage-variables '{"TABLE":"items","LOG_LEVEL":"warn"}'"""
    )
    assert (
        shorthand.params
        == as_json.params
        == {
            "ApiId": "a1",
            "StageName": "prod",
            "StageVariables": {"TABLE": "items", "LOG_LEVEL": "warn"},
        }
    )
    cors = one(
        "aws apigatewayv2 update-api --api-id a1 --cors-configuration "
        '\'AllowOrigins="https://example.com","http://localhost:3000",AllowMethods=GET,MaxAge=600\''
    )
    assert cors.operation == "UpdateApi" and cors.params["CorsConfiguration"] == {
        "AllowOrigins": ["https://example.com", "http://localhost:3000"],
        "AllowMethods": ["GET"],
        "MaxAge": 600,
    }
    batch = {"Changes": [{"Action": "DELETE", "ResourceRecordSet": {"Name": "x.example.com"}}]}
    line = "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch"
    change = one(f"{line} '{json.dumps(batch)}'")
    assert change.params == {"HostedZoneId": "Z1", "ChangeBatch": batch}


def test_a_dollar_stage_name_in_quotes_stays_as_written() -> None:
    call = one(
        "aws apigatewayv2 create-api-mapping --domain-name api.example.com "
        "--api-id a1 --stage '$default'"
    )
    assert call.params["Stage"] == "$default"
    assert "Stage='$default'" in boto3_code([call])


def test_fileb_is_read_by_the_code_and_file_is_read_as_the_cli_does(tmp_path: Path) -> None:
    create = one(
        "aws lambda create-function --function-name f --runtime python3.12 --handler app.handler "
        "--role arn:aws:iam::123456789012:role/r --zip-file fileb://build/function.zip"
    )
    assert repr(create.params["Code"]) == "{'ZipFile': open('build/function.zip', 'rb').read()}"
    update = one("aws lambda update-function-code --function-name f --zip-file fileb://f.zip")
    code = boto3_code([create, update])
    compile(code, "<card>", "exec")
    assert "ZipFile=open('f.zip', 'rb').read()" in code
    batch = {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "a.example.com"}}]}
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(batch))
    change = one(
        f"aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://{path}"
    )
    assert change.params["ChangeBatch"] == batch
    with pytest.raises(CodeError, match="Unable to load paramfile"):
        one(
            "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://nowhere.json"
        )


def test_region_waiters_continuations_and_several_commands() -> None:
    (acm, wait, stage) = calls_from_cli(
        "aws acm request-certificate --domain-name eu.example.com --validation-method DNS \\\n"
        "  --region eu-west-1 && aws route53 wait resource-record-sets-changed --id C1 ; "
        "curl -i https://api.example.com/ && aws apigatewayv2 get-stages --api-id a1"
    )
    assert (acm.operation, acm.region) == ("RequestCertificate", "eu-west-1")
    assert (wait.operation, wait.waiter, wait.params) == (
        "GetChange",
        "ResourceRecordSetsChanged",
        {"Id": "C1"},
    )
    assert (stage.operation, stage.region) == ("GetStages", "us-east-1")
    code = boto3_code([acm, wait, stage], region="us-east-1")
    assert "acm_eu_west_1 = lab.env.client('acm', region_name='eu-west-1')" in code
    assert calls_from_cli("curl -i https://api.example.com/ && dig api.example.com A") == []


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (
            "aws apigatewayv2 create-stage --api-id <api-id> --stage-name prod",
            "placeholder to fill in: <api-id>",
        ),
        ("aws apigatewayv2 get-stages --api-id $API_ID", "placeholder to fill in: $API_ID"),
        ("aws apigatewayv2 get-stages --api-id ${API_ID}", "placeholder to fill in: ${API_ID}"),
        ("aws apigatewayv2 get-stages --api-id a1 --stage x", "Unknown options: --stage, x"),
        (
            "aws apigatewayv2 get-stages --api-id a1 --output yaml",
            "argument --output: Invalid choice",
        ),
        ("aws apigatewayv2 get-stages", "the following arguments are required: --api-id"),
        ("aws apigatewayv2 frobnicate", "argument operation: Invalid choice"),
        (
            "aws route53 change-resource-record-sets --hosted-zone-id Z --change-batch '{bad'",
            "Error parsing parameter '--change-batch': Invalid JSON",
        ),
        ("aws apigatewayv2 get-stages --api-id 'a1", "cannot be split into words"),
    ],
)
def test_lines_that_cannot_be_written_as_code_say_why_in_one_line(line: str, says: str) -> None:
    with pytest.raises(CodeError) as raised:
        calls_from_cli(line)
    assert says in str(raised.value) and "\n" not in str(raised.value)


def test_a_call_repeated_in_a_row_is_written_once_with_how_many_times(
    tmp_path: Path, kernel_session: None
) -> None:
    """Lesson 6 polls GetChange until the change is INSYNC: one line, not one per poll."""
    lab = Lab("06", progress=tmp_path / "progress.json")
    result = lab.run("watch_propagation", with_prerequisites=True)
    polls = [call for call in result.calls if call.operation == "GetChange"]
    assert len(polls) >= 2
    code = boto3_code(result.calls, region=lab.env.region)
    compile(code, "<card>", "exec")
    (line,) = [line for line in code.splitlines() if ".get_change(" in line]
    assert line.endswith(f"  # made {len(polls)} times in a row")
    assert code.splitlines()[0] == "route53 = lab.env.client('route53')"
    other = Call("route53", "GetChange", {"Id": "C2"})
    assert boto3_code([*polls, other]).count(".get_change(") == 2  # another Id: its own line


def test_parsing_adds_no_logging_handler_and_reads_no_alias_file() -> None:
    """Each parse is awscli's main(): it must not pile handlers on the 'awscli' logger, nor
    expand a learner's ~/.aws/cli/alias (the driver reads a path that cannot exist)."""
    import logging
    import os

    from gwlab.lab.code import _the_driver

    before = os.environ.get("AWS_DATA_PATH")
    line = "aws apigatewayv2 get-apis"
    calls_from_cli(line)
    handlers = list(logging.getLogger("awscli").handlers)
    for _ in range(20):
        calls_from_cli(line)
    assert logging.getLogger("awscli").handlers == handlers
    assert os.environ.get("AWS_DATA_PATH") == before  # awscli's import is undone
    from awscli.alias import AliasLoader

    loader = _the_driver().alias_loader
    assert isinstance(loader, AliasLoader) and loader.get_aliases() == {}
    assert loader._filename.startswith(os.devnull)  # not ~/.aws/cli/alias
