"""The API Gateway v2 errors moto lacks, one small class per AWS error.

Texts come from ``../shared/AWS_FACTS.md`` where it gives them. Where it does
not, the class docstring says ``ASSUMED`` and where the wording comes from; the
error *code* always matches AWS's service model. Every ASSUMED text is listed
in ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

from moto.apigatewayv2.exceptions import APIGatewayV2Error, BadRequestException


class ConflictException(APIGatewayV2Error):
    """HTTP 409 ``ConflictException``."""

    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


class NotFoundException(APIGatewayV2Error):
    """HTTP 404 ``NotFoundException``."""

    code = 404

    def __init__(self, message: str) -> None:
        super().__init__("NotFoundException", message)


# --- stages and deployments -------------------------------------------------------------


class StageAlreadyExists(ConflictException):
    """ASSUMED: the REST API's text for a duplicate stage (AWS_FACTS, Stages)."""

    def __init__(self) -> None:
        super().__init__("Stage already exists")


class InvalidStageName(BadRequestException):
    """ASSUMED: wording after REST's "Stage name only allows a-zA-Z0-9_", with HTTP APIs' rules."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Invalid stage name '{name}': stage names only allow a-zA-Z0-9_- "
            "(at most 128 characters), or are exactly $default"
        )


class TooManyStages(BadRequestException):
    """ASSUMED text; the quota (10 stages per API) is from http-api-quotas."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"An API can have at most {limit} stages")


class DeploymentNotFound(NotFoundException):
    """moto's wording for a missing identifier, for deployments."""

    def __init__(self, deployment_id: str) -> None:
        super().__init__(f"Invalid Deployment identifier specified {deployment_id}")


class NoRoutesToDeploy(BadRequestException):
    """AWS's text (mach-composer/mach-composer-cli#42)."""

    def __init__(self) -> None:
        super().__init__("Unable to deploy API because no routes exist in this API")


class AutoDeployStage(BadRequestException):
    """ASSUMED: AWS_FACTS quotes only "can't be updated if autoDeploy is enabled"."""

    def __init__(self, stage_name: str) -> None:
        super().__init__(
            f"DeploymentId can't be updated if autoDeploy is enabled (stage '{stage_name}')"
        )


class StageInUseByMappings(BadRequestException):
    """ASSUMED: the REST API's text (terraform-provider-aws#41651) in HTTP APIs' terms."""

    def __init__(self, stage_name: str) -> None:
        super().__init__(
            f"Deleting stage {stage_name} failed. Please remove all API mappings related to "
            "the stage in your custom domain names."
        )


class DeploymentInUse(BadRequestException):
    """ASSUMED: the REST API's text for deleting a deployment a stage points to."""

    def __init__(self) -> None:
        super().__init__("Active stages pointing to this deployment must be moved or deleted")


# --- stage variables ----------------------------------------------------------------------


class InvalidStageVariableName(BadRequestException):
    """ASSUMED: phrased like the REST API's invalid-value text."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Invalid stage variable name: {name}. Please use names with alphanumeric "
            "characters and the symbol '_', at most 64 characters long."
        )


class InvalidStageVariableValue(BadRequestException):
    """The REST API's text (awsdocs/amazon-api-gateway-developer-guide#91) with v2's symbols."""

    def __init__(self, value: str) -> None:
        super().__init__(
            f"Invalid stage variable value: {value}. Please use values with alphanumeric "
            "characters and the symbols '-', '.', '_', '~', ':', '/', '?', '#', '&', '=', "
            "and ','."
        )


class StageVariableValueTooLong(BadRequestException):
    """ASSUMED text; the 512-character limit is from http-api-quotas (AWS_FACTS)."""

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(f"The value of stage variable {name} is longer than {limit} characters")


class TooManyStageVariables(BadRequestException):
    """ASSUMED text; the quota (100 per stage) is from http-api-quotas."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"A stage can have at most {limit} stage variables")


# --- routes and integrations --------------------------------------------------------------


class InvalidRouteKey(BadRequestException):
    """ASSUMED text; the rules are from http-api-develop-routes (AWS_FACTS, Routes)."""

    def __init__(self, route_key: str, reason: str) -> None:
        super().__init__(f"Invalid route key '{route_key}': {reason}")


class RouteKeyAlreadyExists(ConflictException):
    """ASSUMED text: two routes may not share a route key."""

    def __init__(self, route_key: str) -> None:
        super().__init__(f"A route with key '{route_key}' already exists for this API")


class InvalidRouteTarget(BadRequestException):
    """ASSUMED text: a route target must name an integration of the same API."""

    def __init__(self, target: str) -> None:
        super().__init__(
            f"Invalid route target '{target}': use integrations/<integration id> of this API"
        )


class TooMany(BadRequestException):
    """ASSUMED text for the per-API quotas (routes, integrations) of http-api-quotas."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"An API can have at most {limit} {what}")


class InvalidQuickCreateTarget(BadRequestException):
    """ASSUMED text: quick create takes a Lambda function ARN or an HTTP(S) URL."""

    def __init__(self, target: str) -> None:
        super().__init__(
            f"Invalid target {target}: quick create takes a Lambda function ARN or an "
            "http(s) URL, for HTTP APIs only"
        )


# --- CORS -----------------------------------------------------------------------------------


class CredentialsWithWildcardOrigin(BadRequestException):
    """AWS's text (AWS_FACTS, CORS)."""

    def __init__(self) -> None:
        super().__init__("allow-credentials is not supported if 'allow-origin' is *")


class InvalidCorsOrigin(BadRequestException):
    """ASSUMED text; the rule (no partial wildcards) is from http-api-cors."""

    def __init__(self, origin: str) -> None:
        super().__init__(
            f"Invalid CORS allow-origin '{origin}': use exact origins, '*', 'http://*' or "
            "'https://*'"
        )


class InvalidCorsMethod(BadRequestException):
    """ASSUMED text; unknown methods are rejected (http-api-cors)."""

    def __init__(self, method: str) -> None:
        super().__init__(
            f"Invalid CORS allow-method '{method}': use GET, POST, PUT, PATCH, DELETE, HEAD, "
            "OPTIONS or *"
        )


class InvalidCorsMaxAge(BadRequestException):
    """ASSUMED text; the range -1..86400 is the service model's."""

    def __init__(self, max_age: object) -> None:
        super().__init__(f"Invalid CORS max-age {max_age}: use a number from -1 to 86400")


# --- APIs -----------------------------------------------------------------------------------


class ApiInUseByMappings(BadRequestException):
    """AWS's text for deleting a mapped API (gruntwork-io/cloud-nuke#370)."""

    def __init__(self, api_id: str) -> None:
        super().__init__(
            f"Deleting API {api_id} failed. Please remove all API mappings for the API from "
            "your custom domain names."
        )


# --- custom domain names and API mappings ---------------------------------------------------


class DomainNameNotFound(NotFoundException):
    """AWS's text for an unknown domain name (serverless-domain-manager#83, aws-cdk#36708).

    moto says "The domain name resource specified in the request was not found.".
    """

    def __init__(self) -> None:
        super().__init__("Invalid domain name identifier specified")


class MappingStageNotFound(BadRequestException):
    """AWS's answer to a mapping onto a missing stage: 400, not 404 (aws-cdk#8983, #9078)."""

    def __init__(self) -> None:
        super().__init__("Invalid stage identifier specified")


class CertificateInWrongRegion(BadRequestException):
    """AWS's text (AWS_FACTS, Custom domains)."""

    def __init__(self, arn: str, region: str) -> None:
        super().__init__(f"Invalid certificate ARN: {arn}. Certificate must be in '{region}'.")


class CertificateNotFoundForDomain(BadRequestException):
    """ASSUMED: the wrong-region text's shape, for a certificate that does not exist."""

    def __init__(self, arn: str) -> None:
        super().__init__(f"Invalid certificate ARN: {arn}. Certificate not found.")


class CertificateNotIssued(BadRequestException):
    """ASSUMED text: only an ISSUED certificate can back a domain name."""

    def __init__(self, arn: str, status: str) -> None:
        super().__init__(
            f"Certificate {arn} is {status}; a custom domain name needs an ISSUED certificate"
        )


class CertificateDoesNotCover(BadRequestException):
    """ASSUMED text: the certificate must cover the domain name."""

    def __init__(self, arn: str, domain_name: str) -> None:
        super().__init__(f"Certificate {arn} does not cover the domain name {domain_name}")


class InvalidDomainName(BadRequestException):
    """ASSUMED text: a domain name is a DNS name of at least two labels."""

    def __init__(self, domain_name: str) -> None:
        super().__init__(f"Invalid domain name: {domain_name}")


class UnsupportedDomainConfiguration(BadRequestException):
    """ASSUMED text: HTTP APIs take REGIONAL domain names with TLS_1_2 (AWS_FACTS)."""

    def __init__(self, field: str, value: str, allowed: str) -> None:
        super().__init__(
            f"Invalid {field} {value}: HTTP API custom domain names support only {allowed}"
        )


class TooManyDomainNames(BadRequestException):
    """ASSUMED text; the quota (120 per region) is from http-api-quotas."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"A region can have at most {limit} custom domain names")


class ApiMappingKeyExists(ConflictException):
    """AWS's text (aws/aws-cdk#22660)."""

    def __init__(self) -> None:
        super().__init__("ApiMapping key already exists for this domain name")


class InvalidApiMappingKey(BadRequestException):
    """moto's texts for slashes (kept); ASSUMED for characters and length."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class TooManyApiMappings(BadRequestException):
    """ASSUMED text; the quota (200 mappings per domain) is from http-api-quotas."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"A custom domain name can have at most {limit} API mappings")
