"""The answers API Gateway gives itself, without calling an integration."""

from __future__ import annotations

import json

#: (status, body) pairs, as HTTP APIs send them (AWS_FACTS).
NOT_FOUND = (404, {"message": "Not Found"})
FORBIDDEN = (403, {"message": "Forbidden"})
INTERNAL_SERVER_ERROR = (500, {"message": "Internal Server Error"})
#: ASSUMED: no public source gives HTTP APIs' answer to a body over the payload limit
#: (REST APIs behind CloudFront were seen answering 413 in plain text); the status is
#: HTTP's, the body API Gateway's shape.
PAYLOAD_TOO_LARGE = (413, {"message": "Request Entity Too Large"})
#: HTTP APIs' quota "Payload size: 10 MB" (http-api-quotas), in bytes, not adjustable.
PAYLOAD_LIMIT = 10 * 1024 * 1024
#: ASSUMED (AWS_FACTS): the error type header on a 403 from a custom domain.
FORBIDDEN_ERROR_TYPE = "ForbiddenException"
#: ASSUMED (AWS_FACTS): a preflight API Gateway answers itself gets 204.
PREFLIGHT_STATUS = 204


def json_body(body: object) -> bytes:
    """The compact JSON API Gateway writes, e.g. ``{"message":"Not Found"}``."""
    return json.dumps(body, separators=(",", ":")).encode()
