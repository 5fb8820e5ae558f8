"""HTML for results, drawn with JupyterLab's CSS variables only (readable in dark themes).

Nothing here depends on widgets: notebooks show these through ``_repr_html_``
and the widgets embed the same HTML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlab.lab.results import StepResult

#: The colour variable of each status (JupyterLab defines them in every theme).
STATUS_COLOURS = {
    "passed": "var(--jp-success-color1)",
    "failed": "var(--jp-error-color1)",
    "blocked": "var(--jp-warn-color1)",
    "invalid": "var(--jp-warn-color1)",
    "running": "var(--jp-info-color1)",
    "manual": "var(--jp-info-color1)",
    "past": "var(--jp-ui-font-color2)",
    "not run": "var(--jp-ui-font-color2)",
}


def badge(status: str) -> str:
    """A status badge: colour plus a word, so it never relies on colour alone."""
    from gwlab.lab.results import STATUS_SYMBOLS

    colour = STATUS_COLOURS.get(status, "var(--jp-ui-font-color1)")
    symbol = STATUS_SYMBOLS.get(status, "…")
    return (
        f"<span class='gwlab-badge' role='status' aria-label='status: {html.escape(status)}' "
        f"style='border:1px solid {colour};color:{colour};border-radius:4px;"
        f"padding:0 0.4em;font-weight:bold'>{symbol} {html.escape(status)}</span>"
    )


def hint_box(text: str) -> str:
    """A hint drawn as an admonition."""
    return (
        "<div class='gwlab-hint' role='note' style='border-left:4px solid "
        "var(--jp-warn-color1);background:var(--jp-layout-color2);padding:0.3em 0.6em;"
        f"margin-top:0.3em'><strong>Hint:</strong> {html.escape(text)}</div>"
    )


def _past_note(title: str) -> str:
    """Under a check whose moment has passed: the later step that changed it."""
    if not title:
        return ""
    return f"<br><small>held until “{html.escape(title)}” ran; not counted now</small>"


def result_html(result: StepResult) -> str:
    """A result: badge, message, AWS error, the checks (expected vs actual), hint."""
    rows = "".join(
        "<tr>"
        f"<td>{badge(c.status)}</td>"
        f"<td style='text-align:left'>{html.escape(c.description)}{_past_note(c.past)}</td>"
        f"<td style='text-align:left'><code>{html.escape(c.expected)}</code></td>"
        f"<td style='text-align:left'><code>{html.escape(c.actual)}</code></td>"
        "</tr>"
        for c in result.checks
    )
    checks = (
        "<table class='gwlab-checks'><thead><tr>"
        + "".join(
            f"<th style='text-align:left'>{h}</th>" for h in ("check", "what", "expected", "actual")
        )
        + f"</tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    error = (
        f"<p>AWS error: <code>{html.escape(result.error_code)}</code></p>"
        if result.error_code
        else ""
    )
    hint = result.hint_to_show
    return (
        "<div class='gwlab-result' style='color:var(--jp-ui-font-color1)'>"
        f"<p>{badge(result.status)} <strong>{html.escape(result.title)}</strong> "
        f"<small>({html.escape(result.lesson)} / {html.escape(result.step)}, "
        f"{html.escape(result.action)})</small></p>"
        f"<p>{html.escape(result.message)}</p>{error}{checks}"
        f"{hint_box(hint) if hint and not result.passed else ''}</div>"
    )
