"""gwlab: a hands-on lab for AWS API Gateway HTTP APIs.

Stages and deployments, stage variables, custom domain names, API mappings,
Route 53 alias records and CORS, run offline on an embedded AWS (moto plus
gwlab's own additions) or, when explicitly allowed, in a real account::

    import gwlab
    with gwlab.start() as env:                 # embedded: moto in this process
        api = env.client("apigatewayv2")
        api.create_api(Name="demo", ProtocolType="HTTP")

    lab = gwlab.Lab("02-stages")               # a lesson, its steps run from buttons
    lab.ui()
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from gwlab._version import __version__
from gwlab.env import LabEnv, start
from gwlab.errors import (
    EnvClosedError,
    GwlabError,
    InvalidLessonIdError,
    InvalidRegionError,
    LocalOnlyError,
    NoLocalDnsError,
    NoLocalGatewayError,
    PortInUseError,
    PortNotAllowedError,
    RealAwsNotAllowed,
    UnknownBackendError,
    UnsupportedOperationError,
    UnsupportedServiceError,
)
from gwlab.wiring import provide

if TYPE_CHECKING:
    from gwlab.lab import Lab
    from gwlab.lab.plugins import Course, Views


def _course() -> Course:
    """The course the engine runs: gwlab.lessons (which imports the engine, not back)."""
    from gwlab import lessons

    return lessons


def _views() -> Views:
    """The widgets the engine shows: gwlab.ui, whose modules load on first use."""
    from gwlab import ui

    return ui


# The engine (gwlab.lab) imports neither the lessons nor the widgets: it asks gwlab.wiring.
provide("course", _course)
provide("views", _views)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext gwlab``: the ``%aws`` / ``%%aws`` magics (awscli loads on first use)."""
    from gwlab.magics import register

    register(ipython)


def _register_magics_in_ipython() -> None:
    """Inside IPython (a notebook's kernel), ``import gwlab`` brings ``%aws`` too.

    Only when IPython is already running: a plain ``python`` never imports it.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        load_ipython_extension(shell)


_register_magics_in_ipython()


def __getattr__(name: str) -> Any:
    """``gwlab.Lab``, imported on first use (it brings moto, pandas and the lessons)."""
    if name == "Lab":
        from gwlab.startup.heap import settled

        with settled(freeze=False):  # the first Lab(...) freezes what both built
            from gwlab.lab import Lab
        globals()["Lab"] = Lab  # later accesses are plain attribute reads
        return Lab
    raise AttributeError(f"module 'gwlab' has no attribute {name!r}")


__all__ = [
    "EnvClosedError",
    "GwlabError",
    "InvalidLessonIdError",
    "InvalidRegionError",
    "Lab",
    "LabEnv",
    "LocalOnlyError",
    "NoLocalDnsError",
    "NoLocalGatewayError",
    "PortInUseError",
    "PortNotAllowedError",
    "RealAwsNotAllowed",
    "UnknownBackendError",
    "UnsupportedOperationError",
    "UnsupportedServiceError",
    "__version__",
    "start",
]
