"""The widgets learners click: a thin layer over :mod:`gwlab.lab`.

No logic lives here: each widget calls the model and draws what it returns,
writing into ``Output`` widgets with ``append_display_data`` (what nbval and
headless tests can read) and styled with JupyterLab's CSS variables only.
"""

from __future__ import annotations

from gwlab.ui.card import StepCard
from gwlab.ui.dnslookup import DnsLookup
from gwlab.ui.panel import LessonPanel
from gwlab.ui.tracer import RequestTracer

__all__ = ["DnsLookup", "LessonPanel", "RequestTracer", "StepCard"]
