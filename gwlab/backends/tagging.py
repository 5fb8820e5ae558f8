"""Tag everything gwlab creates in a real AWS account, so it can be found again.

Installed on each client of the ``aws`` backend: every create-like operation
whose input has a ``Tags`` member gets gwlab's tags added (the learner's own
tags are kept), whatever the shape AWS uses for them there (a map, or a list of
``{Key, Value}``). Route 53 hosted zones take no tags on creation, so they are
tagged right after.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from typing import Any

#: The tag key every resource gwlab creates carries; its value names the course.
LAB_TAG = "gwlab:lab"
#: The tag key naming the learner who created the resource.
LEARNER_TAG = "gwlab:learner"
#: The value of :data:`LAB_TAG`.
COURSE_ID = "apigw-http-stages-domains"

#: The environment variable that names the learner (a class shares one account).
LEARNER_ENV_VAR = "GWLAB_LEARNER"

_CREATE_VERBS = ("Create", "Request", "Import", "Put")


def learner_id(explicit: str | None = None) -> str:
    """The learner's id: ``explicit``, else ``$GWLAB_LEARNER``, else the login name.

    Reduced to the characters every AWS tag value accepts.
    """
    raw = explicit or os.environ.get(LEARNER_ENV_VAR) or _login_name()
    cleaned = re.sub(r"[^A-Za-z0-9 _.:/=+@-]", "-", raw).strip() or "learner"
    return cleaned[:128]


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"


def resource_tags(learner: str) -> dict[str, str]:
    """The tags gwlab puts on every resource it creates for ``learner``."""
    return {LAB_TAG: COURSE_ID, LEARNER_TAG: learner}


def _tags_in_shape(shape: Any, tags: Mapping[str, str], existing: Any) -> Any:
    """``tags`` merged under ``existing``, in the form ``shape`` expects."""
    if shape.type_name == "map":
        merged = dict(tags)
        merged.update(existing or {})
        return merged
    if shape.type_name == "list":
        present = {item.get("Key") for item in existing or []}
        extra = [{"Key": k, "Value": v} for k, v in tags.items() if k not in present]
        return list(existing or []) + extra
    return existing


def install_tagging(client: Any, tags: Mapping[str, str]) -> None:
    """Make ``client`` tag every resource it creates with ``tags``."""
    frozen = dict(tags)

    def add_tags(params: dict[str, Any], model: Any, **_: Any) -> None:
        if not model.name.startswith(_CREATE_VERBS) or model.input_shape is None:
            return
        members = model.input_shape.members
        if "Tags" in members:
            params["Tags"] = _tags_in_shape(members["Tags"], frozen, params.get("Tags"))

    def tag_hosted_zone(http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
        if model.name != "CreateHostedZone" or http_response.status_code >= 300:
            return
        zone_id = parsed["HostedZone"]["Id"].rsplit("/", 1)[-1]
        client.change_tags_for_resource(
            ResourceType="hostedzone",
            ResourceId=zone_id,
            AddTags=[{"Key": k, "Value": v} for k, v in frozen.items()],
        )

    client.meta.events.register("before-parameter-build", add_tags)
    if client.meta.service_model.service_name == "route53":
        client.meta.events.register("after-call", tag_hosted_zone)
