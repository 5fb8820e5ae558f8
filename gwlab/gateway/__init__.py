"""The local gateway: what API Gateway does with a request, for the embedded AWS.

moto has no data plane; this package is one. It resolves the host and path to
an API and stage (``resolve``), selects a route from the deployed snapshot
(``routes``), applies CORS (``cors``), builds the payload 2.0 event and reads
the answer (``events``), runs the Python function in a worker process of its
own (``runtime``, ``workers``),
records every decision (``trace``) and serves it all over HTTP (``server``).
"""

from __future__ import annotations

from gwlab.gateway.gateway import Gateway
from gwlab.gateway.http import GatewayRequest, GatewayResponse, Headers, InvalidRequestError
from gwlab.gateway.resolve import UnknownHostError
from gwlab.gateway.trace import Hop, Trace

__all__ = [
    "Gateway",
    "GatewayRequest",
    "GatewayResponse",
    "Headers",
    "Hop",
    "InvalidRequestError",
    "Trace",
    "UnknownHostError",
]
