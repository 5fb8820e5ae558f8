"""Fixed values AWS publishes, used by several emulated services.

Source: the AWS General Reference, API Gateway endpoints page (see
``../shared/AWS_FACTS.md``, "Custom domains and API mappings").
"""

from __future__ import annotations

#: The Route 53 hosted zone of each region's *regional* API Gateway endpoints:
#: the ``HostedZoneId`` of a custom domain name and of its alias records.
APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS: dict[str, str] = {
    "us-east-1": "Z1UJRXOUMOOFQ8",
    "us-east-2": "ZOJJZC49E0EPZ",
    "us-west-1": "Z2MUQ32089INYE",
    "us-west-2": "Z2OJLYMUO9EFXC",
    "eu-west-1": "ZLY8HYME6SFDD",
    "eu-west-2": "ZJ5UAJN8Y3Z2Q",
    "eu-west-3": "Z3KY65QIEKYHQQ",
    "eu-central-1": "Z1U9ULNL0V5AJ3",
    "ap-northeast-1": "Z1YSHQZHG15GKL",
    "ap-southeast-1": "ZL327KTPIQFUL",
    "ap-southeast-2": "Z2RPCDW04V8134",
}

#: The DNS suffix of API Gateway endpoints in a region (``execute-api.<region>...``).
EXECUTE_API_SUFFIX = "execute-api.{region}.amazonaws.com"


def apigateway_hosted_zone_id(region: str) -> str | None:
    """The regional API Gateway hosted zone of ``region``, if AWS publishes one we know."""
    return APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS.get(region)


def execute_api_domain(region: str) -> str:
    """``execute-api.<region>.amazonaws.com``."""
    return EXECUTE_API_SUFFIX.format(region=region)
