"""The three places AWS can live: embedded (default), server and aws.

Backends are imported when opened, so that ``import gwlab`` and ``gwlab --help``
stay quick and the ``aws`` backend never imports moto.
"""

from __future__ import annotations

from gwlab.backends.base import Backend
from gwlab.errors import UnknownBackendError

#: Backend names, in the order the docs present them.
BACKEND_NAMES: tuple[str, ...] = ("embedded", "server", "aws")


def open_backend(
    name: str,
    *,
    region: str,
    seed: int,
    port: int = 0,
    learner: str | None = None,
    endpoint_url: str | None = None,
) -> Backend:
    """Open the backend called ``name``; options that do not apply to it are ignored."""
    if name == "embedded":
        from gwlab.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(region, seed)
    if name == "server":
        from gwlab.backends.server import ServerBackend

        return ServerBackend(region, seed, port=port)
    if name == "aws":
        from gwlab.backends.aws import AwsBackend

        return AwsBackend(region, learner=learner, endpoint_url=endpoint_url)
    raise UnknownBackendError(name, BACKEND_NAMES)


__all__ = ["BACKEND_NAMES", "Backend", "open_backend"]
