"""What the local gateway and the DNS server read of the emulated AWS: this module only.

They run beside moto in the same process and read its state directly (no boto3
round trip), through the names below and nothing else of the emulator, so the
emulator's inside can change without touching them, and they never reach moto's
backends on their own. Everything here is read-only and valid only while an
embedded or server environment is open.
"""

from __future__ import annotations

from moto.apigatewayv2.models import ApiMapping, apigatewayv2_backends

from gwlab.emulator.apigatewayv2.models import (
    GwlabApi,
    GwlabApiGatewayV2Backend,
    GwlabDomainName,
    served_stage,
)
from gwlab.emulator.apigatewayv2.snapshots import (
    CorsSnapshot,
    DeploymentSnapshot,
    IntegrationSnapshot,
    RouteSnapshot,
    ServedStage,
)
from gwlab.emulator.aws_constants import APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS
from gwlab.emulator.route53 import api_gateway_record, serving_zones
from gwlab.emulator.route53.models import NS_TTL, SOA_TEMPLATE, SOA_TTL
from gwlab.emulator.route53.names import execute_api_zone, name_key
from gwlab.emulator.route53.publication import PublishedRecord, PublishedZone


def api_backends(account_id: str) -> dict[str, GwlabApiGatewayV2Backend]:
    """The account's API Gateway v2 backends that exist, by region."""
    found: dict[str, GwlabApiGatewayV2Backend] = {}
    for region, backend in apigatewayv2_backends[account_id].items():
        assert isinstance(backend, GwlabApiGatewayV2Backend), "gwlab's emulator is not active"
        found[region] = backend
    return found


__all__ = [
    "APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS",
    "NS_TTL",
    "SOA_TEMPLATE",
    "SOA_TTL",
    "ApiMapping",
    "CorsSnapshot",
    "DeploymentSnapshot",
    "GwlabApi",
    "GwlabApiGatewayV2Backend",
    "GwlabDomainName",
    "IntegrationSnapshot",
    "PublishedRecord",
    "PublishedZone",
    "RouteSnapshot",
    "ServedStage",
    "api_backends",
    "api_gateway_record",
    "execute_api_zone",
    "name_key",
    "served_stage",
    "serving_zones",
]
