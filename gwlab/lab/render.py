"""HTML for results, drawn with JupyterLab's CSS variables only (readable in dark themes).

Nothing here depends on widgets: notebooks show these through ``_repr_html_``
and the widgets embed the same HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlab.lab.calls import Call
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


#: How much of a parameter or response a card shows: longer values end with "…".
BRIEF_TEXT = 80
BRIEF_ITEMS = 4
BRIEF_KEYS = 10
BRIEF_DEPTH = 3
BRIEF_TOTAL = 600


def brief(value: object, depth: int = 0) -> str:
    """``value`` as short, deterministic Python-like text: long strings, lists and dicts cut."""
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        if depth >= BRIEF_DEPTH:
            return "{…}"
        items = [
            f"{key!r}: {brief(item, depth + 1)}" for key, item in list(value.items())[:BRIEF_KEYS]
        ]
        if len(value) > BRIEF_KEYS:
            items.append(f"… {len(value) - BRIEF_KEYS} more")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if depth >= BRIEF_DEPTH:
            return "[…]"
        shown = [brief(item, depth + 1) for item in list(value)[:BRIEF_ITEMS]]
        if len(value) > BRIEF_ITEMS:
            shown.append(f"… {len(value) - BRIEF_ITEMS} more")
        return "[" + ", ".join(shown) + "]"
    if isinstance(value, str) and len(value) > BRIEF_TEXT:
        return repr(value[: BRIEF_TEXT - 1]) + "…"
    return repr(value)


def _cut(text: str, size: int = BRIEF_TOTAL) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def calls_html(calls: Sequence[Call], region: str = "") -> str:
    """The AWS calls a run made, folded: operation, parameters, response or AWS error.

    A call's region is named when it is not ``region`` (the lab's). In an element
    MathJax leaves alone (``$default`` stays as written).
    """
    if not calls:
        return ""
    rows = []
    for number, call in enumerate(calls, 1):
        params = ", ".join(f"{name}={brief(value, 1)}" for name, value in call.params.items())
        if call.failed:
            answer = (
                "<span style='color:var(--jp-error-color1)'>error "
                f"<code>{html.escape(call.error_code)}</code></span> "
                f"{html.escape(_cut(call.error_message))}"
            )
        else:
            answer = f"<code>{html.escape(_cut(brief(call.response or {})))}</code>"
        elsewhere = call.region and call.region != region
        where = f" <small>({html.escape(call.region)})</small>" if elsewhere else ""
        rows.append(
            "<tr>"
            f"<td style='text-align:right;vertical-align:top'>{number}</td>"
            f"<td style='text-align:left;vertical-align:top'><code>{html.escape(call.service)}"
            f".{html.escape(call.method)}</code>{where}</td>"
            f"<td style='text-align:left;vertical-align:top'><code>"
            f"{html.escape(_cut(params))}</code></td>"
            f"<td style='text-align:left;vertical-align:top'>{answer}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th style='text-align:left'>{name}</th>"
        for name in ("#", "call", "parameters", "response or error")
    )
    return (
        "<details class='gwlab-calls mathjax_ignore'>"
        f"<summary>API calls ({len(calls)})</summary>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</details>"
    )
