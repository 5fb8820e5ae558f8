"""gwlab.pattern_cache: regular expressions translated once per machine, exactly as re does."""

from __future__ import annotations

import marshal
import re
import sys
from pathlib import Path

import pytest

from gwlab import pattern_cache

from support import fresh_python

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="the cache is used from Python 3.11 on"
)

# Every kind of thing re's translator handles: groups, names, look-arounds, classes,
# repeats, inline and given flags, bytes, back-references, alternations, anchors.
PATTERNS: list[tuple[str | bytes, int]] = [
    (r"^/(?P<stage>[^/]+)(?P<path>/.*)?$", 0),
    (r"(?i)^https?://(?P<id>[a-z0-9]{10})\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com", 0),
    (r"(?<=[\w!\"'&.,?]) -{2,} (?=\w)", re.VERBOSE),
    (r"(?x) \d+ (?:\.\d+)? # a number\n", 0),
    (r"(['\"])(?:\\.|(?!\1).)*\1", re.DOTALL),
    (r"[^\W\d_]+|[\u00c0-\u024f]{2,}?", re.UNICODE | re.MULTILINE),
    (rb"(?P<k>[\x00-\x1f\\\"])+|\r\n", 0),
    (rb"[a-f0-9]{2}", re.IGNORECASE),
    (r"(a|b|c)*?d{2,5}e+?f{3}", re.ASCII),
    (r"\A(?:x(?=y)|(?!z)w)\Z|\bword\B", 0),
    (r"(?P<open>\()?[^()]*(?(open)\))", 0),
    ("", 0),
]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_kept_instructions_make_the_pattern_re_makes(pattern: str | bytes, flags: int) -> None:
    own = re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]
    if pattern_cache.is_installed():  # another test's lab installed it: compare with re's own
        own = pattern_cache._original(pattern, flags)
    entry = pattern_cache._translate(pattern, flags)
    kept = marshal.loads(marshal.dumps(entry))  # what a later kernel reads back
    rebuilt = pattern_cache._engine(pattern, kept)
    assert rebuilt == own  # re.Pattern equality compares flags, text and instructions
    assert (rebuilt.groups, rebuilt.groupindex, rebuilt.flags) == (
        own.groups,
        own.groupindex,
        own.flags,
    )


def _script(cache: Path, body: str, *, install: bool = True) -> str:
    """A script with its own cache folder, counting the patterns it translates.

    With ``install``, the cache is installed first (as a lab's first block does)
    and its own check's translations are not counted.
    """
    return (
        "import os, sys\n"
        f"os.environ['XDG_CACHE_HOME'] = {str(cache)!r}\n"
        f"os.environ['GWLAB_PROGRESS'] = {str(cache / 'progress.json')!r}\n"
        "import re\n"
        "import gwlab\n"
        "import gwlab.heap\n"
        "from gwlab import pattern_cache as pc\n"
        "translated = []\n"
        "translate = pc._translate\n"
        "pc._translate = lambda p, f: translated.append(p) or translate(p, f)\n"
        + ("pc.install()\ntranslated.clear()\n" if install else "")
        + body
    )


def _run(cache: Path, body: str, *, install: bool = True) -> list[str]:
    """The lines :func:`_script` printed in a new interpreter."""
    return fresh_python(_script(cache, body, install=install))


def _kept_file(cache: Path) -> Path:
    [found] = (cache / "gwlab" / "patterns").glob("*.marshal")
    return found


def test_a_second_kernel_translates_nothing_its_lab_compiles(tmp_path: Path) -> None:
    first = _run(
        tmp_path,
        "lab = gwlab.Lab('02-stages')\n"
        "re.compile('learner-only-[0-9]+')  # a learner's own pattern: never kept\n"
        "print(len(translated), pc.is_installed())\n",
    )
    count, installed = first[0].split()
    assert int(count) > 200 and installed == "True"
    stamp, kept = marshal.loads(_kept_file(tmp_path).read_bytes())
    assert stamp[0] == pattern_cache.FORMAT and len(kept) >= int(count) - 5
    assert ("learner-only-[0-9]+", 0) not in kept
    second = _run(
        tmp_path,
        "lab = gwlab.Lab('02-stages')\nprint(len(translated), lab.run('create_stage').status)\n",
    )
    assert second == ["0 passed"]


@pytest.mark.parametrize("content", [b"", b"not marshal", marshal.dumps(((0, "other"), {}))])
def test_a_damaged_or_foreign_file_is_ignored_and_written_anew(
    tmp_path: Path, content: bytes
) -> None:
    folder = tmp_path / "gwlab" / "patterns"
    folder.mkdir(parents=True)
    file = folder / f"{sys.implementation.cache_tag}.marshal"
    file.write_bytes(content)
    out = _run(
        tmp_path,
        "with gwlab.heap.settled():\n"
        "    ok = re.compile(r'fresh-(?P<n>\\d+)').match('fresh-42').group('n')\n"
        "print(ok, len(translated) > 0)\n",
    )
    assert out == ["42 True"]
    stamp, kept = marshal.loads(file.read_bytes())
    assert stamp == pattern_cache._stamp() and (r"fresh-(?P<n>\d+)", 0) in kept


def test_a_damaged_entry_is_translated_again(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "pc._kept[('dam(a)ged', 0)] = (0, [1, 2, 3], 0, {}, ())  # no valid instructions\n"
        "print(re.compile('dam(a)ged').match('damaged').group(1), translated)\n",
    )
    assert out == ["a ['dam(a)ged']"]


def test_a_folder_that_cannot_be_written_only_costs_the_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    out = _run(
        blocked,
        "with gwlab.heap.settled():\n"
        "    print(re.compile('x(y)').match('xy').group(1), pc.is_installed())\n",
    )
    assert out == ["y True"]


def test_debug_patterns_and_parsed_patterns_go_to_re_itself(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "import io, contextlib\n"
        "shown = io.StringIO()\n"
        "with contextlib.redirect_stdout(shown):\n"
        "    re.compile('ab+', re.DEBUG)\n"
        "scanner = re.Scanner([(r'[0-9]+', lambda s, t: int(t)), (r'\\s+', None)])\n"
        "print('LITERAL' in shown.getvalue(), scanner.scan('1 22')[0], translated)\n",
    )
    assert out == ["True [1, 22] []"]


def test_a_python_whose_re_disagrees_is_left_alone(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "pc._translate = lambda p, f: (0, [], 0, {}, ())  # instructions re would refuse\n"
        "print(pc.install(), pc.is_installed(), re.compile('q+').match('qq').group())\n",
        install=False,
    )
    assert out == ["False False qq"]
