"""What a step said to AWS: every API call its action made, recorded with botocore's events.

:func:`hook` registers three handlers once on a lab client (``provide-client-params``,
``after-call``, ``after-call-error``). They do nothing unless :func:`recording` is open
in the same thread, so a learner's own calls and the gateway's threads are never
recorded. What is kept is what the caller passed (before serialisation) and what AWS
answered (``ResponseMetadata``, which holds the HTTP headers, is dropped): never
headers, credentials or signatures. Against real AWS, values under a name that suggests
a secret are redacted too. Bytes, datetimes and streams become short, deterministic
values (a Lambda zip is ``<zip, 1,234 bytes>``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from botocore import xform_name

#: Names whose values are not shown against real AWS: the whole name, so that what
#: only mentions a secret stays visible (``SecretId``, ``NextToken``, ``AllowCredentials``,
#: ``AuthorizationType``).
SECRET_NAME = re.compile(
    r"""(?ix)^(
        .*secret(access)?key | secret(string|binary) | client.?secret
        | .*password | .*passwd | passphrase | .*private.?key | .*signature
        | (session|security|access|refresh|id|auth|bearer).?token | authorization
    )$"""
)
#: What a redacted value shows.
REDACTED = "<redacted>"
#: Bytes longer than this are shown by their size only.
SHORT_BYTES = 64
#: The attribute that marks a client already hooked.
_HOOKED = "_gwlab_calls_hooked"
#: The request-context key a call in flight is kept under.
_PENDING = "gwlab_call"

_local = threading.local()


@dataclass(frozen=True)
class Blob:
    """Bytes too long to show: their kind and size (``<zip, 1,234 bytes>``)."""

    kind: str
    size: int

    def __repr__(self) -> str:
        return f"<{self.kind}, {self.size:,} bytes>"


@dataclass(frozen=True)
class Call:
    """One AWS API call: what was asked, and what AWS answered or the error it returned."""

    service: str
    #: The API's operation name (``CreateStage``).
    operation: str
    params: Mapping[str, Any] = field(default_factory=dict)
    #: The parsed answer without ``ResponseMetadata`` (``None`` for an error).
    response: Mapping[str, Any] | None = None
    error_code: str = ""
    error_message: str = ""
    #: The client's region ("" when not known).
    region: str = ""
    #: For a CLI ``wait`` command: the waiter's name (``ResourceRecordSetsChanged``).
    waiter: str = ""

    @property
    def method(self) -> str:
        """The boto3 method name (``create_stage``)."""
        return str(xform_name(self.operation))

    @property
    def failed(self) -> bool:
        """Whether AWS (or the connection) answered with an error."""
        return bool(self.error_code)


class _Recorder:
    def __init__(self, redact: bool) -> None:
        self.redact = redact
        self.calls: list[Call] = []


@contextmanager
def recording(*, redact: bool = False) -> Iterator[list[Call]]:
    """Record the hooked clients' calls made in this thread; ``redact`` hides secrets.

    Yields the list the calls are appended to, in the order they finished.
    """
    recorder = _Recorder(redact)
    outer = getattr(_local, "recorder", None)
    _local.recorder = recorder
    try:
        yield recorder.calls
    finally:
        _local.recorder = outer


def hook(client: Any) -> Any:
    """Register the recording handlers on ``client`` (once); returns ``client``."""
    if getattr(client, _HOOKED, False):
        return client
    region = str(client.meta.region_name or "")
    if region.endswith("-global"):  # a global service (Route 53, IAM): no region to name
        region = ""
    events = client.meta.events

    def provided(params: Mapping[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        recorder = getattr(_local, "recorder", None)
        if recorder is None:
            return
        service = str(model.service_model.service_name)
        context[_PENDING] = (recorder, service, model.name, clean(params, recorder.redact))

    def answered(http_response: Any, parsed: Any, context: dict[str, Any], **_: Any) -> None:
        pending = context.pop(_PENDING, None)
        if pending is None:
            return
        recorder, service, operation, params = pending
        status = int(getattr(http_response, "status_code", 200) or 200)
        error = parsed.get("Error", {}) if isinstance(parsed, Mapping) else {}
        if status >= 300 or error:
            call = Call(
                service,
                operation,
                params,
                error_code=str(error.get("Code", status)),
                error_message=" ".join(str(error.get("Message", "")).split()),
                region=region,
            )
        else:
            body = {k: v for k, v in dict(parsed or {}).items() if k != "ResponseMetadata"}
            call = Call(service, operation, params, clean(body, recorder.redact), region=region)
        recorder.calls.append(call)

    def broke(exception: Exception, context: dict[str, Any], **_: Any) -> None:
        pending = context.pop(_PENDING, None)
        if pending is None:
            return
        recorder, service, operation, params = pending
        message = " ".join(str(exception).split())
        recorder.calls.append(
            Call(service, operation, params, None, type(exception).__name__, message, region)
        )

    events.register("provide-client-params", provided, unique_id="gwlab-calls-provided")
    events.register("after-call", answered, unique_id="gwlab-calls-answered")
    events.register("after-call-error", broke, unique_id="gwlab-calls-broke")
    setattr(client, _HOOKED, True)
    return client


def clean(value: Any, redact: bool = False) -> Any:
    """``value`` as plain, deterministic data: dicts, lists, text, numbers, :class:`Blob`."""
    if isinstance(value, Mapping):
        return {
            str(key): REDACTED if redact and SECRET_NAME.match(str(key)) else clean(item, redact)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [clean(item, redact) for item in value]
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        if data.startswith(b"PK\x03\x04"):
            return Blob("zip", len(data))
        return data if len(data) <= SHORT_BYTES else Blob("bytes", len(data))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool, Blob)):
        return value
    if hasattr(value, "read"):  # a streaming body: reading it would consume it
        return Blob("stream", int(getattr(value, "_content_length", 0) or 0))
    return repr(value)
