"""The path a request took through the gateway, hop by hop, for learners to read.

A trace is an ordered list of hops: host -> custom domain / mapping or API +
stage -> route -> integration -> function -> response. Each hop says what
matched and why. Both representations are deterministic (no timings), so a
notebook that shows a trace validates under nbval.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hop:
    """One step of a request: its ``stage`` (e.g. ``"route"``), what happened, and detail."""

    stage: str
    summary: str
    detail: str = ""
    ok: bool = True

    def line(self) -> str:
        """``stage: summary`` on one line."""
        mark = "" if self.ok else " [stopped]"
        return f"{self.stage}: {self.summary}{mark}"


@dataclass
class Trace:
    """The hops of one request, in order."""

    hops: list[Hop] = field(default_factory=list)

    def add(self, stage: str, summary: str, detail: str = "", *, ok: bool = True) -> None:
        """Append a hop."""
        self.hops.append(Hop(stage, summary, detail, ok))

    @property
    def stages(self) -> list[str]:
        """The hop stages in order."""
        return [hop.stage for hop in self.hops]

    def __repr__(self) -> str:
        lines = []
        for n, hop in enumerate(self.hops, 1):
            lines.append(f"{n}. {hop.line()}")
            lines.extend(f"     {line}" for line in hop.detail.rstrip().splitlines())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for n, hop in enumerate(self.hops, 1):
            status = "✔" if hop.ok else "✖"
            detail = (
                f"<pre style='margin:0;white-space:pre-wrap'>{html.escape(hop.detail)}</pre>"
                if hop.detail
                else ""
            )
            rows.append(
                f"<tr><td>{n}</td><td aria-label='{'ok' if hop.ok else 'stopped'}'>{status}</td>"
                f"<th style='text-align:left'>{html.escape(hop.stage)}</th>"
                f"<td style='text-align:left'>{html.escape(hop.summary)}{detail}</td></tr>"
            )
        return (
            "<table class='gwlab-trace'><caption>Request trace</caption>"
            "<thead><tr><th>#</th><th></th><th>hop</th><th>what happened</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
