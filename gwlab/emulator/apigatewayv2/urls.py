"""API Gateway v2 URL table: moto's paths, gwlab's handler class, and the deployment paths."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.apigatewayv2 import urls as moto_urls

from gwlab.emulator.apigatewayv2.responses import GwlabApiGatewayV2Response

url_bases = moto_urls.url_bases

#: API Gateway v1 and v2 share one host, and moto's routing index sends that host to v1,
#: whose URL table carries copies of v2's paths. Routing v2's paths (``/v2/...``) to v2
#: first keeps v1 — and its import of openapi-spec-validator and jsonschema, 0.16 s in
#: every kernel — out of the lab. Put in front of ``moto.backend_index.backend_url_patterns``.
BACKEND_URL_PATTERN = (
    "apigatewayv2",
    re.compile(r"https?://apigateway\.(.+)\.amazonaws\.com/v2/"),
)


def _ours(handler: Callable[..., Any]) -> Callable[..., Any]:
    """The same handler, bound to gwlab's response class."""
    return getattr(GwlabApiGatewayV2Response, handler.__name__)  # type: ignore[no-any-return]


url_paths: dict[str, Callable[..., Any]] = {
    path: _ours(handler) for path, handler in moto_urls.url_paths.items()
}
url_paths.update(
    {
        "{0}/v2/apis/(?P<api_id>[^/]+)/deployments$": GwlabApiGatewayV2Response.dispatch,
        "{0}/v2/apis/(?P<api_id>[^/]+)/deployments/(?P<deployment_id>[^/]+)$": (
            GwlabApiGatewayV2Response.dispatch
        ),
    }
)
