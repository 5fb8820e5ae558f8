"""The request tracer: URL, method and Origin in; the gateway's trace out, hop by hop."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from gwlab.errors import GwlabError
from gwlab.gateway import GatewayResponse
from gwlab.gateway.cors import preflight_headers
from gwlab.ui.outputs import replace

if TYPE_CHECKING:
    from collections.abc import Callable

    from gwlab.env import LabEnv

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")


class RequestTracer:
    """Send one request through the local gateway and draw what happened."""

    def __init__(
        self, env: LabEnv | Callable[[], LabEnv], url: str = "https://api.example.com/v1/items"
    ) -> None:
        self._env = env
        style = {"description_width": "initial"}
        self.url = widgets.Text(
            value=url, description="URL", style=style, layout=widgets.Layout(width="100%")
        )
        self.method = widgets.Dropdown(
            options=METHODS, value="GET", description="Method", style=style
        )
        self.origin = widgets.Text(
            value="",
            description="Origin (optional)",
            placeholder="https://example.com",
            style=style,
        )
        self.preflight = widgets.Checkbox(value=False, description="Send as a CORS preflight")
        self.send_button = widgets.Button(
            description="Send",
            button_style="primary",
            icon="paper-plane",
            tooltip="Send the request",
        )
        self.output = widgets.Output()
        self.send_button.on_click(lambda _: self.send())
        self.widget = widgets.VBox(
            [
                widgets.HTML(value="<h4>Request tracer</h4>"),
                self.url,
                widgets.HBox([self.method, self.origin, self.preflight]),
                self.send_button,
                self.output,
            ]
        )

    @property
    def env(self) -> LabEnv:
        """The environment asked: given a callable, the one it returns now (a Lab's)."""
        return self._env() if callable(self._env) else self._env

    def headers(self) -> dict[str, str]:
        """The headers the form describes."""
        origin = self.origin.value.strip()
        headers = preflight_headers(origin) if self.preflight.value else {"Origin": origin}
        if not origin:
            del headers["Origin"]  # no Origin field filled in: none is sent
        return headers

    def send(self) -> GatewayResponse | None:
        """Send the request; show the response and its trace, or a one-line error."""
        method = "OPTIONS" if self.preflight.value else self.method.value
        try:
            response = self.env.gateway.request(
                method, self.url.value.strip(), headers=self.headers()
            )
        except GwlabError as error:
            replace(
                self.output,
                f"<p role='alert' style='color:var(--jp-error-color1)'>"
                f"{html.escape(str(error))}</p>",
            )
            return None
        replace(self.output, response)
        return response
