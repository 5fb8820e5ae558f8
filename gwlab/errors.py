"""gwlab's own errors: each one a single clear sentence for the learner.

AWS errors are not wrapped: a boto3 call against any backend raises botocore's
``ClientError`` with AWS's own code and message, as it would against AWS.
"""

from __future__ import annotations


class GwlabError(Exception):
    """Base class of every error gwlab raises itself.

    ``str(error)`` is always one line (or, for :class:`RealAwsNotAllowed`, one
    paragraph) that a learner can act on; the command line prints it without a
    traceback and exits with status 2.
    """


class UnknownBackendError(GwlabError, ValueError):
    """``gwlab.start(backend=...)`` named a backend that does not exist."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        super().__init__(
            f"unknown backend {name!r}: choose one of {', '.join(repr(k) for k in known)}"
        )


class InvalidRegionError(GwlabError, ValueError):
    """A region name that is not shaped like an AWS region (``us-east-1``)."""

    def __init__(self, region: object) -> None:
        super().__init__(
            f"{region!r} is not an AWS region name; use one like 'us-east-1' or 'eu-west-1'"
        )


class EnvClosedError(GwlabError, RuntimeError):
    """A client or method of an environment that has been closed was used."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"this gwlab environment is closed ({reason}); start a new one with gwlab.start()"
        )


class PortInUseError(GwlabError, OSError):
    """The port asked for is already taken on the loopback interface."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            f"port {port} is already in use on {host}; choose another port, "
            "or 0 to let the system pick a free one"
        )


class PortNotAllowedError(GwlabError, PermissionError):
    """The port asked for is privileged (below 1024) and this user may not listen on it."""

    def __init__(self, port: int) -> None:
        super().__init__(
            f"port {port} needs administrator rights (ports below 1024 are privileged): "
            "use --port 0 for a free port, or one above 1023"
        )


class RealAwsNotAllowed(GwlabError, PermissionError):
    """``backend="aws"`` was asked for without the explicit opt-in."""


class NotebooksNotFoundError(GwlabError, FileNotFoundError):
    """``gwlab lab`` could not find the lab's notebooks."""


class LocalOnlyError(GwlabError, RuntimeError):
    """A part of the emulated AWS was asked for while working against real AWS."""


class NoLocalDnsError(LocalOnlyError):
    """``env.dns`` was used with the ``aws`` backend: AWS's DNS is public DNS."""

    def __init__(self) -> None:
        super().__init__(
            "there is no local DNS server against real AWS: ask public DNS instead, "
            "for example `dig api.example.com A`"
        )


class NoLocalGatewayError(LocalOnlyError):
    """``env.gateway`` was used with the ``aws`` backend: API Gateway itself answers."""

    def __init__(self) -> None:
        super().__init__(
            "there is no local gateway against real AWS: send the request to the API's real "
            "URL instead, for example with curl"
        )


class UnsupportedServiceError(GwlabError, RuntimeError):
    """A boto3 call to a service the embedded AWS does not emulate; nothing was sent."""

    def __init__(self, service: str) -> None:
        super().__init__(
            f"the embedded AWS has no {service} service (moto does not emulate it); "
            "nothing was sent"
        )


class UnsupportedOperationError(GwlabError, RuntimeError):
    """A boto3 call to an operation the embedded AWS does not emulate; nothing was sent."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            f"the embedded AWS has no {service} {operation} (moto does not emulate it); "
            "nothing was sent"
        )


class InvalidLessonIdError(GwlabError, ValueError):
    """``gwlab.Lab(...)`` got something that is not a lesson id (``None``, a number, a blank)."""

    def __init__(self, lesson_id: object, known: tuple[str, ...]) -> None:
        if isinstance(lesson_id, str):
            given = repr(lesson_id[:40]) + ("…" if len(lesson_id) > 40 else "")
        else:
            given = "None" if lesson_id is None else f"a {type(lesson_id).__name__}"
        super().__init__(
            f"{given} is not a lesson id: use one of {', '.join(known)} (or its number, "
            "such as '03')"
        )
