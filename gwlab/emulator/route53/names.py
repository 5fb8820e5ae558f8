"""DNS names as Route 53 compares them, and the names API Gateway owns."""

from __future__ import annotations

from gwlab.emulator.aws_constants import APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS, execute_api_domain

#: Region of each regional API Gateway hosted zone (the table read backwards).
_REGION_OF_APIGATEWAY_ZONE: dict[str, str] = {
    zone_id: region for region, zone_id in APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS.items()
}


def fqdn(name: str) -> str:
    """``name`` with the trailing dot Route 53 shows (``api.example.com.``)."""
    return name if name.endswith(".") else name + "."


def name_key(name: str) -> str:
    """The form two names are compared in: lower case, with the trailing dot."""
    return fqdn(name).lower()


def is_within(name: str, zone_name: str) -> bool:
    """Whether ``name`` is ``zone_name`` itself or a name below it."""
    name, zone_name = name_key(name), name_key(zone_name)
    return name == zone_name or name.endswith("." + zone_name)


def execute_api_zone(region: str) -> str:
    """``execute-api.<region>.amazonaws.com.``: where a region's API endpoints live."""
    return fqdn(execute_api_domain(region))


def execute_api_region(name: str) -> str | None:
    """The region whose ``execute-api`` domain holds ``name`` (or is it), if we know it."""
    labels = name_key(name).rstrip(".").split(".")
    if len(labels) < 4 or labels[-4] != "execute-api" or labels[-2:] != ["amazonaws", "com"]:
        return None
    region = labels[-3]
    return region if region in APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS else None


def apigateway_zone_region(hosted_zone_id: str) -> str | None:
    """The region of a regional API Gateway hosted zone ID (``Z1UJRXOUMOOFQ8``), if it is one."""
    return _REGION_OF_APIGATEWAY_ZONE.get(hosted_zone_id)
