"""The widgets learners click: a thin layer over :mod:`gwlab.lab`.

No logic lives here: each widget calls the model and draws what it returns,
writing into ``Output`` widgets with ``append_display_data`` (what nbval and
headless tests can read) and styled with JupyterLab's CSS variables only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gwlab.startup.heap import import_settled

if TYPE_CHECKING:
    from gwlab.env import LabEnv
    from gwlab.lab import Lab, Step
    from gwlab.lab.exercise import Exercise
    from gwlab.ui.card import StepCard
    from gwlab.ui.dnslookup import DnsLookup
    from gwlab.ui.exercise import ExerciseCard
    from gwlab.ui.panel import LessonPanel
    from gwlab.ui.tracer import RequestTracer

__all__ = [
    "DnsLookup",
    "ExerciseCard",
    "LessonPanel",
    "RequestTracer",
    "StepCard",
    "card_widget",
    "dns_lookup_widget",
    "exercise_card_widget",
    "panel_widget",
    "tracer_widget",
]

#: Each widget's module, imported when first asked for: a card needs neither
#: dnspython's resolver (the DNS lookup) nor the tracer.
_MODULES = {
    "DnsLookup": "gwlab.ui.dnslookup",
    "ExerciseCard": "gwlab.ui.exercise",
    "LessonPanel": "gwlab.ui.panel",
    "RequestTracer": "gwlab.ui.tracer",
    "StepCard": "gwlab.ui.card",
}


def __getattr__(name: str) -> Any:
    """``gwlab.ui.StepCard`` and the others, imported on first use."""
    if name in _MODULES:
        return getattr(importlib.import_module(_MODULES[name]), name)
    raise AttributeError(f"module 'gwlab.ui' has no attribute {name!r}")


# --- the views the engine asks for (gwlab.lab.plugins.Views; plugged in by gwlab/__init__.py) ---


def panel_widget(lab: Lab) -> Any:
    """``lab.ui()``: the lesson panel."""
    import_settled("gwlab.ui.panel")
    from gwlab.ui.panel import LessonPanel

    return LessonPanel(lab).widget


def card_widget(lab: Lab, step: Step) -> Any:
    """``lab.card(step)``: one step's card."""
    import_settled("gwlab.ui.card")
    from gwlab.ui.card import StepCard

    return StepCard(lab, step).widget


def exercise_card_widget(lab: Lab, exercise: Exercise) -> Any:
    """``lab.exercise_card(name)``: one exercise's card."""
    import_settled("gwlab.ui.exercise")
    from gwlab.ui.exercise import ExerciseCard

    return ExerciseCard(lab, exercise).widget


def tracer_widget(env: Callable[[], LabEnv], url: str) -> Any:
    """``lab.tracer()``: the request tracer."""
    import_settled("gwlab.ui.tracer")
    from gwlab.ui.tracer import RequestTracer

    return RequestTracer(env, url).widget


def dns_lookup_widget(env: Callable[[], LabEnv], name: str) -> Any:
    """``lab.dns_lookup()``: the DNS lookup."""
    import_settled("gwlab.ui.dnslookup")
    from gwlab.ui.dnslookup import DnsLookup

    return DnsLookup(env, name).widget
