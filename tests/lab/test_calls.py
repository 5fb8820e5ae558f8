"""The recorder of a step's AWS calls (gwlab.lab.calls), on real botocore clients.

A step's run records its action's calls, never its checks', another thread's or the
learner's own; secrets are hidden in aws mode, shown as ``<redacted>``. Calls that do
not reach the embedded AWS are answered by botocore's own Stubber or by a port nobody
listens on: no real AWS.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

import gwlab
from gwlab.lab import Lab
from gwlab.lab.calls import REDACTED, Blob, Call, clean, hook, recording
from gwlab.lab.session import close_session
from gwlab.ui import LessonPanel

ZIP = b"PK\x03\x04" + bytes(1230)


@pytest.fixture
def lab(tmp_path: Path, kernel_session: None) -> Lab:
    return Lab("02", progress=tmp_path / "progress.json")


def all_calls(client: Any) -> list[str]:
    """Every operation ``client`` makes from now on, recorded or not (a plain botocore hook)."""
    made: list[str] = []
    client.meta.events.register(
        "after-call", lambda model, **_: made.append(model.name), unique_id="test-all-calls"
    )
    return made


def offline_client(service: str, **config: Any) -> Any:
    """A real botocore client with fake credentials, for the Stubber (nothing is sent)."""
    return boto3.session.Session().client(
        service,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="not-a-secret",
        config=Config(**config) if config else None,
    )


@pytest.fixture
def sts() -> Iterator[tuple[Any, Stubber]]:
    client = hook(offline_client("sts"))
    with Stubber(client) as stubber:
        yield client, stubber


# --- a step's run ------------------------------------------------------------------------------


def test_a_run_records_its_actions_calls_with_params_and_responses(lab: Lab) -> None:
    lab.run("create_stage", with_prerequisites=True)  # builds the API, then the stage
    lab.env.client("apigatewayv2").delete_stage(ApiId=lab.ids["api_id"], StageName="prod")
    made = all_calls(lab.env.client("apigatewayv2"))
    result = lab.run("create_stage")
    assert result.passed
    operations = [call.operation for call in result.calls]
    assert operations == ["GetStages", "CreateStage"]
    create = result.calls[-1]
    assert create.service == "apigatewayv2" and create.method == "create_stage"
    assert create.params == {"ApiId": lab.ids["api_id"], "StageName": "prod"}
    assert create.response is not None and create.response["StageName"] == "prod"
    assert "ResponseMetadata" not in create.response
    assert create.region == "us-east-1" and not create.failed
    # The checks read the stage too: those calls were made, and not recorded.
    assert made[: len(operations)] == operations and len(made) > len(operations)


def test_an_aws_error_is_recorded_with_its_code_and_message(
    tmp_path: Path, kernel_session: None
) -> None:
    lab = Lab("03", progress=tmp_path / "progress.json")
    result = lab.run("not_for_secrets", with_prerequisites=True)
    assert result.passed and "BadRequestException" in result.message
    (call,) = result.calls
    assert call.operation == "UpdateStage" and call.failed and call.response is None
    assert call.error_code == "BadRequestException"
    assert call.error_message and call.error_message in result.message
    assert call.params["StageVariables"] == {"DB_PASSWORD": "p@ss word!"}  # not aws mode


def test_prerequisites_keep_their_own_calls(lab: Lab) -> None:
    result = lab.run("deploy_stage", with_prerequisites=True)
    assert [call.operation for call in result.calls] == ["CreateDeployment"]


def test_the_learners_own_calls_are_not_recorded(lab: Lab) -> None:
    first = lab.run("create_stage", with_prerequisites=True)
    apigw = lab.env.client("apigatewayv2")  # the same client the step used, hooked
    apigw.get_apis()
    apigw.get_stages(ApiId=lab.ids["api_id"])
    assert [call.operation for call in first.calls] == ["GetStages", "CreateStage"]
    again = lab.run("deploy_stage")
    assert [call.operation for call in again.calls] == ["CreateDeployment"]


def test_calls_of_other_threads_are_not_recorded(lab: Lab) -> None:
    apigw = hook(lab.env.client("apigatewayv2"))
    with recording() as recorded:
        other = threading.Thread(target=apigw.get_apis)
        other.start()
        other.join()
        assert recorded == []
        apigw.get_apis()
    assert [call.operation for call in recorded] == ["GetApis"]


def test_a_gateway_request_made_by_a_step_records_no_call(lab: Lab) -> None:
    lab.run("deploy_stage", with_prerequisites=True)
    made = all_calls(lab.env.client("apigatewayv2"))
    with recording() as recorded:
        response = lab.request("GET", lab.url("/prod/items"))
    assert response.status in (200, 404)
    assert recorded == [] and made == []


def test_hooking_a_client_twice_records_each_call_once(lab: Lab) -> None:
    apigw = lab.env.client("apigatewayv2")
    assert hook(hook(apigw)) is apigw
    with recording() as recorded:
        apigw.get_apis()
    assert len(recorded) == 1


def test_nested_recordings_each_get_their_own_calls(lab: Lab) -> None:
    apigw = hook(lab.env.client("apigatewayv2"))
    with recording() as outer:
        apigw.get_apis()
        with recording() as inner:
            apigw.get_domain_names()
        apigw.get_apis()
    assert [c.operation for c in inner] == ["GetDomainNames"]
    assert [c.operation for c in outer] == ["GetApis", "GetApis"]


# --- what is kept: secrets, bytes, dates -------------------------------------------------------


def test_clean_redacts_secret_names_only_when_asked() -> None:
    value = {
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE",
            "SecretAccessKey": "wJalrXUtnFEMI",
            "SessionToken": "FwoGZXIvYXdz",
        },
        "Items": [{"Password": "hunter2", "Name": "db"}],
        "Authorization": "AWS4-HMAC-SHA256 Signature=abc",
        "private_key": "-----BEGIN",
        "StageName": "prod",
        # Names that only mention a secret: shown.
        "SecretId": "db",
        "NextToken": "abc",
        "CorsConfiguration": {"AllowCredentials": True},
        "AuthorizationType": "NONE",
    }
    redacted = clean(value, redact=True)
    assert redacted == {
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE",
            "SecretAccessKey": REDACTED,
            "SessionToken": REDACTED,
        },
        "Items": [{"Password": REDACTED, "Name": "db"}],
        "Authorization": REDACTED,
        "private_key": REDACTED,
        "StageName": "prod",
        "SecretId": "db",
        "NextToken": "abc",
        "CorsConfiguration": {"AllowCredentials": True},
        "AuthorizationType": "NONE",
    }
    assert clean(value) == value


def test_clean_makes_bytes_dates_and_streams_short_and_deterministic() -> None:
    when = datetime(2026, 3, 12, 19, 3, 58, tzinfo=timezone.utc)
    cleaned = clean(
        {
            "ZipFile": ZIP,
            "Payload": b"x" * 100,
            "Small": b"hello",
            "When": when,
            "Tuple": (1, 2),
            "Nothing": None,
        }
    )
    assert cleaned == {
        "ZipFile": Blob("zip", len(ZIP)),
        "Payload": Blob("bytes", 100),
        "Small": b"hello",
        "When": "2026-03-12T19:03:58+00:00",
        "Tuple": [1, 2],
        "Nothing": None,
    }
    assert repr(cleaned["ZipFile"]) == "<zip, 1,234 bytes>"
    assert repr(cleaned["Payload"]) == "<bytes, 100 bytes>"
    assert clean(cleaned) == cleaned  # cleaning twice changes nothing


def test_the_recorder_redacts_a_response_in_aws_mode(sts: tuple[Any, Stubber]) -> None:
    client, stubber = sts
    answer = {
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE",
            "SecretAccessKey": "wJalrXUtnFEMI",
            "SessionToken": "FwoGZXIvYXdz",
            "Expiration": datetime(2026, 1, 1, tzinfo=timezone.utc),
        }
    }
    stubber.add_response("get_session_token", answer, {"DurationSeconds": 900})
    stubber.add_response("get_session_token", answer, {"DurationSeconds": 900})
    with recording(redact=True) as redacted:
        client.get_session_token(DurationSeconds=900)
    with recording() as shown:
        client.get_session_token(DurationSeconds=900)
    (call,) = redacted
    assert call.operation == "GetSessionToken" and call.params == {"DurationSeconds": 900}
    assert call.response == {
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE",
            "SecretAccessKey": REDACTED,
            "SessionToken": REDACTED,
            "Expiration": "2026-01-01T00:00:00+00:00",
        }
    }
    assert shown[0].response["Credentials"]["SecretAccessKey"] == "wJalrXUtnFEMI"  # type: ignore[index]
    assert "wJalrXUtnFEMI" not in repr(redacted) and "Signature" not in repr(redacted)


def test_the_recorder_redacts_secret_parameters_in_aws_mode() -> None:
    client = hook(offline_client("secretsmanager"))
    with Stubber(client) as stubber:
        stubber.add_response("create_secret", {"Name": "db"}, {"Name": "db", "SecretString": "pw"})
        with recording(redact=True) as recorded:
            client.create_secret(Name="db", SecretString="pw")
    assert recorded[0].params == {"Name": "db", "SecretString": REDACTED}


def test_a_stubbed_aws_error_is_recorded(sts: tuple[Any, Stubber]) -> None:
    client, stubber = sts
    stubber.add_client_error(
        "get_caller_identity",
        "ExpiredToken",
        "The security token included in the request is expired",
    )
    with recording() as recorded, pytest.raises(client.exceptions.ClientError):
        client.get_caller_identity()
    assert recorded == [
        Call(
            "sts",
            "GetCallerIdentity",
            {},
            None,
            "ExpiredToken",
            "The security token included in the request is expired",
            "us-east-1",
        )
    ]


def test_a_connection_error_is_recorded_as_an_error() -> None:
    client = hook(
        boto3.session.Session().client(
            "apigatewayv2",
            region_name="us-east-1",
            endpoint_url="http://127.0.0.1:9",  # discard port: nothing listens
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="not-a-secret",
            config=Config(retries={"total_max_attempts": 1}, connect_timeout=2),
        )
    )
    with recording() as recorded, pytest.raises(Exception, match="Could not connect"):
        client.get_apis()
    (call,) = recorded
    assert call.operation == "GetApis" and call.error_code == "EndpointConnectionError"
    assert "127.0.0.1:9" in call.error_message


def test_a_zip_parameter_is_recorded_by_its_size() -> None:
    client = hook(offline_client("lambda"))
    with Stubber(client) as stubber:
        stubber.add_response(
            "update_function_code",
            {"FunctionName": "f", "LastModified": "2026-01-01T00:00:00.000+0000"},
            {"FunctionName": "f", "ZipFile": ZIP},
        )
        with recording() as recorded:
            client.update_function_code(FunctionName="f", ZipFile=ZIP)
    assert recorded[0].params == {"FunctionName": "f", "ZipFile": Blob("zip", 1234)}
    assert "<zip, 1,234 bytes>" in repr(recorded[0].params)


def test_a_global_service_names_no_region(lab: Lab) -> None:
    route53 = hook(lab.env.client("route53"))
    with recording() as recorded:
        route53.list_hosted_zones()
    assert recorded[0].region == ""


def test_in_aws_mode_a_secret_sent_by_a_step_is_not_shown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kernel_session: None
) -> None:
    """The aws backend (the server backend standing in for AWS): the step's run redacts."""
    with gwlab.start("server") as aws_itself:
        monkeypatch.setenv("GWLAB_ALLOW_REAL_AWS", "1")
        monkeypatch.setenv("GWLAB_AWS_ENDPOINT_URL", str(aws_itself.endpoint_url))
        monkeypatch.setenv("GWLAB_LEARNER", "ada")
        monkeypatch.setenv("GWLAB_DOMAIN", "class.example.org")
        lab = Lab("03", backend="aws", progress=tmp_path / "progress.json")
        assert lab.env.backend == "aws"
        lab.run("set_prod_variables", with_prerequisites=True)
        card = next(c for c in LessonPanel(lab).cards if c.step.id == "not_for_secrets")
        card.run_button.click()
        (call,) = card.calls
        assert call.params["StageVariables"] == {"DB_PASSWORD": REDACTED}
        assert call.error_code == "BadRequestException"
        assert "DB_PASSWORD&#x27;: &#x27;&lt;redacted&gt;&#x27;" in card.text.value  # the code
        close_session()


def test_deploying_a_function_records_its_iam_and_lambda_calls(
    tmp_path: Path, kernel_session: None
) -> None:
    """Lesson 1's deploy step goes through the step's clients: its first run lists every call."""
    lab = Lab("01", progress=tmp_path / "progress.json")
    lab.reset()  # a fresh backend: the role and the function do not exist yet
    result = lab.run("deploy_function")
    assert result.passed, result.message
    made = [(call.service, call.operation) for call in result.calls]
    assert ("iam", "CreateRole") in made
    assert ("lambda", "CreateFunction") in made
