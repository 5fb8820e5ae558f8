"""In embedded mode, a request moto cannot answer never leaves the machine.

``mock_aws`` answers a botocore request through one ``before-send`` handler,
moto's ``BotocoreStubber``, which every client in the process has. For a URL
no moto service claims (``qbusiness.us-east-1.api.aws``) it answers nothing,
and botocore then sends the request for real: a DNS lookup and an HTTPS
attempt signed with the fake key. While an environment is open the stubber
raises :class:`~gwlab.errors.UnsupportedServiceError` instead (or
:class:`~gwlab.errors.UnsupportedOperationError` for moto's "Not yet
implemented" answer), so the learner reads one line and nothing is sent.
Requests to loopback addresses (a local server) still go through.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

import moto.backend_index as backend_index
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.utils import get_equivalent_url_in_aws_domain

from gwlab.emulator.patching import replace_attribute
from gwlab.emulator.registry import Undo, addition
from gwlab.errors import UnsupportedOperationError, UnsupportedServiceError

#: moto's body for a URL of ``amazonaws.com`` that none of its services routes.
_NOT_IMPLEMENTED = b"Not yet implemented"


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine (``localhost`` or a loopback address)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _has_service(url: str) -> bool:
    """Whether one of moto's services claims the host of ``url``."""
    parsed, _ = get_equivalent_url_in_aws_domain(url)
    base = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    return any(pattern.match(base) for _, pattern in backend_index.backend_url_patterns)


def _names(event_name: str) -> tuple[str, str]:
    """The service and operation of ``before-send.<service>.<Operation>``."""
    parts = event_name.split(".")
    service = parts[1] if len(parts) > 1 else "this"
    operation = parts[2] if len(parts) > 2 else "this operation"
    return service, operation


@addition("core: requests moto cannot answer stay in the process")
def refuse_passthrough() -> Undo:
    """Make moto's stubber raise a gwlab error where it would let a request out."""
    original = BotocoreStubber.__call__

    def __call__(self: BotocoreStubber, event_name: str, request: Any, **kwargs: Any) -> Any:
        response = original(self, event_name, request, **kwargs)
        if response is not None and response.status_code != 404:
            return response  # moto answered: the common case, checked first
        if not self.enabled or is_loopback(str(request.url)):
            return response
        if response is None:
            raise UnsupportedServiceError(_names(event_name)[0])
        if response.status_code == 404 and response.content == _NOT_IMPLEMENTED:
            service, operation = _names(event_name)
            if _has_service(str(request.url)):
                raise UnsupportedOperationError(service, operation)
            raise UnsupportedServiceError(service)
        return response

    return replace_attribute(BotocoreStubber, "__call__", __call__)
