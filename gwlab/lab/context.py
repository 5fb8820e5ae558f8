"""What a step's action and checks work with: the environment, ids, parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwlab.errors import GwlabError
from gwlab.lab.calls import hook

if TYPE_CHECKING:
    from gwlab.env import LabEnv
    from gwlab.gateway import Gateway


class MissingResourceError(GwlabError, LookupError):
    """A step needs an id that no earlier step has recorded."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no {key.replace('_', ' ')} yet: run the step that creates it first")


@dataclass(frozen=True)
class Resource:
    """Something a step created, so that clean-up can delete it."""

    kind: str
    id: str
    region: str
    #: Extra identification some kinds need (the domain of a mapping, the zone of a record).
    parent: str = ""


@dataclass
class SessionState:
    """What the lab has built in one environment."""

    #: Named ids steps record (``api_id``, ``certificate_arn``, ...), shared by all lessons.
    ids: dict[str, str] = field(default_factory=dict)
    #: ``lesson/step`` keys of steps that passed in this environment.
    passed: set[str] = field(default_factory=set)
    #: Every resource created, oldest first.
    created: list[Resource] = field(default_factory=list)
    #: Whether the real-AWS plan has been shown in this session.
    plan_shown: bool = False

    def record(self, resource: Resource) -> None:
        """Remember ``resource`` for clean-up (once)."""
        if resource not in self.created:
            self.created.append(resource)


@dataclass
class StepContext:
    """Handed to a step's action, CLI command and checks."""

    env: LabEnv
    state: SessionState
    params: dict[str, Any]

    def client(self, service: str, region_name: str | None = None) -> Any:
        """A boto3 client of the environment, whose calls a step's run records."""
        return hook(self.env.client(service, region_name=region_name))

    @property
    def region(self) -> str:
        """The environment's region."""
        return self.env.region

    @property
    def gateway(self) -> Gateway:
        """The local gateway."""
        return self.env.gateway

    def id(self, key: str) -> str:
        """A recorded id, or a clear error naming what is missing."""
        if key not in self.state.ids:
            raise MissingResourceError(key)
        return self.state.ids[key]

    def id_or(self, key: str, placeholder: str) -> str:
        """A recorded id, or ``placeholder`` (for CLI commands shown before a run)."""
        return self.state.ids.get(key, placeholder)

    def created(self, kind: str, resource_id: str, *, region: str = "", parent: str = "") -> None:
        """Record a resource this step created."""
        self.state.record(Resource(kind, resource_id, region or self.env.region, parent))
