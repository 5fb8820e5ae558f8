"""``gwlab progress export`` (learners) and ``gwlab progress collect DIR`` (instructors)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gwlab.errors import GwlabError

NAME = "progress"


def add_parser(commands: Any) -> None:
    """Register ``gwlab progress export|collect``."""
    parser = commands.add_parser(
        NAME,
        help="export your progress to hand in, or collect a class's hand-ins",
        description="Export a learner's progress, or collect a class's exports into a table.",
    )
    actions = parser.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write the file you hand in")
    export.add_argument("--learner", help="your name or id (default $GWLAB_LEARNER or login)")
    export.add_argument(
        "--progress",
        type=Path,
        help="the progress file (default: $GWLAB_PROGRESS or ./gwlab-progress.json)",
    )
    export.add_argument(
        "--out", type=Path, help="where to write (default ./gwlab-progress-<learner>.json)"
    )
    export.set_defaults(handler=_export)
    collect = actions.add_parser("collect", help="build the class table from hand-ins")
    collect.add_argument("folder", type=Path, help="the folder of hand-in files")
    collect.add_argument(
        "--out-dir",
        type=Path,
        help="where to write class-progress.csv and .html (default: the folder)",
    )
    collect.set_defaults(handler=_collect)


def _export(args: argparse.Namespace, extra: list[str]) -> int:
    """Write the hand-in from the progress file, which is only read (never changed)."""
    from gwlab.backends.tagging import learner_id
    from gwlab.lab.classroom import export_progress, write_export
    from gwlab.lab.progress import Progress

    learner = learner_id(args.learner)
    progress = Progress.load(args.progress, read_only=True)
    source = progress.path
    if not source.is_file():
        raise GwlabError(
            f"no progress file at {source}: run this where your notebooks are, "
            "or name the file with --progress"
        )
    if progress.unreadable:
        raise GwlabError(f"your progress file {source} could not be read ({progress.unreadable})")
    if progress.skipped and not (progress.results or progress.revealed or progress.exercises):
        raise GwlabError(f"{source} holds no gwlab result that can be read: nothing to hand in")
    out = args.out or Path(f"gwlab-progress-{learner}.json")
    if out.exists() and out.resolve() == source.resolve():
        raise GwlabError(f"--out {out} is your progress file itself: choose another name")
    for notice in progress.notices:
        print(f"note: {notice}", file=sys.stderr)
    document = export_progress(progress, learner)
    try:
        write_export(document, out)
    except OSError as error:
        raise GwlabError(f"could not write {out} ({error.strerror or error})") from error
    passed = sum(step["status"] == "passed" for step in document["steps"].values())
    solved = sum(e["status"] == "passed" for e in document["exercises"].values())
    exercises = (
        f", {solved} exercise(s) passed of {len(document['exercises'])} recorded"
        if document["exercises"]
        else ""
    )
    print(
        f"gwlab progress: wrote {out} for {learner}: {passed} step(s) passed of "
        f"{len(document['steps'])} recorded{exercises}. Hand this file in."
    )
    return 0


def _collect(args: argparse.Namespace, extra: list[str]) -> int:
    from gwlab.lab.classroom import class_html, collect
    from gwlab.lessons import LESSONS, course_order

    if not args.folder.is_dir():
        raise GwlabError(f"{args.folder} is not a folder of hand-in files")
    progress = collect(args.folder)
    for skipped in progress.skipped:
        print(f"skipped {skipped}", file=sys.stderr)
    if not progress.documents:
        raise GwlabError(f"no readable hand-in in {args.folder}")
    order = course_order()
    exercise_order = [lesson.key(e) for lesson in LESSONS for e in lesson.exercise_ids]
    out_dir = args.out_dir or args.folder
    out_dir.mkdir(parents=True, exist_ok=True)
    import pandas as pd

    pd.DataFrame(progress.rows()).to_csv(out_dir / "class-progress.csv", index=False)
    (out_dir / "class-progress.html").write_text(
        class_html(progress, order, exercise_order), encoding="utf-8"
    )
    summary = progress.by_step(order)
    stuck = summary[summary["tried"] > 0].sort_values(["passed", "step"]).head(5)
    print(
        f"gwlab progress: {len(progress.documents)} learner(s); wrote "
        f"{out_dir / 'class-progress.csv'} and {out_dir / 'class-progress.html'}"
    )
    print("Steps the fewest learners passed:")
    print(stuck.to_string(index=False))
    exercises = progress.by_exercise(exercise_order)
    tried = exercises[exercises["tried"] > 0].sort_values(["passed", "exercise"]).head(5)
    if not tried.empty:
        print("Exercises the fewest learners passed:")
        print(tried.to_string(index=False))
    return 0
