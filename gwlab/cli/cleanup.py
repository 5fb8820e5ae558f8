"""``gwlab cleanup --backend aws``: delete what gwlab created in a real account, by tag."""

from __future__ import annotations

import argparse
from typing import Any

from gwlab.cli.run import format_table

NAME = "cleanup"
#: The regions the lessons create resources in (the API's, and the wrong-region mistake's).
DEFAULT_REGIONS = ("us-east-1", "us-west-2")


def add_parser(commands: Any) -> None:
    """Register ``gwlab cleanup``."""
    parser = commands.add_parser(
        NAME,
        help="delete gwlab's resources from a real AWS account (found by their tags)",
        description=(
            "Find every resource tagged gwlab:lab (and gwlab:learner, with --learner) and "
            "delete them in dependency order. Untagged resources are never touched. Needs "
            "GWLAB_ALLOW_REAL_AWS=1."
        ),
    )
    parser.add_argument(
        "--backend",
        choices=("aws",),
        required=True,
        help="where to clean up (only real AWS keeps resources)",
    )
    parser.add_argument("--learner", help="only this learner's resources")
    parser.add_argument(
        "--region",
        action="append",
        dest="regions",
        help=f"a region to search (repeatable; default {', '.join(DEFAULT_REGIONS)})",
    )
    parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, extra: list[str]) -> int:
    """List (and unless --dry-run, delete) the tagged resources; print a table."""
    from gwlab.env import start
    from gwlab.lab.cleanup import delete_all
    from gwlab.lab.discover import tagged_resources

    regions = args.regions or list(DEFAULT_REGIONS)
    with start(args.backend, region=regions[0], learner=args.learner) as env:
        found = tagged_resources(env, regions, args.learner)
        if args.dry_run:
            rows = [(r.kind, r.id, r.region, "would delete") for r in found]
        else:
            rows = [(d.kind, d.id, d.region, d.outcome) for d in delete_all(env, found)]
    who = f"learner {args.learner}" if args.learner else "every learner"
    print(
        f"gwlab cleanup: {len(rows)} tagged resource(s) of {who} in {', '.join(regions)}"
        + (" (dry run: nothing deleted)" if args.dry_run else "")
    )
    if rows:
        print(format_table(("kind", "id", "region", "outcome"), rows))
    failed = [row for row in rows if row[3].startswith("failed")]
    return 1 if failed else 0
