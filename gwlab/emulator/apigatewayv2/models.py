"""gwlab's API Gateway v2 backend: moto's, plus what AWS does and moto 5.2.5 lacks.

Added: deployments (snapshots of routes, integrations and CORS) and
auto-deploy; ``update_stage``; quick create (``create_api`` with ``Target``);
the fields AWS returns for custom domain names; ``update_domain_name`` and
``update_api_mapping``; AWS's validation and quotas (see ``validation.py``);
the deletes AWS refuses (an API or stage an API mapping uses) and AWS's error
texts for unknown domain names and mapping stages; IDs shaped like AWS's. Each
class subclasses the moto class it extends.
"""

from __future__ import annotations

import string
from datetime import datetime
from types import MappingProxyType
from typing import Any

from moto.apigatewayv2.exceptions import (
    ApiMappingNotFound,
    ApiNotFound,
    BadRequestException,
    IntegrationNotFound,
    StageNotFound,
)
from moto.apigatewayv2.models import (
    Api,
    ApiGatewayV2Backend,
    ApiMapping,
    DomainName,
    Integration,
    Route,
    Stage,
    apigatewayv2_backends,
)
from moto.core.common_models import BaseModel
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.utils import iso_8601_datetime_without_milliseconds
from moto.moto_api._internal import mock_random

from gwlab.emulator.apigatewayv2 import exceptions as errors
from gwlab.emulator.apigatewayv2 import validation
from gwlab.emulator.apigatewayv2.snapshots import (
    CorsSnapshot,
    DeploymentSnapshot,
    IntegrationSnapshot,
    RouteSnapshot,
    ServedStage,
)
from gwlab.emulator.aws_constants import apigateway_hosted_zone_id, execute_api_domain

#: The description AWS gives the deployments it makes for auto-deploy stages.
AUTO_DEPLOYMENT_DESCRIPTION = "Automatic deployment triggered by changes to the Api configuration"


def random_id(length: int) -> str:
    """A lowercase alphanumeric id from moto's seeded random source, like AWS's."""
    alphabet = string.ascii_lowercase + string.digits
    return "".join(mock_random.choice(alphabet) for _ in range(length))


def backend_for(account_id: str, region: str) -> ApiGatewayV2Backend:
    """The API Gateway v2 backend of ``account_id`` in ``region``."""
    return apigatewayv2_backends[account_id][region]


class Deployment(BaseModel):
    """A deployment: a frozen snapshot of its API."""

    def __init__(self, snapshot: DeploymentSnapshot, description: str | None, auto: bool) -> None:
        self.id = snapshot.deployment_id
        self.snapshot = snapshot
        self.description = description
        self.auto_deployed = auto
        self.created = datetime.now()

    def to_json(self) -> dict[str, Any]:
        """The Deployment shape of the API."""
        body: dict[str, Any] = {
            "autoDeployed": self.auto_deployed,
            "createdDate": iso_8601_datetime_without_milliseconds(self.created),
            "deploymentId": self.id,
            "deploymentStatus": "DEPLOYED",
        }
        if self.description:
            body["description"] = self.description
        return body


class GwlabStage(Stage):
    """A stage that knows the deployment it serves."""

    def __init__(self, api: Api, config: dict[str, Any]) -> None:
        super().__init__(api, config)
        self.auto_deploy = bool(config.get("autoDeploy", False))
        self.deployment_id: str | None = config.get("deploymentId")
        self.api_gateway_managed = False
        self.last_deployment_status_message: str | None = None

    def serve(self, deployment: Deployment) -> None:
        """Point the stage at ``deployment``."""
        self.deployment_id = deployment.id
        self.updated = datetime.now()
        if deployment.auto_deployed:
            self.last_deployment_status_message = (
                f"Successfully deployed stage with deployment ID '{deployment.id}'"
            )

    def to_json(self) -> dict[str, Any]:
        """Moto's Stage shape plus the fields AWS returns."""
        body = super().to_json()
        body["autoDeploy"] = self.auto_deploy
        if self.deployment_id:
            body["deploymentId"] = self.deployment_id
        if self.api_gateway_managed:
            body["apiGatewayManaged"] = True
        if self.last_deployment_status_message:
            body["lastDeploymentStatusMessage"] = self.last_deployment_status_message
        return body


class GwlabApi(Api):
    """An API with deployments, auto-deploy and AWS's rules for routes and stages."""

    stages: dict[str, GwlabStage]  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # AWS API ids are 10 lowercase letters and digits (moto makes 8 letters).
        tags = self.backend.get_tags(self.arn)
        self.backend.untag_resource(self.arn, list(tags))
        self.api_id = random_id(10)
        region = kwargs["region"]
        self.api_endpoint = f"https://{self.api_id}.{execute_api_domain(region)}"
        self.arn = self.arn.rsplit("/", 1)[0] + f"/{self.api_id}"
        self.backend.tag_resource(self.arn, tags)
        self.deployments: dict[str, Deployment] = {}

    # --- deployments -------------------------------------------------------------------

    def snapshot(self, deployment_id: str) -> DeploymentSnapshot:
        """Freeze the routes, integrations and CORS configuration as they are now."""
        routes = tuple(
            RouteSnapshot(r.route_id, r.route_key, r.target, r.authorization_type)
            for r in self.routes.values()
        )
        integrations = {
            i.id: IntegrationSnapshot(
                integration_id=i.id,
                integration_type=i.integration_type,
                integration_uri=i.integration_uri,
                integration_method=i.integration_method,
                payload_format_version=i.payload_format_version,
                timeout_in_millis=i.timeout_in_millis,
                request_parameters=dict(i.request_parameters or {}),
            )
            for i in self.integrations.values()
        }
        cors = CorsSnapshot.from_api(self.cors_configuration)  # type: ignore[arg-type]
        return DeploymentSnapshot(self.api_id, deployment_id, routes, integrations, cors)

    def deploy(self, description: str | None, *, auto: bool = False) -> Deployment:
        """Create a deployment of the API as it is now."""
        if not self.routes:
            raise errors.NoRoutesToDeploy()
        deployment = Deployment(self.snapshot(random_id(6)), description, auto)
        self.deployments[deployment.id] = deployment
        return deployment

    def get_deployment(self, deployment_id: str) -> Deployment:
        """The deployment ``deployment_id``, or AWS's NotFoundException."""
        if deployment_id not in self.deployments:
            raise errors.DeploymentNotFound(deployment_id)
        return self.deployments[deployment_id]

    def delete_deployment(self, deployment_id: str) -> None:
        """Delete a deployment no stage points to."""
        self.get_deployment(deployment_id)
        if any(stage.deployment_id == deployment_id for stage in self.stages.values()):
            raise errors.DeploymentInUse()
        del self.deployments[deployment_id]

    def auto_deploy(self, stage: GwlabStage) -> None:
        """Deploy the API to ``stage`` (an auto-deploy stage); nothing while it has no routes."""
        if self.routes:
            stage.serve(self.deploy(AUTO_DEPLOYMENT_DESCRIPTION, auto=True))

    def changed(self) -> None:
        """Routes, integrations or CORS changed: every auto-deploy stage redeploys."""
        for stage in self.stages.values():
            if stage.auto_deploy:
                self.auto_deploy(stage)

    # --- stages ------------------------------------------------------------------------

    def create_stage(self, config: dict[str, Any]) -> GwlabStage:
        """Create a stage the way AWS validates it; an auto-deploy stage deploys at once."""
        name = config.get("stageName") or ""
        validation.check_stage_name(name)
        if name in self.stages:
            raise errors.StageAlreadyExists()
        if len(self.stages) >= validation.STAGES_PER_API:
            raise errors.TooManyStages(validation.STAGES_PER_API)
        variables = config.get("stageVariables") or {}
        validation.check_stage_variables(variables, removals_allowed=False)
        validation.check_variable_count(variables)
        if config.get("deploymentId"):
            if config.get("autoDeploy"):
                raise errors.AutoDeployStage(name)
            self.get_deployment(config["deploymentId"])
        stage = GwlabStage(self, config)
        self.stages[name] = stage
        if stage.auto_deploy:
            self.auto_deploy(stage)
        return stage

    def get_stage(self, stage_name: str) -> GwlabStage:
        """The stage, or moto's (AWS's) NotFoundException."""
        if stage_name not in self.stages:
            raise StageNotFound()
        return self.stages[stage_name]

    def delete_stage(self, stage_name: str) -> None:
        """Delete an existing stage (AWS answers NotFound for a missing one)."""
        self.get_stage(stage_name)
        del self.stages[stage_name]

    def update_stage(self, stage_name: str, params: dict[str, Any]) -> GwlabStage:
        """Apply an ``UpdateStage`` request: everything is checked before anything changes."""
        stage = self.get_stage(stage_name)
        variables = stage.stage_variables
        if "stageVariables" in params:
            variables = validation.merged_stage_variables(variables, params["stageVariables"])
        auto_deploy = params.get("autoDeploy", stage.auto_deploy)
        deployment = None
        if params.get("deploymentId"):
            if auto_deploy:
                raise errors.AutoDeployStage(stage_name)
            deployment = self.get_deployment(params["deploymentId"])

        stage.stage_variables = variables
        for key, attribute in (
            ("defaultRouteSettings", "default_route_settings"),
            ("routeSettings", "route_settings"),
            ("description", "description"),
            ("accessLogSettings", "access_log_settings"),
            ("clientCertificateId", "client_certificate_id"),
        ):
            if key in params:
                setattr(stage, attribute, params[key])
        if deployment is not None:
            stage.serve(deployment)
        turned_on = bool(auto_deploy) and not stage.auto_deploy
        stage.auto_deploy = bool(auto_deploy)
        stage.updated = datetime.now()
        if turned_on:
            self.auto_deploy(stage)
        return stage

    # --- routes --------------------------------------------------------------------------

    def _check_route(self, route_key: str | None, target: str | None, route_id: str = "") -> None:
        if route_key is not None:
            validation.check_route_key(route_key)
            if any(r.route_key == route_key and r.route_id != route_id for r in self.get_routes()):
                raise errors.RouteKeyAlreadyExists(route_key)
        if target:
            integration_id = target.split("/", 1)[1] if target.startswith("integrations/") else ""
            if integration_id not in self.integrations:
                raise errors.InvalidRouteTarget(target)

    def create_route(self, *args: Any, **kwargs: Any) -> Route:
        """Create a route with a valid, unique key and an existing target."""
        if len(self.routes) >= validation.ROUTES_PER_API:
            raise errors.TooMany("routes", validation.ROUTES_PER_API)
        self._check_route(kwargs.get("route_key") or "", kwargs.get("target"))
        route = super().create_route(*args, **kwargs)
        self.changed()
        return route

    def update_route(self, route_id: str, *args: Any, **kwargs: Any) -> Route:
        """Update a route under the same rules as creating one."""
        self.get_route(route_id)
        self._check_route(kwargs.get("route_key"), kwargs.get("target"), route_id)
        route = super().update_route(route_id, *args, **kwargs)
        self.changed()
        return route

    def delete_route(self, route_id: str) -> None:
        """Delete a route (redeploying auto-deploy stages)."""
        self.get_route(route_id)
        super().delete_route(route_id)
        self.changed()

    # --- integrations ----------------------------------------------------------------------

    def create_integration(self, *args: Any, **kwargs: Any) -> Integration:
        """Create an integration within the quota."""
        if len(self.integrations) >= validation.INTEGRATIONS_PER_API:
            raise errors.TooMany("integrations", validation.INTEGRATIONS_PER_API)
        integration = super().create_integration(*args, **kwargs)
        self.changed()
        return integration

    def update_integration(self, integration_id: str, *args: Any, **kwargs: Any) -> Integration:
        """Update an integration (redeploying auto-deploy stages)."""
        integration = super().update_integration(integration_id, *args, **kwargs)
        self.changed()
        return integration

    def delete_integration(self, integration_id: str) -> None:
        """Delete an existing integration."""
        if integration_id not in self.integrations:
            raise IntegrationNotFound(integration_id)
        super().delete_integration(integration_id)
        self.changed()

    # --- CORS ------------------------------------------------------------------------------

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Update the API; a CORS change is validated and redeploys auto-deploy stages."""
        cors = kwargs.get("cors_configuration")
        validation.check_cors(cors)
        before = self.cors_configuration
        super().update(*args, **kwargs)
        if cors is not None and cors != before:
            self.changed()

    def delete_cors_configuration(self) -> None:
        """Remove CORS (redeploying auto-deploy stages)."""
        had_cors = bool(self.cors_configuration)
        super().delete_cors_configuration()
        if had_cors:
            self.changed()


class GwlabDomainName(DomainName):
    """A regional custom domain name with the fields AWS returns for it."""

    def __init__(self, certificate_arn: str, configuration: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        region = kwargs["backend"].region_name
        target = f"d-{random_id(10)}.{execute_api_domain(region)}"
        config: dict[str, Any] = {
            "apiGatewayDomainName": target,
            "certificateArn": certificate_arn,
            "domainNameStatus": "AVAILABLE",
            "endpointType": "REGIONAL",
            "securityPolicy": "TLS_1_2",
        }
        zone = apigateway_hosted_zone_id(region)
        if zone is not None:
            config["hostedZoneId"] = zone
        if configuration.get("certificateName"):
            config["certificateName"] = configuration["certificateName"]
        self.domain_name_configurations = [config]

    @property
    def api_gateway_domain_name(self) -> str:
        """``d-<id>.execute-api.<region>.amazonaws.com``: what DNS records point at."""
        return str(self.domain_name_configurations[0]["apiGatewayDomainName"])

    def use_certificate(self, certificate_arn: str) -> None:
        """Switch to another certificate; the target name stays the same."""
        self.domain_name_configurations[0]["certificateArn"] = certificate_arn


class GwlabApiMapping(ApiMapping):
    """An API mapping shaped as AWS returns it (no key when mapped at the root)."""

    def to_json(self) -> dict[str, Any]:
        """ApiId, ApiMappingId, ApiMappingKey (when not empty) and Stage."""
        body = {"apiId": self.api_id, "apiMappingId": self.api_mapping_id, "stage": self.stage}
        if self.api_mapping_key:
            body["apiMappingKey"] = self.api_mapping_key
        return body


class GwlabApiGatewayV2Backend(ApiGatewayV2Backend):
    """moto's API Gateway v2 backend, behaving like AWS where the lab depends on it."""

    apis: dict[str, GwlabApi]  # type: ignore[assignment]
    domain_names: dict[str, GwlabDomainName]  # type: ignore[assignment]

    # --- APIs -------------------------------------------------------------------------------

    def create_api(  # type: ignore[override]
        self,
        *,
        target: str | None = None,
        route_key: str | None = None,
        credentials_arn: str | None = None,
        **kwargs: Any,
    ) -> GwlabApi:
        """Create an API, and with ``target`` (quick create) as AWS does.

        Quick create also makes a proxy integration to ``target``, a route
        (``$default`` unless ``route_key``) and an auto-deploying ``$default`` stage.
        """
        validation.check_cors(kwargs.get("cors_configuration"))
        if target is not None:
            if kwargs.get("protocol_type") != "HTTP":
                raise errors.InvalidQuickCreateTarget(target)
            integration_type, payload_version, method = validation.quick_create_integration_type(
                target
            )
            validation.check_route_key(route_key or validation.DEFAULT_ROUTE)
        api = GwlabApi(region=self.region_name, backend=self, **kwargs)
        self.apis[api.api_id] = api
        if target is not None:
            integration = api.create_integration(
                connection_type="INTERNET",
                description=None,
                integration_method=method,
                integration_type=integration_type,
                integration_uri=target,
                credentials_arn=credentials_arn,
                payload_format_version=payload_version,
            )
            api.create_route(
                api_key_required=False,
                authorization_scopes=[],
                authorization_type="NONE",
                route_key=route_key or validation.DEFAULT_ROUTE,
                target=f"integrations/{integration.id}",
            )
            stage = api.create_stage({"stageName": validation.DEFAULT_STAGE, "autoDeploy": True})
            stage.api_gateway_managed = True
        return api

    def get_api(self, api_id: str) -> GwlabApi:
        """The API, or AWS's NotFoundException."""
        if api_id not in self.apis:
            raise ApiNotFound(api_id)
        return self.apis[api_id]

    def delete_api(self, api_id: str) -> None:
        """Delete an API, unless an API mapping of a custom domain name still uses it."""
        if any(m.api_id == api_id for m in self.api_mappings.values()):
            raise errors.ApiInUseByMappings(api_id)
        super().delete_api(api_id)

    def update_api(self, api_id: str, *args: Any, **kwargs: Any) -> GwlabApi:
        """Update an API (CORS validated)."""
        api = self.get_api(api_id)
        api.update(*args, **kwargs)
        return api

    # --- stages and deployments ------------------------------------------------------------

    def create_stage(self, api_id: str, config: dict[str, Any]) -> GwlabStage:
        """Create a stage of ``api_id``."""
        return self.get_api(api_id).create_stage(config)

    def delete_stage(self, api_id: str, stage_name: str) -> None:
        """Delete a stage of ``api_id``, unless an API mapping still uses it."""
        api = self.get_api(api_id)
        api.get_stage(stage_name)
        if any(m.api_id == api_id and m.stage == stage_name for m in self.api_mappings.values()):
            raise errors.StageInUseByMappings(stage_name)
        api.delete_stage(stage_name)

    def update_stage(self, api_id: str, stage_name: str, params: dict[str, Any]) -> GwlabStage:
        """Update a stage of ``api_id``."""
        return self.get_api(api_id).update_stage(stage_name, params)

    def create_deployment(
        self, api_id: str, description: str | None, stage_name: str | None
    ) -> Deployment:
        """Deploy ``api_id``, and point ``stage_name`` at the deployment when given."""
        api = self.get_api(api_id)
        stage = api.get_stage(stage_name) if stage_name else None
        if stage is not None and stage.auto_deploy:
            raise errors.AutoDeployStage(stage.name)
        deployment = api.deploy(description)
        if stage is not None:
            stage.serve(deployment)
        return deployment

    def get_deployment(self, api_id: str, deployment_id: str) -> Deployment:
        """One deployment of ``api_id``."""
        return self.get_api(api_id).get_deployment(deployment_id)

    def get_deployments(self, api_id: str) -> list[Deployment]:
        """Every deployment of ``api_id``, oldest first."""
        return list(self.get_api(api_id).deployments.values())

    def delete_deployment(self, api_id: str, deployment_id: str) -> None:
        """Delete a deployment no stage points to."""
        self.get_api(api_id).delete_deployment(deployment_id)

    # --- custom domain names -----------------------------------------------------------------

    def _certificate_for(self, domain_name: str, configurations: list[dict[str, Any]]) -> str:
        """Check the (single) configuration AWS takes for an HTTP API and return its ARN."""
        if not configurations or not configurations[0].get("certificateArn"):
            raise BadRequestException("DomainNameConfigurations needs a CertificateArn")
        configuration = configurations[0]
        endpoint_type = configuration.get("endpointType", "REGIONAL")
        if endpoint_type != "REGIONAL":
            raise errors.UnsupportedDomainConfiguration("endpoint type", endpoint_type, "REGIONAL")
        policy = configuration.get("securityPolicy", "TLS_1_2")
        if policy != "TLS_1_2":
            raise errors.UnsupportedDomainConfiguration("security policy", policy, "TLS_1_2")
        arn = str(configuration["certificateArn"])
        validation.usable_certificate(arn, domain_name, self.region_name, self.account_id)
        return arn

    def create_domain_name(
        self,
        domain_name: str,
        domain_name_configurations: list[dict[str, Any]],
        mutual_tls_authentication: dict[str, str],
        tags: dict[str, str],
    ) -> GwlabDomainName:
        """Create a regional custom domain name backed by a usable ACM certificate."""
        validation.check_domain_name(domain_name)
        if domain_name in self.domain_names:
            return super().create_domain_name(  # type: ignore[return-value]
                domain_name, domain_name_configurations, mutual_tls_authentication, tags
            )  # raises moto's (AWS's) ConflictException
        if len(self.domain_names) >= validation.DOMAIN_NAMES_PER_REGION:
            raise errors.TooManyDomainNames(validation.DOMAIN_NAMES_PER_REGION)
        arn = self._certificate_for(domain_name, domain_name_configurations)
        domain = GwlabDomainName(
            arn,
            domain_name_configurations[0],
            domain_name=domain_name,
            domain_name_configurations=[],
            mutual_tls_authentication=mutual_tls_authentication,
            tags=tags,
            backend=self,
        )
        self.domain_names[domain_name] = domain
        return domain

    def get_domain_name(self, domain_name: str | None) -> GwlabDomainName:
        """The domain name, or AWS's NotFoundException (every operation on one checks here)."""
        if domain_name is None or domain_name not in self.domain_names:
            raise errors.DomainNameNotFound()
        return self.domain_names[domain_name]

    def domain_names_using(self, certificate_arn: str) -> list[str]:
        """The custom domain names whose configuration names ``certificate_arn``."""
        return [
            name
            for name, domain in self.domain_names.items()
            if any(
                c.get("certificateArn") == certificate_arn
                for c in domain.domain_name_configurations
            )
        ]

    def update_domain_name(
        self, domain_name: str, domain_name_configurations: list[dict[str, Any]] | None
    ) -> GwlabDomainName:
        """Switch a domain name to another certificate (checked like a new one)."""
        domain = self.get_domain_name(domain_name)
        if domain_name_configurations:
            domain.use_certificate(self._certificate_for(domain_name, domain_name_configurations))
        return domain

    def delete_domain_name(self, domain_name: str) -> None:
        """Delete a domain name together with its API mappings."""
        self.get_domain_name(domain_name)
        for mapping_id in [i for i, m in self.api_mappings.items() if m.domain_name == domain_name]:
            del self.api_mappings[mapping_id]
        del self.domain_names[domain_name]

    # --- API mappings ------------------------------------------------------------------------

    def _check_mapping(
        self, domain_name: str, api_id: str, stage: str, key: str, mapping_id: str = ""
    ) -> None:
        validation.check_mapping_key(key)
        if stage not in self.get_api(api_id).stages:
            raise errors.MappingStageNotFound()
        for other in self.get_api_mappings(domain_name):
            if other.api_mapping_key == key and other.api_mapping_id != mapping_id:
                raise errors.ApiMappingKeyExists()

    def create_api_mapping(
        self, api_id: str, api_mapping_key: str, domain_name: str, stage: str
    ) -> GwlabApiMapping:
        """Map ``api_id``'s ``stage`` at ``api_mapping_key`` of an existing domain name."""
        self.get_domain_name(domain_name)
        key = api_mapping_key or ""
        self._check_mapping(domain_name, api_id, stage, key)
        if len(self.get_api_mappings(domain_name)) >= validation.API_MAPPINGS_PER_DOMAIN:
            raise errors.TooManyApiMappings(validation.API_MAPPINGS_PER_DOMAIN)
        mapping = GwlabApiMapping(
            api_id=api_id,
            api_mapping_key=key,
            api_mapping_id=random_id(10),
            domain_name=domain_name,
            stage=stage,
        )
        self.api_mappings[mapping.api_mapping_id] = mapping
        return mapping

    def get_api_mappings(self, domain_name: str) -> list[ApiMapping]:
        """The mappings of an existing domain name."""
        self.get_domain_name(domain_name)
        return super().get_api_mappings(domain_name)

    def get_api_mapping(self, api_mapping_id: str, domain_name: str) -> ApiMapping:
        """A mapping of ``domain_name`` (a mapping of another domain is not found)."""
        self.get_domain_name(domain_name)
        mapping = self.api_mappings.get(api_mapping_id)
        if mapping is None or mapping.domain_name != domain_name:
            raise ApiMappingNotFound()
        return mapping

    def delete_api_mapping(self, api_mapping_id: str, domain_name: str) -> None:
        """Delete a mapping of an existing ``domain_name``."""
        self.get_api_mapping(api_mapping_id, domain_name)
        del self.api_mappings[api_mapping_id]

    def update_api_mapping(
        self,
        api_mapping_id: str,
        domain_name: str,
        api_id: str,
        api_mapping_key: str | None,
        stage: str | None,
    ) -> ApiMapping:
        """Change a mapping's API, stage or key under the rules of creating one."""
        mapping = self.get_api_mapping(api_mapping_id, domain_name)
        key = mapping.api_mapping_key if api_mapping_key is None else api_mapping_key
        new_stage = stage or mapping.stage
        self._check_mapping(domain_name, api_id, new_stage, key, api_mapping_id)
        mapping.api_id, mapping.api_mapping_key, mapping.stage = api_id, key, new_stage
        return mapping


def served_stage(
    api_id: str, stage_name: str, *, region: str, account_id: str = DEFAULT_ACCOUNT_ID
) -> ServedStage | None:
    """The stage ``stage_name`` of API ``api_id`` as it serves requests right now.

    Reads the embedded AWS in-process (no boto3 round trip), so it is as cheap
    as a dictionary lookup. Returns ``None`` when the API or stage does not
    exist. Only valid while an embedded or server environment is open.
    """
    backend = backend_for(account_id, region)
    assert isinstance(backend, GwlabApiGatewayV2Backend), "gwlab's emulator is not active"
    api = backend.apis.get(api_id)
    if api is None:
        return None
    stage = api.stages.get(stage_name)
    if stage is None:
        return None
    deployment = api.deployments.get(stage.deployment_id) if stage.deployment_id else None
    return ServedStage(
        api_id=api_id,
        stage_name=stage_name,
        stage_variables=MappingProxyType(dict(stage.stage_variables)),
        snapshot=deployment.snapshot if deployment is not None else None,
    )


__all__ = [
    "AUTO_DEPLOYMENT_DESCRIPTION",
    "Deployment",
    "GwlabApi",
    "GwlabApiGatewayV2Backend",
    "GwlabApiMapping",
    "GwlabDomainName",
    "GwlabStage",
    "backend_for",
    "random_id",
    "served_stage",
]
