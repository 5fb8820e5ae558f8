"""Writing into ``Output`` widgets the way nbval and tests can read."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import HTML


def replace(output: widgets.Output, *items: Any) -> None:
    """Show ``items`` (objects with ``_repr_html_``, or HTML strings) and nothing else.

    ``clear_output`` is avoided: nbval does not handle it. Each item is added
    with ``append_display_data``, which puts it in the widget's own state.
    """
    output.outputs = ()
    for item in items:
        output.append_display_data(HTML(item) if isinstance(item, str) else item)  # type: ignore[no-untyped-call]
