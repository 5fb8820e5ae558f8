"""The widgets learners click: a thin layer over :mod:`gwlab.lab`.

No logic lives here: each widget calls the model and draws what it returns,
writing into ``Output`` widgets with ``append_display_data`` (what nbval and
headless tests can read) and styled with JupyterLab's CSS variables only.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gwlab.ui.card import StepCard
    from gwlab.ui.dnslookup import DnsLookup
    from gwlab.ui.panel import LessonPanel
    from gwlab.ui.tracer import RequestTracer

__all__ = ["DnsLookup", "LessonPanel", "RequestTracer", "StepCard"]

#: Each widget's module, imported when first asked for: a card needs neither
#: dnspython's resolver (the DNS lookup) nor the tracer.
_MODULES = {
    "DnsLookup": "gwlab.ui.dnslookup",
    "LessonPanel": "gwlab.ui.panel",
    "RequestTracer": "gwlab.ui.tracer",
    "StepCard": "gwlab.ui.card",
}


def __getattr__(name: str) -> Any:
    """``gwlab.ui.StepCard`` and the others, imported on first use."""
    if name in _MODULES:
        return getattr(importlib.import_module(_MODULES[name]), name)
    raise AttributeError(f"module 'gwlab.ui' has no attribute {name!r}")
