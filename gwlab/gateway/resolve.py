"""Which API and stage a request reaches, from its host and path.

Two kinds of host (AWS_FACTS, "Stages and deployments" and "Custom domains"):

- ``{api-id}.execute-api.{region}.amazonaws.com``: the first path segment names
  a stage when one has that exact name (whole segment); otherwise ``$default``
  serves the whole path; with neither, 404. The stage prefix stays in the path
  the function sees. ``disableExecuteApiEndpoint`` makes this host answer 403.
- a custom domain name: the longest API mapping key that is a whole-segment
  prefix of the path wins, the empty key is the fallback, nothing matching is a
  403. The key is removed from the path the API sees; there is no stage prefix.
  A wildcard custom domain name ``*.example.com`` answers for one label in its
  place (``a.example.com``); a custom domain name of the exact host wins
  (http-api-custom-domain-names, "Wildcard custom domain names"; one label
  only, as its wildcard certificate covers, is ASSUMED for deeper names).
- any other host the lab's DNS sends to API Gateway (an alias or CNAME to an
  ``execute-api`` name): no custom domain name, so no certificate, covers it —
  a browser stops at the TLS handshake; past that, 403 (ASSUMED). The trace
  says which record sends it there and why it fails.

The state is read in-process, at request time, from the embedded AWS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gwlab.emulator.state import (
    ApiMapping,
    GwlabApi,
    GwlabApiGatewayV2Backend,
    GwlabDomainName,
    ServedStage,
    api_backends,
    api_gateway_record,
    served_stage,
)
from gwlab.errors import GwlabError
from gwlab.gateway import messages
from gwlab.gateway.http import GatewayRequest
from gwlab.gateway.routes import split_path
from gwlab.gateway.trace import Trace

_EXECUTE_API_HOST = re.compile(r"^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$")
DEFAULT_STAGE = "$default"


class UnknownHostError(GwlabError, LookupError):
    """No API and no custom domain name answers for the request's host."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"no API or custom domain name answers for host '{host}': use "
            "{api-id}.execute-api.{region}.amazonaws.com or a domain name made with "
            "create_domain_name"
        )


@dataclass(frozen=True)
class Target:
    """The stage a request reached and the paths it carries on with."""

    served: ServedStage
    #: Decoded path used for route matching (no stage prefix, no mapping key).
    route_path: str
    #: Decoded path the function sees as ``rawPath`` (stage prefix kept, key removed).
    event_path: str


@dataclass(frozen=True)
class Refusal:
    """API Gateway answered by itself (403/404) before any route."""

    status: int
    body: dict[str, str]
    headers: list[tuple[str, str]] = field(default_factory=list)


def _remainder(path_parts: list[str], used: int) -> str:
    return "/" + "/".join(path_parts[used:])


def resolve(
    request: GatewayRequest, path: str, account_id: str, home_region: str, trace: Trace
) -> Target | Refusal:
    """Resolve ``request`` (whose decoded path is ``path``), recording hops in ``trace``."""
    match = _EXECUTE_API_HOST.match(request.host)
    if match is not None:
        api_id, region = match.groups()
        backend = api_backends(account_id).get(region)
        api = backend.apis.get(api_id) if backend is not None else None
        if api is None:
            raise UnknownHostError(request.host)
        trace.add("host", f"{request.host} is the execute-api endpoint of API {api_id} ({region})")
        return _through_execute_api(api, region, path, account_id, trace)
    return _through_custom_domain(request.host, path, account_id, home_region, trace)


def _through_execute_api(
    api: GwlabApi, region: str, path: str, account_id: str, trace: Trace
) -> Target | Refusal:
    if api.disable_execute_api_endpoint:
        trace.add(
            "stage",
            "disableExecuteApiEndpoint is true: the default endpoint is switched off",
            ok=False,
        )
        return Refusal(*messages.FORBIDDEN)
    parts = split_path(path)
    if parts and parts[0] in api.stages and parts[0] != DEFAULT_STAGE:
        stage, route_path = parts[0], _remainder(parts, 1)
        why = f"first path segment '{stage}' names a stage; the prefix stays in rawPath"
    else:
        first = f"'{parts[0]}' names no stage" if parts else "the path names no stage"
        if DEFAULT_STAGE not in api.stages:
            trace.add("stage", f"{first} and there is no $default stage", ok=False)
            return Refusal(*messages.NOT_FOUND)
        stage, route_path = DEFAULT_STAGE, path
        why = f"{first}, so $default serves the whole path"
    trace.add("stage", f"stage {stage}: {why}")
    return _deployed(api.api_id, region, stage, route_path, path, account_id, trace)


def _find_domain(
    host: str, account_id: str, home_region: str
) -> tuple[str, GwlabApiGatewayV2Backend, GwlabDomainName] | None:
    """The custom domain name for ``host``: its own name first, else its wildcard."""
    backends = api_backends(account_id)
    regions = sorted(backends, key=lambda r: r != home_region)
    labels = host.split(".", 1)
    names = [host] + ([f"*.{labels[1]}"] if len(labels) == 2 and labels[0] != "*" else [])
    for name in names:
        for region in regions:
            domain = backends[region].domain_names.get(name)
            if domain is not None:
                return region, backends[region], domain
    return None


def _not_a_custom_domain(host: str, trace: Trace) -> Refusal:
    """A host DNS sends to API Gateway that no custom domain name is (or raise)."""
    record = api_gateway_record(host)
    if record is None:
        raise UnknownHostError(host)
    target = record.alias_target or (record.values[0] if record.values else "")
    kind = f"{record.type} alias" if record.alias_target else record.type
    trace.add(
        "host",
        f"the lab's DNS sends {host} to API Gateway ({kind} to {target.rstrip('.')}), but no "
        f"custom domain name is {host}: API Gateway does not know this host",
        ok=False,
    )
    trace.add(
        "certificate",
        f"no certificate of API Gateway covers {host}: a browser or curl stops at the TLS "
        "handshake with a certificate name mismatch; told to skip that check, API Gateway "
        f"answers 403. Create the custom domain name {host} (with a certificate for it and a "
        "mapping) and point the record at its own target",
        ok=False,
    )
    return Refusal(*messages.FORBIDDEN)


def _longest_mapping(mappings: list[ApiMapping], parts: list[str]) -> tuple[ApiMapping, int] | None:
    best: tuple[ApiMapping, int] | None = None
    for mapping in mappings:
        key_parts = split_path(mapping.api_mapping_key or "")
        if parts[: len(key_parts)] == key_parts and (best is None or len(key_parts) > best[1]):
            best = (mapping, len(key_parts))
    return best


def _through_custom_domain(
    host: str, path: str, account_id: str, home_region: str, trace: Trace
) -> Target | Refusal:
    found = _find_domain(host, account_id, home_region)
    if found is None:
        return _not_a_custom_domain(host, trace)
    region, backend, domain = found
    if domain.domain_name == host:
        trace.add(
            "host",
            f"{host} is a custom domain name ({region}) served by {domain.api_gateway_domain_name}",
        )
    else:
        trace.add(
            "host",
            f"{host} matches the wildcard custom domain name {domain.domain_name} ({region}), "
            f"served by {domain.api_gateway_domain_name}; no custom domain name is {host} itself",
        )
    mappings = backend.get_api_mappings(domain.domain_name)
    parts = split_path(path)
    chosen = _longest_mapping(mappings, parts)
    if chosen is None:
        keys = ", ".join(sorted(repr(m.api_mapping_key or "") for m in mappings)) or "none"
        trace.add(
            "mapping",
            f"no API mapping matches {path} (mapping keys: {keys}): 403, the forgotten-mapping "
            "mistake",
            ok=False,
        )
        return Refusal(
            *messages.FORBIDDEN, headers=[("x-amzn-errortype", messages.FORBIDDEN_ERROR_TYPE)]
        )
    mapping, used = chosen
    route_path = _remainder(parts, used)
    key = mapping.api_mapping_key or ""
    trace.add(
        "mapping",
        f"mapping key '{key}' -> API {mapping.api_id}, stage {mapping.stage}; the API sees "
        f"{route_path} (key removed, no stage prefix)",
    )
    return _deployed(
        mapping.api_id, region, mapping.stage, route_path, route_path, account_id, trace
    )


def _deployed(
    api_id: str,
    region: str,
    stage: str,
    route_path: str,
    event_path: str,
    account_id: str,
    trace: Trace,
) -> Target | Refusal:
    served = served_stage(api_id, stage, region=region, account_id=account_id)
    if served is None or served.snapshot is None:
        reason = "does not exist" if served is None else "has never been deployed"
        trace.add(
            "deployment", f"stage {stage} of API {api_id} {reason}: nothing to serve", ok=False
        )
        return Refusal(*messages.NOT_FOUND)
    trace.add("deployment", f"stage {stage} serves deployment {served.snapshot.deployment_id}")
    return Target(served, route_path, event_path)
