"""Lesson 6's exercise teaches the apex setup that works in AWS (issue 17 item 1, issue 19).

An apex alias to api.example.com's target looks fine in DNS, yet in AWS
https://example.com then fails: API Gateway answers only for its custom domain names.
The lesson makes example.com a custom domain name of its own (step ``apex_domain``);
the learner maps it and aliases the apex to *its* target, in code. The check must
tell the two apart, the working setup must really answer, and clean-up must delete
what the learner made (a mapping left behind would keep the API from being deleted).
"""

from __future__ import annotations

import json
from pathlib import Path

from gwlab.lab import Lab
from gwlab.lessons import common
from gwlab.lessons.l06_route53 import APEX_ALIAS


def alias_apex(lab: Lab, target: str, zone_id: str) -> None:
    lab.env.client("route53").change_resource_record_sets(
        HostedZoneId=lab.ids["zone_id"],
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": common.ZONE,
                        "Type": "A",
                        "AliasTarget": {
                            "HostedZoneId": zone_id,
                            "DNSName": target,
                            "EvaluateTargetHealth": False,
                        },
                    },
                }
            ]
        },
    )


def test_the_apex_aliased_to_another_domains_target_fails_and_the_real_setup_passes(
    tmp_path: Path, kernel_session: None
) -> None:
    lab = Lab("06", progress=tmp_path / "progress.json")
    for step in lab.steps:
        assert lab.run(step).passed, step
    assert lab.check(APEX_ALIAS.id).status == "not attempted"
    # The old "solution": example.com A ALIAS to api.example.com's d-… target, no mapping.
    alias_apex(lab, lab.ids["domain_target"], lab.ids["domain_zone_id"])
    assert " A " in lab.env.dns.resolve(common.ZONE, "A").to_text()  # DNS alone looks fine
    refused = lab.request("GET", f"https://{common.ZONE}/items")
    assert refused.status == 403  # a custom domain name with no mapping: Forbidden
    wrong = lab.check(APEX_ALIAS.id)
    assert wrong.status == "failed" and "no API mapping at its root" in wrong.message
    apigw = lab.env.client("apigatewayv2")
    apigw.create_api_mapping(DomainName=common.ZONE, ApiId=lab.ids["api_id"], Stage="$default")
    still_wrong = lab.check(APEX_ALIAS.id)
    assert still_wrong.status == "failed"
    assert "the target of `api.example.com`" in still_wrong.message

    alias_apex(lab, lab.ids["apex_target"], lab.ids["apex_zone_id"])
    done = lab.check(APEX_ALIAS.id)
    assert done.passed, repr(done)
    apex = apigw.get_domain_name(DomainName=common.ZONE)
    target = apex["DomainNameConfigurations"][0]["ApiGatewayDomainName"]
    assert target == lab.ids["apex_target"] != lab.ids["domain_target"]
    answered = lab.request("GET", f"https://{common.ZONE}/items")
    assert answered.status == 200
    assert answered.event is not None
    assert answered.event["requestContext"]["domainName"] == common.ZONE
    assert json.loads(answered.body)["rawPath"] == "/items"
    cleaned = lab.cleanup()
    assert set(cleaned["outcome"]) == {"deleted"}, cleaned.to_string()
    assert {"api_mapping", "record", "domain_name", "certificate"} <= set(cleaned["kind"])
    assert apigw.get_apis()["Items"] == []
