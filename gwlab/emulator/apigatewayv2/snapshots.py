"""What a deployment freezes, and what a stage serves (read by ``models.served_stage()``).

A deployment is a snapshot of an API's routes, integrations and CORS
configuration (AWS_FACTS, "Stages and deployments"; the CORS part is the
validated emulator test quoted under "CORS"). A stage serves the snapshot of
the deployment it points to, so later edits stay invisible until the next
deployment — or at once on a stage with auto-deploy, which redeploys on every
change. Snapshots are immutable: a consumer may cache what it derives from
one by ``deployment_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class RouteSnapshot:
    """One route as deployed: ``GET /items``, ``ANY /{proxy+}`` or ``$default``."""

    route_id: str
    route_key: str
    #: ``integrations/<id>``, or ``None`` for a route without a target.
    target: str | None
    authorization_type: str | None

    @property
    def integration_id(self) -> str | None:
        """The id of the integration the route targets, if any."""
        if self.target and self.target.startswith("integrations/"):
            return self.target.split("/", 1)[1]
        return None


@dataclass(frozen=True)
class IntegrationSnapshot:
    """One integration as deployed."""

    integration_id: str
    #: ``AWS_PROXY`` (Lambda), ``HTTP_PROXY``, ``MOCK``, ...
    integration_type: str
    #: A Lambda ARN or URL; may contain ``${stageVariables.name}``.
    integration_uri: str | None
    integration_method: str | None
    payload_format_version: str | None
    timeout_in_millis: int | None
    request_parameters: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CorsSnapshot:
    """A CORS configuration as deployed (field names as in the API)."""

    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    allow_credentials: bool | None = None
    max_age: int | None = None

    @classmethod
    def from_api(cls, cors: Mapping[str, Any] | None) -> CorsSnapshot | None:
        """Freeze the camelCase configuration moto stores (``None`` when there is none)."""
        if not cors:
            return None
        return cls(
            allow_origins=tuple(cors.get("allowOrigins") or ()),
            allow_methods=tuple(cors.get("allowMethods") or ()),
            allow_headers=tuple(cors.get("allowHeaders") or ()),
            expose_headers=tuple(cors.get("exposeHeaders") or ()),
            allow_credentials=cors.get("allowCredentials"),
            max_age=cors.get("maxAge"),
        )


@dataclass(frozen=True)
class DeploymentSnapshot:
    """Everything a deployment froze of its API."""

    api_id: str
    deployment_id: str
    routes: tuple[RouteSnapshot, ...]
    integrations: Mapping[str, IntegrationSnapshot]
    cors: CorsSnapshot | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "integrations", MappingProxyType(dict(self.integrations)))


@dataclass(frozen=True)
class ServedStage:
    """A stage as the data plane sees it at one moment."""

    api_id: str
    stage_name: str
    #: Stage variables are stage settings, live rather than deployed.
    stage_variables: Mapping[str, str]
    #: ``None`` when the stage was never deployed (it then answers 404).
    snapshot: DeploymentSnapshot | None
