"""API Gateway v2 URL table: moto's paths, gwlab's handler class, and the deployment paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.apigatewayv2 import urls as moto_urls

from gwlab.emulator.apigatewayv2.responses import GwlabApiGatewayV2Response

url_bases = moto_urls.url_bases


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
