"""A step card: what the step does, its CLI command, its fields, Run and Verify."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from gwlab.lab.context import StepContext
from gwlab.lab.params import Param, ParamError
from gwlab.lab.render import badge
from gwlab.lab.results import StepResult
from gwlab.lab.step import Step
from gwlab.ui.outputs import replace

if TYPE_CHECKING:
    from gwlab.lab import Lab

_WIDE = widgets.Layout(width="100%")


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
            )
        else:
            self.input = widgets.Text(
                value=text, description=param.label, placeholder=param.help, layout=_WIDE
            )
        self.input.style = {"description_width": "initial"}
        self.error = widgets.HTML(value="")
        self.widget = widgets.VBox([self.input, self.error])

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
        self.fields = [ParamField(param, self.lab.context()) for param in step.params]
        self.badge = widgets.HTML(value=badge(self.lab.status(self.step.id)))
        self.run_button = widgets.Button(
            description="Run", button_style="primary", tooltip=f"Run {step.title}", icon="play"
        )
        self.verify_button = widgets.Button(
            description="Verify", tooltip=f"Verify {step.title}", icon="check"
        )
        self.prerequisites_button = widgets.Button(
            description="Run prerequisites first",
            tooltip="Run the steps this one needs, then it",
            layout=widgets.Layout(display="none"),
        )
        self.hint_button = widgets.Button(
            description="Hint", icon="lightbulb-o", tooltip=f"Show a hint for {step.title}"
        )
        self.solution_button = widgets.Button(
            description="Solution",
            icon="key",
            tooltip=f"Show the solution of {step.title}",
            layout=widgets.Layout(display="" if step.is_exercise else "none"),
        )
        self.output = widgets.Output()
        self.hint_button.on_click(lambda _: replace(self.output, lab.hint(step.id)))
        self.solution_button.on_click(lambda _: replace(self.output, lab.solution(step.id)))
        self.run_button.on_click(lambda _: self.run())
        self.verify_button.on_click(lambda _: self.verify())
        self.prerequisites_button.on_click(lambda _: self.run(with_prerequisites=True))
        header = widgets.HTML(
            value=f"<h4 style='margin:0.2em 0'>{html.escape(step.title)} "
            f"<code>{html.escape(step.id)}</code></h4>"
            f"<p style='margin:0'>{html.escape(step.explanation)}</p>"
        )
        self.cli = widgets.HTML(value=self._cli_html())
        self.widget = widgets.VBox(
            [
                header,
                self.cli,
                *(f.widget for f in self.fields),
                widgets.HBox(
                    [
                        self.run_button,
                        self.verify_button,
                        self.prerequisites_button,
                        self.hint_button,
                        self.solution_button,
                        self.badge,
                    ]
                ),
                self.output,
            ],
            layout=widgets.Layout(
                border="1px solid var(--jp-border-color2)", padding="0.5em", margin="0.3em 0"
            ),
        )

    def _cli_html(self, values: dict[str, Any] | None = None) -> str:
        context = self.lab.context(values)
        try:
            command = self.step.cli(context)
        except Exception as error:  # a CLI line that cannot be drawn yet must not break the card
            command = f"(shown after the earlier steps: {error})"
        return (
            "<details><summary>AWS CLI equivalent</summary>"
            f"<pre style='white-space:pre-wrap'>{html.escape(command)}</pre></details>"
        )

    def values(self) -> dict[str, Any] | None:
        """The checked parameter values, or ``None`` after showing the errors."""
        values: dict[str, Any] = {}
        ok = True
        for field in self.fields:
            try:
                values[field.param.name] = field.param.value(field.raw)
                field.show_error("")
            except ParamError as error:
                field.show_error(error.reason)
                ok = False
        return values if ok else None

    def run(self, *, with_prerequisites: bool = False) -> StepResult | None:
        """Run the step with the fields' values (nothing runs when one is invalid)."""
        values = self.values()
        if values is None:
            self.badge.value = badge("invalid")
            return None
        self.badge.value = badge("running")
        result = self.lab.run(self.step.id, with_prerequisites=with_prerequisites, **values)
        self._show(result)
        self.cli.value = self._cli_html(values)
        return result

    def verify(self) -> StepResult:
        """Verify the step against the backend as it is now."""
        self.badge.value = badge("running")
        result = self.lab.verify(self.step.id)
        self._show(result)
        return result

    def _show(self, result: StepResult) -> None:
        self.badge.value = badge(result.status)
        blocked = result.status == "blocked"
        self.prerequisites_button.layout.display = "" if blocked else "none"
        shown = [result] if result.shown is None else [result, result.shown]
        replace(self.output, *shown)
        if self._on_result is not None:
            self._on_result(result)
