"""API Gateway v2 as AWS has it: deployments, updates, quick create, validation.

moto 5.2.5 lacks much of what the lesson needs and accepts what AWS rejects
(``../shared/AWS_FACTS.md``, last section). This package fills the gap in
moto's own shape — ``models.py``, ``responses.py``, ``urls.py``,
``exceptions.py``, plus ``validation.py`` (the rules) and ``snapshots.py``
(what a stage serves, for the local gateway) — and installs it while an
environment is open.
"""

from __future__ import annotations

from moto import backend_index
from moto.apigatewayv2.models import apigatewayv2_backends

from gwlab.emulator.apigatewayv2 import urls
from gwlab.emulator.apigatewayv2.models import GwlabApiGatewayV2Backend, served_stage
from gwlab.emulator.apigatewayv2.snapshots import DeploymentSnapshot, ServedStage
from gwlab.emulator.patching import combine, insert_first, replace_backend_class
from gwlab.emulator.registry import Undo, addition

__all__ = ["DeploymentSnapshot", "ServedStage", "served_stage"]


@addition("apigatewayv2: deployments, updates, quick create and AWS's validation")
def install() -> Undo:
    """Make moto build gwlab's backend and route API Gateway v2 requests to its handlers."""
    # moto routes apigateway.<region>.amazonaws.com to the v1 service; v2's paths go to
    # v2 first (in server mode, gwlab's dispatcher does the same by path).
    return combine(
        replace_backend_class(apigatewayv2_backends, GwlabApiGatewayV2Backend),
        insert_first(backend_index.backend_url_patterns, urls.BACKEND_URL_PATTERN),
    )
