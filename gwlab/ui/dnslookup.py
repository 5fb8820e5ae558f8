"""The DNS lookup: a name and a type in, the lab DNS server's answer out, like ``dig``."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import dns.exception
import dns.resolver
import ipywidgets as widgets

from gwlab.errors import GwlabError
from gwlab.ui.outputs import replace

if TYPE_CHECKING:
    from collections.abc import Callable

    from gwlab.env import LabEnv

TYPES = ("A", "AAAA", "CNAME", "NS", "SOA", "TXT")


class DnsLookup:
    """Ask ``env.dns`` and show the answer section as ``dig`` would."""

    def __init__(self, env: LabEnv | Callable[[], LabEnv], name: str = "api.example.com") -> None:
        self._env = env
        style = {"description_width": "initial"}
        self.name = widgets.Text(value=name, description="Name", style=style)
        self.rdtype = widgets.Dropdown(options=TYPES, value="A", description="Type", style=style)
        self.lookup_button = widgets.Button(
            description="Look up",
            button_style="primary",
            icon="search",
            tooltip="Ask the lab's DNS server",
        )
        self.output = widgets.Output()
        self.lookup_button.on_click(lambda _: self.lookup())
        self.widget = widgets.VBox(
            [
                widgets.HTML(value="<h4>DNS lookup</h4>"),
                widgets.HBox([self.name, self.rdtype, self.lookup_button]),
                self.output,
            ]
        )

    @property
    def env(self) -> LabEnv:
        """The environment asked: given a callable, the one it returns now (a Lab's)."""
        return self._env() if callable(self._env) else self._env

    def lookup(self) -> str:
        """Resolve and show the answer (or the DNS error) as text; return it."""
        name, rdtype = self.name.value.strip(), str(self.rdtype.value)
        try:
            host, port = self.env.dns.address
            answer = self.env.dns.resolve(name, rdtype).to_text()
            text = f"; dig @{host} -p {port} {name} {rdtype}\n{answer}"
        except dns.resolver.NXDOMAIN:
            text = f"{name}: NXDOMAIN (no such name in the zone)"
        except dns.resolver.NoAnswer:
            text = f"{name}: no {rdtype} record (the name exists)"
        except dns.resolver.NoNameservers:
            text = f"{name}: REFUSED — no hosted zone of the lab contains it"
        except (dns.exception.DNSException, GwlabError) as error:
            text = f"{name}: {error}"
        replace(self.output, f"<pre>{html.escape(text)}</pre>")
        return text
