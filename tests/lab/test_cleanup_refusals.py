"""Clean-up deletes in an order AWS accepts, now that the emulator refuses the rest.

AWS refuses to delete an API or a stage an API mapping uses, and a certificate a
custom domain name uses (AWS_FACTS, second audit). The whole course is built in
each backend (and once more with the server playing real AWS), those refusals
are shown to hold for what it built, and then ``lab.cleanup()`` (and
``gwlab cleanup``) must delete every row without one refusal.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

import gwlab
from gwlab.lab import Lab
from gwlab.lab.cleanup import ORDER
from gwlab.lessons import LESSONS

from support import BIN

#: The course's main custom domain name, in the embedded and server backends.
DOMAIN = "api.example.com"


def _build_course(progress: Path) -> Lab:
    """Run every step of every lesson with its solution, as ``gwlab run`` does."""
    lab = None
    for lesson in LESSONS:
        lab = Lab(lesson.id, progress=progress)
        for step in lesson.steps:
            result = lab.run(step.id)
            assert result.passed, repr(result)
    assert lab is not None
    return lab


def _everything(env: gwlab.LabEnv) -> dict[str, Any]:
    """What the backend holds, in both regions the course uses."""
    apigw = env.client("apigatewayv2")
    held: dict[str, Any] = {
        "apis": sorted(
            (a["ApiId"], tuple(s["StageName"] for s in apigw.get_stages(ApiId=a["ApiId"])["Items"]))
            for a in apigw.get_apis()["Items"]
        ),
        "domains": sorted(
            (d["DomainName"], len(apigw.get_api_mappings(DomainName=d["DomainName"])["Items"]))
            for d in apigw.get_domain_names()["Items"]
        ),
    }
    for region in ("us-east-1", "us-west-2"):
        listed = env.client("acm", region).list_certificates()["CertificateSummaryList"]
        held[f"certificates {region}"] = sorted(c["CertificateArn"] for c in listed)
    held["functions"] = sorted(
        f["FunctionName"] for f in env.client("lambda").list_functions()["Functions"]
    )
    zones = env.client("route53").list_hosted_zones()["HostedZones"]
    held["zones"] = sorted(z["Name"] for z in zones)
    return held


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return str(raised.value.response["Error"]["Code"])


@pytest.fixture(params=["embedded", "server"])
def course_env(request: pytest.FixtureRequest, kernel_session: None) -> Iterator[gwlab.LabEnv]:
    with gwlab.start(request.param) as env:
        yield env


def test_cleanup_of_the_whole_course_is_never_refused(
    course_env: gwlab.LabEnv, tmp_path: Path
) -> None:
    lab = _build_course(tmp_path / "progress.json")
    apigw = course_env.client("apigatewayv2")

    # What the course built is held by its mappings and domain names, as on AWS.
    mapping = apigw.get_api_mappings(DomainName=DOMAIN)["Items"][0]
    config = apigw.get_domain_name(DomainName=DOMAIN)["DomainNameConfigurations"][0]
    before = _everything(course_env)
    assert _refused(apigw.delete_api, ApiId=mapping["ApiId"]) == "BadRequestException"
    assert (
        _refused(apigw.delete_stage, ApiId=mapping["ApiId"], StageName=mapping["Stage"])
        == "BadRequestException"
    )
    acm = course_env.client("acm")
    assert (
        _refused(acm.delete_certificate, CertificateArn=config["CertificateArn"])
        == "ResourceInUseException"
    )
    assert _everything(course_env) == before

    table = lab.cleanup()
    refused = table[table["outcome"] != "deleted"]
    assert refused.empty, refused.to_string()
    kinds = list(table["kind"])
    assert kinds == sorted(kinds, key=ORDER.index), "deleted out of dependency order"
    assert {"api_mapping", "domain_name", "api", "certificate"} <= set(kinds)
    left = _everything(course_env)
    assert [k for k, v in left.items() if v] == [], left


def test_a_mapping_made_outside_the_lab_holds_its_api_and_the_row_says_why(
    course_env: gwlab.LabEnv, tmp_path: Path
) -> None:
    """Clean-up deletes only what the lab made: the API a learner's own mapping uses stays."""
    lab = Lab("05-api-mappings", progress=tmp_path / "progress.json")
    assert lab.run("map_root", with_prerequisites=True).passed
    apigw, acm = course_env.client("apigatewayv2"), course_env.client("acm")
    (api,) = apigw.get_apis()["Items"]
    own = "mine.example.com"
    arn = acm.request_certificate(DomainName=own, ValidationMethod="DNS")["CertificateArn"]
    apigw.create_domain_name(DomainName=own, DomainNameConfigurations=[{"CertificateArn": arn}])
    apigw.create_api_mapping(DomainName=own, ApiId=api["ApiId"], Stage="$default")

    table = lab.cleanup()
    failed = table[table["outcome"] != "deleted"]
    assert list(failed["kind"]) == ["api"]
    assert list(failed["outcome"]) == [
        f"failed: BadRequestException: Deleting API {api['ApiId']} failed. Please remove all "
        "API mappings for the API from your custom domain names."
    ]
    assert [a["ApiId"] for a in apigw.get_apis()["Items"]] == [api["ApiId"]]
    assert [d["DomainName"] for d in apigw.get_domain_names()["Items"]] == [own]
    listed = acm.list_certificates()["CertificateSummaryList"]
    assert [c["CertificateArn"] for c in listed] == [arn]  # the lab's certificates are gone

    # Once the learner removes their mapping, the next clean-up deletes what was refused.
    (mapping,) = apigw.get_api_mappings(DomainName=own)["Items"]
    apigw.delete_api_mapping(DomainName=own, ApiMappingId=mapping["ApiMappingId"])
    again = lab.cleanup()
    assert list(zip(again["kind"], again["outcome"], strict=True)) == [("api", "deleted")]
    assert apigw.get_apis()["Items"] == []
    assert lab.cleanup().empty  # nothing left to retry


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch, kernel_session: None) -> Iterator[gwlab.LabEnv]:
    """The server backend playing AWS for the ``aws`` backend (as in test_real_aws_mode)."""
    with gwlab.start("server") as aws_itself:
        monkeypatch.setenv("GWLAB_ALLOW_REAL_AWS", "1")
        monkeypatch.setenv("GWLAB_AWS_ENDPOINT_URL", str(aws_itself.endpoint_url))
        monkeypatch.setenv("GWLAB_LEARNER", "ada")
        monkeypatch.setenv("GWLAB_DOMAIN", "class.example.org")
        yield aws_itself


def test_gwlab_cleanup_of_the_whole_course_is_never_refused(
    stand_in: gwlab.LabEnv, tmp_path: Path
) -> None:
    """``gwlab cleanup --backend aws`` after every lesson: each tagged resource deleted."""
    from gwlab.lab.session import close_session

    for lesson in LESSONS:
        lab = Lab(lesson.id, backend="aws", progress=tmp_path / "progress.json")
        for step in lesson.steps:
            lab.run(step.id)  # some are manual against AWS
    close_session()
    apigw = stand_in.client("apigatewayv2")
    domain = "api-ada.class.example.org"
    mapping = apigw.get_api_mappings(DomainName=domain)["Items"][0]
    config = apigw.get_domain_name(DomainName=domain)["DomainNameConfigurations"][0]
    before = _everything(stand_in)
    assert _refused(apigw.delete_api, ApiId=mapping["ApiId"]) == "BadRequestException"
    certificate = config["CertificateArn"]
    acm = stand_in.client("acm")
    assert _refused(acm.delete_certificate, CertificateArn=certificate) == (
        "ResourceInUseException"
    )
    assert _everything(stand_in) == before

    done = subprocess.run(
        [str(BIN / "gwlab"), "cleanup", "--backend", "aws", "--learner", "ada"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[3:] if line.strip()]
    assert rows and all(row[3] == "deleted" for row in rows), done.stdout
    assert {"api_mapping", "domain_name", "api", "certificate"} <= {row[0] for row in rows}
    left = _everything(stand_in)
    assert [k for k, v in left.items() if v] == [], left
