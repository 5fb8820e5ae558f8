"""What the lab will do in a real AWS account, shown before it does anything.

The plan names the account (from STS) and region, every resource the course
creates under the learner's names, an estimate of the cost with the prices it
assumes, and how to clean up. Prices are list prices for us-east-1 as of
2026; the estimate is an order of magnitude, not a quote.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlab.env import LabEnv
    from gwlab.lab.names import Names

#: (what is charged, assumed price, how much of it one learner's course uses, USD).
PRICES: tuple[tuple[str, str, str, float], ...] = (
    (
        "Route 53 hosted zone",
        "$0.50 per zone per month (none if deleted within 12 hours)",
        "1 zone",
        0.50,
    ),
    ("Route 53 queries", "$0.40 per million; alias queries to API Gateway free", "a few", 0.0),
    ("API Gateway HTTP API", "$1.00 per million requests", "under 1,000 requests", 0.001),
    (
        "Lambda",
        "$0.20 per million requests + compute; free tier covers the lab",
        "under 1,000 requests",
        0.0,
    ),
    ("ACM public certificates", "free", "6 certificates", 0.0),
    ("API Gateway custom domain names", "free", "3 domain names", 0.0),
)


@dataclass(frozen=True)
class Plan:
    """The real-AWS plan of one learner's course."""

    account: str
    region: str
    learner: str
    creates: tuple[tuple[str, str, str], ...]
    cleanup: str
    prices: tuple[tuple[str, str, str, float], ...] = field(default=PRICES)

    @property
    def estimate(self) -> float:
        """The most one learner's course costs if everything is kept a month (USD)."""
        return sum(price[3] for price in self.prices)

    def __repr__(self) -> str:
        lines = [
            f"Real AWS plan for learner {self.learner}: account {self.account}, "
            f"region {self.region}",
            "It will create (each tagged gwlab:lab and gwlab:learner):",
            *(f"  - {kind}: {name} ({region})" for kind, name, region in self.creates),
            f"Estimated cost: under ${self.estimate:.2f} for the whole course, assuming:",
            *(f"  - {item}: {price} — {use}" for item, price, use, _ in self.prices),
            f"Clean up: {self.cleanup}",
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = "".join(
            f"<li>{html.escape(kind)}: <code>{html.escape(name)}</code> ({html.escape(region)})"
            "</li>"
            for kind, name, region in self.creates
        )
        prices = "".join(
            f"<tr><td>{html.escape(item)}</td><td>{html.escape(price)}</td>"
            f"<td>{html.escape(use)}</td></tr>"
            for item, price, use, _ in self.prices
        )
        return (
            "<div class='gwlab-plan' role='note' style='border-left:4px solid "
            "var(--jp-warn-color1);padding:0.3em 0.6em'>"
            f"<p><strong>Real AWS</strong>: account <code>{html.escape(self.account)}</code>, "
            f"region <code>{html.escape(self.region)}</code>, learner "
            f"<code>{html.escape(self.learner)}</code>.</p><p>It will create:</p><ul>{items}</ul>"
            f"<p>Estimated cost: under ${self.estimate:.2f} for the whole course, assuming:</p>"
            f"<table><tr><th>item</th><th>price</th><th>use</th></tr>{prices}</table>"
            f"<p>Clean up: <code>{html.escape(self.cleanup)}</code></p></div>"
        )


def course_plan(env: LabEnv, names: Names) -> Plan:
    """The plan for ``env`` (an ``aws`` environment); asks STS for the account."""
    account = str(env.client("sts").get_caller_identity()["Account"])
    region = env.region
    creates = (
        ("IAM role", names.role, "global"),
        ("Lambda function", names.function, region),
        ("HTTP API with stages $default, prod, dev", names.api, region),
        (
            "ACM certificates",
            f"{names.domain()}, {names.domain('status')}, {names.domain('eu')}, www.{names.zone}",
            region,
        ),
        (
            "ACM certificates for the wrong-region mistake",
            f"{names.domain()}, {names.domain('eu')}",
            "us-west-2",
        ),
        (
            "custom domain names with API mappings",
            f"{names.domain()}, {names.domain('status')}, {names.domain('eu')}",
            region,
        ),
        ("Route 53 hosted zone and alias records", names.zone, "global"),
    )
    learner = env.learner or ""
    cleanup = f"lab.cleanup() in a notebook, or gwlab cleanup --backend aws --learner {learner}"
    return Plan(account, region, learner, creates, cleanup)
