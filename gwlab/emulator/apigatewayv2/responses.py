"""Request handlers for what gwlab adds to API Gateway v2; moto handles the rest.

Each method is named after the operation (moto maps ``CreateDeployment`` to
``create_deployment``), reads the REST-JSON request and returns AWS's shape.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from moto.apigatewayv2.exceptions import UnknownProtocol
from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.core.common_types import TYPE_RESPONSE

from gwlab.emulator.apigatewayv2.models import GwlabApiGatewayV2Backend

#: createApi request members passed straight to the model (camelCase -> snake_case).
_CREATE_API_MEMBERS = {
    "apiKeySelectionExpression": "api_key_selection_expression",
    "corsConfiguration": "cors_configuration",
    "description": "description",
    "disableSchemaValidation": "disable_schema_validation",
    "disableExecuteApiEndpoint": "disable_execute_api_endpoint",
    "name": "name",
    "protocolType": "protocol_type",
    "routeSelectionExpression": "route_selection_expression",
    "tags": "tags",
    "version": "version",
    "target": "target",
    "routeKey": "route_key",
    "credentialsArn": "credentials_arn",
}


class GwlabApiGatewayV2Response(ApiGatewayV2Response):
    """moto's API Gateway v2 handlers plus deployments, updates and quick create."""

    def setup_class(
        self,
        request: Any,
        full_url: str | None = None,
        headers: Any = None,
        use_raw_body: bool | None = None,
    ) -> None:
        """Set up as moto does, with the path percent-decoded.

        botocore sends a wildcard domain name as ``%2A.example.com``, and moto's own
        handlers read names from the path.
        """
        super().setup_class(request, full_url, headers, use_raw_body)
        self.path = unquote(self.path)

    @property
    def backend(self) -> GwlabApiGatewayV2Backend:
        """The backend of the request's account and region (gwlab's class while active)."""
        backend = self.apigatewayv2_backend
        assert isinstance(backend, GwlabApiGatewayV2Backend)
        return backend

    def _segment(self, from_end: int) -> str:
        """The URL path segment ``from_end`` places from the end, percent-decoded."""
        return unquote(self.path.split("?")[0].split("/")[-from_end])

    def _body(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}

    @staticmethod
    def _json(status: int, body: Any) -> TYPE_RESPONSE:
        # moto takes the status from the headers, not from the tuple.
        return status, {"status": str(status)}, json.dumps(body)

    def create_api(self) -> TYPE_RESPONSE:
        """CreateApi, including quick create (Target, RouteKey, CredentialsArn)."""
        params = self._body()
        if params.get("protocolType") not in ("HTTP", "WEBSOCKET"):
            raise UnknownProtocol()
        kwargs = {snake: params.get(camel) for camel, snake in _CREATE_API_MEMBERS.items()}
        api = self.backend.create_api(**kwargs)
        return self._json(201, api.to_json())

    def update_stage(self) -> TYPE_RESPONSE:
        """UpdateStage: /v2/apis/{apiId}/stages/{stageName}."""
        stage = self.backend.update_stage(self._segment(3), self._segment(1), self._body())
        return self._json(200, stage.to_json())

    def create_deployment(self) -> TYPE_RESPONSE:
        """CreateDeployment: /v2/apis/{apiId}/deployments."""
        params = self._body()
        deployment = self.backend.create_deployment(
            self._segment(2), params.get("description"), params.get("stageName")
        )
        return self._json(201, deployment.to_json())

    def get_deployment(self) -> TYPE_RESPONSE:
        """GetDeployment: /v2/apis/{apiId}/deployments/{deploymentId}."""
        deployment = self.backend.get_deployment(self._segment(3), self._segment(1))
        return self._json(200, deployment.to_json())

    def get_deployments(self) -> TYPE_RESPONSE:
        """GetDeployments: /v2/apis/{apiId}/deployments."""
        deployments = self.backend.get_deployments(self._segment(2))
        return self._json(200, {"items": [d.to_json() for d in deployments]})

    def delete_deployment(self) -> TYPE_RESPONSE:
        """DeleteDeployment: /v2/apis/{apiId}/deployments/{deploymentId}."""
        self.backend.delete_deployment(self._segment(3), self._segment(1))
        return 204, {"status": "204"}, ""

    def update_domain_name(self) -> TYPE_RESPONSE:
        """UpdateDomainName: /v2/domainnames/{domainName}."""
        params = self._body()
        domain = self.backend.update_domain_name(
            self._segment(1), params.get("domainNameConfigurations")
        )
        return self._json(200, domain.to_json())

    def update_api_mapping(self) -> TYPE_RESPONSE:
        """UpdateApiMapping: /v2/domainnames/{domainName}/apimappings/{apiMappingId}."""
        params = self._body()
        mapping = self.backend.update_api_mapping(
            api_mapping_id=self._segment(1),
            domain_name=self._segment(3),
            api_id=params.get("apiId", ""),
            api_mapping_key=params.get("apiMappingKey"),
            stage=params.get("stage"),
        )
        return self._json(200, mapping.to_json())
