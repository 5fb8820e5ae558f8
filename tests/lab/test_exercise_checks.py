"""What the generic exercise test does not cover, lesson by lesson (issue 19 section 3).

The generic test (test_exercise_solutions.py) proves each exercise's solution and
mistakes. Here: the same results seen from outside the lab (a real DNS query over UDP,
a real CORS preflight over HTTP with curl), results made another way than the reference
solution (a wildcard certificate), DNS that has not caught up yet, a setup the learner
breaks after passing, and clean-up deleting what the learner made.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import dns.message
import dns.query
import pytest

from gwlab.lab import Lab
from gwlab.lab.exercise import Exercise, boto3_solution
from gwlab.lab.session import close_session
from gwlab.lessons import common
from gwlab.lessons.l01_default_stage import SECOND_API
from gwlab.lessons.l03_stage_variables import TRACE_LEVEL
from gwlab.lessons.l04_custom_domain import WWW_CERTIFICATE
from gwlab.lessons.l06_route53 import APEX_ALIAS
from gwlab.lessons.l07_cors import ADMIN, ADMIN_ORIGIN
from gwlab.lessons.l09_review import BETA_STAGE, BETA_TABLE

from support import curl, fake_route53_clock


@pytest.fixture
def lab_for(tmp_path: Path, kernel_session: None) -> Iterator[object]:
    """``lab_for(lesson, exercise)``: a fresh lab with the exercise's own steps run."""

    def make(lesson: str, exercise: Exercise) -> Lab:
        close_session()
        lab = Lab(lesson, progress=tmp_path / f"{lesson}.json")
        for step in exercise.requires:
            if "/" not in step:
                assert lab.run(step, with_prerequisites=True).passed, step
        return lab

    yield make


def solve(lab: Lab, exercise: Exercise) -> None:
    exec(compile(boto3_solution(exercise, lab.context()), "<solution>", "exec"), {"lab": lab})


def test_01_clean_up_deletes_the_learners_second_api(lab_for: object) -> None:
    lab = lab_for("01", SECOND_API)  # type: ignore[operator]
    solve(lab, SECOND_API)
    assert lab.check(SECOND_API.id).passed
    apigw = lab.env.client("apigatewayv2")
    assert [api["Name"] for api in apigw.get_apis()["Items"]] == ["gwlab-greetings"]
    cleaned = lab.cleanup()
    assert set(cleaned["outcome"]) == {"deleted"}, cleaned.to_string()
    assert apigw.get_apis()["Items"] == []


def test_03_the_check_follows_the_stage_as_it_changes(lab_for: object) -> None:
    lab = lab_for("03", TRACE_LEVEL)  # type: ignore[operator]
    apigw = lab.env.client("apigatewayv2")
    api_id = lab.ids["api_id"]
    solve(lab, TRACE_LEVEL)
    assert lab.check(TRACE_LEVEL.id).passed
    # An empty value removes a variable: the handler falls back to its default level.
    apigw.update_stage(ApiId=api_id, StageName="dev", StageVariables={"LOG_LEVEL": ""})
    removed = lab.check(TRACE_LEVEL.id)
    assert removed.status == "failed" and "its default, `info`" in removed.message
    apigw.update_stage(ApiId=api_id, StageName="dev", StageVariables={"LOG_LEVEL": "TRACE"})
    upper = lab.check(TRACE_LEVEL.id)
    assert upper.status == "failed" and "used exactly as written" in upper.message
    # The stage gone altogether: one line of feedback, never a traceback.
    apigw.delete_stage(ApiId=api_id, StageName="dev")
    gone = lab.check(TRACE_LEVEL.id)
    assert gone.status == "failed" and "no stage `dev` any more" in gone.message


def test_04_a_wildcard_certificate_covers_www_too(lab_for: object) -> None:
    lab = lab_for("04", WWW_CERTIFICATE)  # type: ignore[operator]
    acm = lab.env.client("acm")
    acm.request_certificate(DomainName=f"*.{common.ZONE}", ValidationMethod="DNS")
    found = lab.check(WWW_CERTIFICATE.id)
    assert found.passed, found
    assert "as `*.example.com`" in found.message
    # One label deep only: a wildcard under www does not cover www itself.
    close_session()
    lab = lab_for("04", WWW_CERTIFICATE)  # type: ignore[operator]
    lab.env.client("acm").request_certificate(
        DomainName=f"*.www.{common.ZONE}", ValidationMethod="DNS"
    )
    deeper = lab.check(WWW_CERTIFICATE.id)
    assert deeper.status == "failed" and "does not cover `www.example.com`" in deeper.message


def test_06_dns_answers_the_apex_over_udp_only_once_the_change_is_insync(
    lab_for: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = fake_route53_clock(monkeypatch)
    lab = lab_for("06", APEX_ALIAS)  # type: ignore[operator]
    lab.env.propagation_delay = 5
    solve(lab, APEX_ALIAS)
    waiting = lab.check(APEX_ALIAS.id)
    assert waiting.status == "failed" and "INSYNC" in waiting.message, waiting
    clock.advance(6)
    done = lab.check(APEX_ALIAS.id)
    assert done.passed, done
    # The same answer a dig at the lab's DNS server gets: an A record set, no CNAME.
    host, port = lab.env.dns.address
    reply = dns.query.udp(dns.message.make_query(common.ZONE, "A"), host, port=port, timeout=5)
    types = {dns.rdatatype.to_text(rrset.rdtype) for rrset in reply.answer}
    assert types == {"A"}
    target = lab.env.dns.resolve(lab.ids["apex_target"], "A")
    assert {r.address for rrset in reply.answer for r in rrset} == {r.address for r in target}


def test_07_a_real_preflight_over_http_from_the_admin_origin(lab_for: object) -> None:
    lab = lab_for("07", ADMIN_ORIGIN)  # type: ignore[operator]
    url = f"{lab.env.gateway.url}/items"
    preflight = (
        "-X",
        "OPTIONS",
        "-H",
        f"Host: {common.DOMAIN}",
        "-H",
        f"Origin: {ADMIN}",
        "-H",
        "Access-Control-Request-Method: GET",
        url,
    )
    _, before, _ = curl(*preflight)
    assert "access-control-allow-origin" not in before
    solve(lab, ADMIN_ORIGIN)
    assert lab.check(ADMIN_ORIGIN.id).passed
    status, after, _ = curl(*preflight)
    assert 200 <= status < 300
    assert after["access-control-allow-origin"] == ADMIN


def test_09_clean_up_after_the_review_exercise_deletes_everything(lab_for: object) -> None:
    lab = lab_for("09", BETA_STAGE)  # type: ignore[operator]
    solve(lab, BETA_STAGE)
    done = lab.check(BETA_STAGE.id)
    assert done.passed, done
    answered = lab.request("GET", f"https://{common.DOMAIN}/beta/items")
    assert json.loads(answered.body)["table"] == BETA_TABLE
    cleaned = lab.cleanup()
    assert set(cleaned["outcome"]) == {"deleted"}, cleaned.to_string()
    assert "api_mapping" in set(cleaned["kind"])
    assert lab.env.client("apigatewayv2").get_apis()["Items"] == []


def test_09_an_auto_deploying_beta_stage_passes_too(lab_for: object) -> None:
    lab = lab_for("09", BETA_STAGE)  # type: ignore[operator]
    apigw = lab.env.client("apigatewayv2")
    api_id = lab.ids["api_id"]
    apigw.create_stage(
        ApiId=api_id,
        StageName="beta",
        AutoDeploy=True,
        StageVariables={"TABLE_NAME": BETA_TABLE},
    )
    apigw.create_api_mapping(
        DomainName=common.DOMAIN, ApiId=api_id, Stage="beta", ApiMappingKey="beta"
    )
    done = lab.check(BETA_STAGE.id)
    assert done.passed, done  # no create-deployment: auto-deploy made one (ASSUMED at once)


def test_07_a_deleted_cors_configuration_is_named_not_a_traceback(lab_for: object) -> None:
    lab = lab_for("07", ADMIN_ORIGIN)  # type: ignore[operator]
    lab.env.client("apigatewayv2").delete_cors_configuration(ApiId=lab.ids["api_id"])
    gone = lab.check(ADMIN_ORIGIN.id)
    assert gone.status == "failed" and "no CORS configuration any more" in gone.message


def test_06_the_apex_domain_deleted_after_passing_is_named(lab_for: object) -> None:
    lab = lab_for("06", APEX_ALIAS)  # type: ignore[operator]
    solve(lab, APEX_ALIAS)
    assert lab.check(APEX_ALIAS.id).passed
    apigw = lab.env.client("apigatewayv2")
    for mapping in apigw.get_api_mappings(DomainName=common.ZONE)["Items"]:
        apigw.delete_api_mapping(DomainName=common.ZONE, ApiMappingId=mapping["ApiMappingId"])
    unmapped = lab.check(APEX_ALIAS.id)
    assert unmapped.status == "failed" and "no API mapping at its root" in unmapped.message
    assert lab.request("GET", f"https://{common.ZONE}/items").status == 403
    apigw.delete_domain_name(DomainName=common.ZONE)
    gone = lab.check(APEX_ALIAS.id)
    assert gone.status == "failed" and "no custom domain name any more" in gone.message


def test_06_a_plain_a_record_at_the_apex_is_not_an_alias(lab_for: object) -> None:
    lab = lab_for("06", APEX_ALIAS)  # type: ignore[operator]
    apigw = lab.env.client("apigatewayv2")
    apigw.create_api_mapping(DomainName=common.ZONE, ApiId=lab.ids["api_id"], Stage="$default")
    address = lab.env.dns.resolve(lab.ids["apex_target"], "A")[0].address
    lab.env.client("route53").change_resource_record_sets(
        HostedZoneId=lab.ids["zone_id"],
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": common.ZONE,
                        "Type": "A",
                        "TTL": 300,
                        "ResourceRecords": [{"Value": address}],
                    },
                }
            ]
        },
    )
    plain = lab.check(APEX_ALIAS.id)
    assert plain.status == "failed" and "a plain one with fixed addresses" in plain.message
