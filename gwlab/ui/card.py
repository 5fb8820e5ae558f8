"""A step card: what the step does, its CLI command and boto3 code, its fields, Run and Verify.

After a run, the card lists the AWS calls the step's action made (folded).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from gwlab.lab.calls import Call
from gwlab.lab.code import boto3_code, calls_from_cli
from gwlab.lab.context import StepContext
from gwlab.lab.params import Param, ParamError
from gwlab.lab.render import badge, calls_html
from gwlab.lab.results import StepResult
from gwlab.lab.runner import REFUSED
from gwlab.lab.step import Step
from gwlab.ui.outputs import replace

if TYPE_CHECKING:
    from gwlab.lab import Lab

# Widgets shared by every card. Each widget object is a model the kernel sends to the
# browser (a message, and work in nbval and JupyterLab); a card of about ten models
# instead of thirty is that much cheaper to draw. Shared ones are never changed.
_WIDE = widgets.Layout(width="100%")
_PLAIN = widgets.Layout()
_HIDDEN = widgets.Layout(display="none")
_SHOWN = widgets.Layout(display="")
_CARD = widgets.Layout(
    border="1px solid var(--jp-border-color2)", padding="0.5em", margin="0.3em 0"
)
_TEXT_STYLE = HTMLStyle()
_BUTTON_STYLE = widgets.ButtonStyle()
_FIELD_STYLE = TextStyle(description_width="initial")
#: A block of code a learner copies: wrapped, on the theme's code background.
_PRE = (
    "<pre style='white-space:pre-wrap;background:var(--jp-layout-color2);"
    "padding:0.3em 0.5em;margin:0.2em 0'><code>"
)


def _html(value: str = "") -> widgets.HTML:
    return widgets.HTML(value=value, layout=_PLAIN, style=_TEXT_STYLE)


def _button(description: str, tooltip: str, layout: widgets.Layout = _PLAIN, **kw: Any) -> Any:
    return widgets.Button(
        description=description, tooltip=tooltip, layout=layout, style=_BUTTON_STYLE, **kw
    )


class ParamField:
    """One parameter: a labelled field and a one-line error beside it."""

    def __init__(self, param: Param, context: StepContext) -> None:
        self.param = param
        text = param.default_text(context)
        if "\n" in text:
            self.input: widgets.ValueWidget = widgets.Textarea(
                value=text,
                description=param.label,
                layout=widgets.Layout(width="100%", height="12em"),
                style=_FIELD_STYLE,
            )
        else:
            self.input = widgets.Text(
                value=text,
                description=param.label,
                placeholder=param.help,
                layout=_WIDE,
                style=_FIELD_STYLE,
            )
        self.error = _html()
        #: What the card shows for this field: the input, then its error line.
        self.widgets = (self.input, self.error)

    @property
    def raw(self) -> str:
        """What the learner typed."""
        return str(self.input.value)

    def show_error(self, message: str) -> None:
        """A one-line message under the field ("" clears it)."""
        self.error.value = (
            f"<span role='alert' style='color:var(--jp-error-color1)'>{html.escape(message)}</span>"
            if message
            else ""
        )


class StepCard:
    """The widget of one step, wired to ``lab``."""

    def __init__(self, lab: Lab, step: Step, on_result: Any = None) -> None:
        self.lab = lab
        self.step = step
        self._on_result = on_result
        #: The AWS calls of the last run that made any (its boto3 code replaces the CLI's).
        self.calls: tuple[Call, ...] = ()
        self.fields = [ParamField(param, self.lab.context()) for param in step.params]
        #: The title, the explanation and the AWS CLI line (redrawn after each run).
        self.text = _html(self._text_html())
        self.badge = _html(badge(self.lab.status(self.step.id)))
        self.run_button = _button("Run", f"Run {step.title}", button_style="primary", icon="play")
        self.verify_button = _button("Verify", f"Verify {step.title}", icon="check")
        self.prerequisites_button = _button(
            "Run prerequisites first", "Run the steps this one needs, then it", layout=_HIDDEN
        )
        self.hint_button = _button("Hint", f"Show a hint for {step.title}", icon="lightbulb-o")
        self.output = widgets.Output(layout=_PLAIN)
        self.hint_button.on_click(lambda _: replace(self.output, lab.hint(step.id)))
        self.run_button.on_click(lambda _: self.run())
        self.verify_button.on_click(lambda _: self.verify())
        self.prerequisites_button.on_click(lambda _: self.run(with_prerequisites=True))
        buttons = [
            self.run_button,
            self.verify_button,
            self.prerequisites_button,
            self.hint_button,
            self.badge,
        ]
        self.widget = widgets.VBox(
            [
                self.text,
                *(widget for field in self.fields for widget in field.widgets),
                widgets.HBox(buttons, layout=_PLAIN),
                self.output,
            ],
            layout=_CARD,
        )

    def _text_html(self, values: dict[str, Any] | None = None) -> str:
        context = self.lab.context(values)
        try:
            command = self.step.cli(context)
        except Exception as error:  # a CLI line that cannot be drawn yet must not break the card
            command = f"(shown after the earlier steps: {error})"
        return (
            f"<h4 style='margin:0.2em 0'>{html.escape(self.step.title)} "
            f"<code>{html.escape(self.step.id)}</code></h4>"
            f"<p style='margin:0'>{html.escape(self.step.explanation)}</p>"
            "<div class='gwlab-code mathjax_ignore'>"
            "<details><summary>AWS CLI equivalent</summary>"
            f"{_PRE}{html.escape(command)}</code></pre></details>"
            f"{self._boto3_html(command)}</div>"
        )

    def _boto3_html(self, command: str) -> str:
        """The boto3 code of the step, with the actual values; "" when there is none.

        After a run that called AWS: the calls it made. Before: the calls of the CLI
        line (nothing when the line has a placeholder, or is not ``aws``).
        """
        try:
            region = self.lab.env.region
            if self.calls:
                code, summary = boto3_code(self.calls, region=region), "boto3 code (what Run sent)"
            else:
                code = boto3_code(calls_from_cli(command, region=region), region=region)
                summary = "boto3 code (what Run sends)"
        except Exception:  # a placeholder, no awscli, a closed environment: the CLI line only
            return ""
        if not code:
            return ""
        return (
            f"<details><summary>{summary}</summary>{_PRE}{html.escape(code)}</code></pre></details>"
        )

    def values(self) -> dict[str, Any] | None:
        """The checked parameter values, or ``None`` after showing the errors.

        Every field's own parser first (so each bad field says so at once), then the
        step's rules (a required field left blank, a value the step refuses), shown
        under the field they are about.
        """
        values: dict[str, Any] = {}
        ok = True
        for field in self.fields:
            try:
                values[field.param.name] = field.param.value(field.raw)
                field.show_error("")
            except ParamError as error:
                field.show_error(error.reason)
                ok = False
        if not ok:
            return None
        try:
            return self.step.values(values, self.lab.context(values))
        except ParamError as error:
            self._show_refusal(error.label, error.reason)
            return None

    def _show_refusal(self, label: str, reason: str) -> bool:
        """Show ``reason`` under the field labelled ``label``; whether there is one."""
        for field in self.fields:
            if field.param.label == label:
                field.show_error(reason)
                return True
        return False

    def run(self, *, with_prerequisites: bool = False) -> StepResult | None:
        """Run the step with the fields' values (nothing runs when one is invalid)."""
        values = self.values()
        if values is None:
            self.badge.value = badge("invalid")
            return None
        self.badge.value = badge("running")
        result = self.lab.run(self.step.id, with_prerequisites=with_prerequisites, **values)
        if result.calls:
            self.calls = result.calls
        self._show(result)
        self.text.value = self._text_html(values)
        return result

    def verify(self) -> StepResult:
        """Verify the step against the backend as it is now."""
        self.badge.value = badge("running")
        result = self.lab.verify(self.step.id)
        self._show(result)
        return result

    def _show(self, result: StepResult) -> None:
        self.badge.value = badge(result.status)
        if result.status == REFUSED:  # refused while running: under its field too
            label, _, reason = result.message.partition(": ")
            self._show_refusal(label, reason)
        blocked = result.status == "blocked"
        self.prerequisites_button.layout = _SHOWN if blocked else _HIDDEN
        shown = [result] if result.shown is None else [result, result.shown]
        calls = calls_html(result.calls, self.lab.env.region)
        replace(self.output, *shown, *([calls] if calls else []))
        if self._on_result is not None:
            self._on_result(result)
