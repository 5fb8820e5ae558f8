"""The real-AWS code paths, with the server backend standing in for AWS.

Everything here runs through ``backend="aws"`` exactly as in a real account —
opt-in, per-learner names, tags, the plan, manual checks, clean-up by tag —
except that ``$GWLAB_AWS_ENDPOINT_URL`` points the clients at a local server.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gwlab
from gwlab.lab import Lab
from gwlab.lab.session import close_session

from support import BIN

LAB_TAG = "gwlab:lab"


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[gwlab.LabEnv]:
    """The server backend playing AWS; the aws backend opted in and pointed at it."""
    close_session()
    with gwlab.start("server") as aws_itself:
        monkeypatch.setenv("GWLAB_ALLOW_REAL_AWS", "1")
        monkeypatch.setenv("GWLAB_AWS_ENDPOINT_URL", str(aws_itself.endpoint_url))
        monkeypatch.setenv("GWLAB_LEARNER", "ada")
        monkeypatch.setenv("GWLAB_DOMAIN", "class.example.org")
        monkeypatch.setenv("GWLAB_PROGRESS", str(tmp_path / "progress.json"))
        try:
            yield aws_itself
        finally:
            close_session()


def _names(items: list[dict[str, Any]], key: str) -> list[str]:
    return sorted(item[key] for item in items)


def test_the_plan_comes_first_and_names_the_account(
    stand_in: gwlab.LabEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = Lab("00", backend="aws")
    printed = capsys.readouterr().out
    assert printed.startswith(
        "Real AWS plan for learner ada: account 123456789012, region us-east-1"
    )
    assert "Lambda function: gwlab-ada-items (us-east-1)" in printed
    assert "api-ada.class.example.org" in printed and "Estimated cost: under $" in printed
    assert "gwlab cleanup --backend aws --learner ada" in printed
    assert any("real AWS account 123456789012" in n for n in lab.notices)
    Lab("00", backend="aws")
    assert capsys.readouterr().out == ""  # shown once per session


def test_resources_carry_the_learners_names_and_tags(stand_in: gwlab.LabEnv) -> None:
    lab = Lab("01", backend="aws")
    assert lab.run("deploy_function").passed
    assert lab.run("quick_create").passed
    function = stand_in.client("lambda").get_function(FunctionName="gwlab-ada-items")
    tags = stand_in.client("lambda").list_tags(Resource=function["Configuration"]["FunctionArn"])
    assert tags["Tags"] == {LAB_TAG: "apigw-http-stages-domains", "gwlab:learner": "ada"}
    apis = stand_in.client("apigatewayv2").get_apis()["Items"]
    assert [(a["Name"], a["Tags"].get("gwlab:learner")) for a in apis] == [
        ("gwlab-ada-items-api", "ada")
    ]
    role = stand_in.client("iam").get_role(RoleName="gwlab-ada-lambda-basic-execution")
    assert role["Role"]["RoleName"] == "gwlab-ada-lambda-basic-execution"


def test_what_only_the_emulator_can_do_becomes_a_manual_step(stand_in: gwlab.LabEnv) -> None:
    lab = Lab("01", backend="aws")
    result = lab.run("call_default_stage", with_prerequisites=True)
    assert result.status == "manual" and result.passed
    assert "there is no local gateway against real AWS" in result.message
    assert "curl -i https://" in result.message and "/items" in result.message
    stage = Lab("02", backend="aws").run("create_stage")
    assert stage.status == "manual"
    manual = [c for c in stage.checks if c.manual]
    assert [c.description for c in manual] == ["a request to the stage finds nothing to serve"]
    assert manual[0].actual.startswith("run curl -i https://") and "expect status 404" in (
        manual[0].actual
    )
    assert "☞" in repr(stage)


def test_a_custom_domain_lives_under_the_class_domain(stand_in: gwlab.LabEnv) -> None:
    lab = Lab("04", backend="aws")
    assert lab.run("request_certificate").passed
    assert lab.run("create_domain_name").passed
    domains = stand_in.client("apigatewayv2").get_domain_names()["Items"]
    assert _names(domains, "DomainName") == ["api-ada.class.example.org"]
    assert domains[0]["Tags"]["gwlab:learner"] == "ada"


def _cleanup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "gwlab"), "cleanup", "--backend", "aws", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
        timeout=120,
    )


def test_cleanup_deletes_only_tagged_resources_of_the_learner(stand_in: gwlab.LabEnv) -> None:
    ada = Lab("05", backend="aws")  # rebuilds lessons 1-4 under ada's names
    assert ada.run("map_root").passed
    close_session()
    os.environ["GWLAB_LEARNER"] = "bob"  # a second learner of the class (restored by monkeypatch)
    assert Lab("01", backend="aws").run("quick_create", with_prerequisites=True).passed
    # someone else's resources, untagged, in the same account
    apigw = stand_in.client("apigatewayv2")
    apigw.create_api(Name="not-the-labs", ProtocolType="HTTP")
    stand_in.client("route53").create_hosted_zone(Name="other.example", CallerReference="x")
    stand_in.client("iam").create_role(
        RoleName="not-the-labs",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )

    listed = _cleanup("--learner", "ada", "--dry-run")
    assert listed.returncode == 0, listed.stderr
    assert "(dry run: nothing deleted)" in listed.stdout
    kinds = [line.split()[0] for line in listed.stdout.splitlines()[3:]]
    assert {"api", "function", "role", "certificate", "domain_name", "api_mapping"} <= set(kinds)
    assert "not-the-labs" not in listed.stdout
    assert _names(apigw.get_apis()["Items"], "Name") == [
        "gwlab-ada-items-api",
        "gwlab-bob-items-api",
        "not-the-labs",
    ]

    deleted = _cleanup("--learner", "ada")
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert " failed" not in deleted.stdout
    assert _names(apigw.get_apis()["Items"], "Name") == ["gwlab-bob-items-api", "not-the-labs"]
    assert apigw.get_domain_names()["Items"] == []
    functions = stand_in.client("lambda").list_functions()["Functions"]
    assert _names(functions, "FunctionName") == ["gwlab-bob-items"]
    roles = _names(stand_in.client("iam").list_roles()["Roles"], "RoleName")
    assert "not-the-labs" in roles and "gwlab-ada-lambda-basic-execution" not in roles
    zones = stand_in.client("route53").list_hosted_zones()["HostedZones"]
    assert _names(zones, "Name") == ["other.example."]

    everyone = _cleanup()
    assert everyone.returncode == 0
    assert _names(apigw.get_apis()["Items"], "Name") == ["not-the-labs"]


def test_cleanup_refuses_without_the_opt_in(
    stand_in: gwlab.LabEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GWLAB_ALLOW_REAL_AWS")
    refused = _cleanup("--dry-run")
    assert refused.returncode == 2
    assert "Nothing has been sent to AWS" in refused.stderr
