"""gwlab.startup.cache: every cache is optional, and a damaged entry is never used (issue 18, 3).

No ``HOME`` under a user id without a passwd entry, ``GWLAB_CACHE=off``, a cache folder
that cannot be written, or entries damaged byte by byte: gwlab starts, serves a client
and opens a lab exactly as with a good cache, only slower.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gwlab.startup import cache as machine_cache

from support import fresh_python

STAMP = ("test", 1)

#: A kernel's first cells: an environment and a client, then a lab and one step.
KERNEL = """
import json, sys
import gwlab
from gwlab.startup import cache as machine_cache
with gwlab.start() as env:
    api = env.client("apigatewayv2")
    api.create_api(Name="cached", ProtocolType="HTTP")
    print(json.dumps(sorted(item["Name"] for item in api.get_apis()["Items"])))
lab = gwlab.Lab("05-api-mappings", progress=sys.argv[1])
print(lab.notices, [(lab.run(step).status) for step in lab.steps[:1]])
print(machine_cache.enabled())
"""


def _kernel(tmp_path: Path, env: dict[str, str], **popen: object) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", KERNEL, str(tmp_path / "progress.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
        cwd=tmp_path,
        **popen,  # type: ignore[arg-type]
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.splitlines()


def _environ(**changes: str | None) -> dict[str, str]:
    environ = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return environ


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GWLAB_CACHE", raising=False)
    return tmp_path / "xdg" / "gwlab"


def test_an_entry_is_kept_whole_for_its_owner_and_read_back(cache: Path) -> None:
    entry = cache / "sub" / "entry.marshal"
    machine_cache.keep_stamped(entry, STAMP, {"a": [1, 2]})
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    assert machine_cache.read_stamped(entry, STAMP, dict) == {"a": [1, 2]}
    assert machine_cache.read_stamped(entry, ("test", 2), dict) is None  # another stamp
    assert machine_cache.read_stamped(entry, STAMP, list) is None  # another kind


def test_every_changed_byte_makes_the_entry_unused(cache: Path) -> None:
    entry = cache / "entry.marshal"
    machine_cache.keep_stamped(entry, STAMP, {"stage": [r"^[A-Za-z0-9_\-]+$"] * 3})
    whole = entry.read_bytes()
    for position in range(len(whole)):
        for flip in (0x01, 0x80):
            damaged = bytearray(whole)
            damaged[position] ^= flip
            entry.write_bytes(bytes(damaged))
            assert machine_cache.read_stamped(entry, STAMP, dict) is None, position
    for cut in (0, 1, len(whole) // 2, len(whole) - 1):
        entry.write_bytes(whole[:cut])
        assert machine_cache.read_stamped(entry, STAMP, dict) is None, cut


HUGE_LENGTH = """
import hashlib, marshal, resource, sys
from pathlib import Path
from gwlab.startup import cache as machine_cache
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
entry = Path(sys.argv[1])
payload = bytearray(marshal.dumps((("test", 1), [1, 2, 3])))
at = payload.index(b"[") if b"[" in payload else payload.index(0xDB)  # the list's header
payload[at + 1 : at + 5] = (0x7FFF_FFF0).to_bytes(4, "little")  # its length field
payload = bytes(payload)
try:
    marshal.loads(payload)
except MemoryError:
    print("marshal alone: MemoryError")
# Even an entry whose digest matches the damaged payload is refused without an error.
entry.write_bytes(machine_cache.MAGIC + hashlib.sha256(payload).digest() + payload)
print(machine_cache.read_stamped(entry, ("test", 1), list))
"""


def test_a_damaged_length_field_costs_no_memory_error(cache: Path, tmp_path: Path) -> None:
    lines = fresh_python(HUGE_LENGTH, str(tmp_path / "entry"))
    assert lines == ["marshal alone: MemoryError", "None"]


def test_gwlab_cache_off_reads_and_writes_nothing(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = cache / "entry.marshal"
    machine_cache.keep_stamped(entry, STAMP, [1])
    monkeypatch.setenv("GWLAB_CACHE", "off")
    assert not machine_cache.enabled()
    assert machine_cache.read_stamped(entry, STAMP, list) is None
    machine_cache.keep_stamped(cache / "other.marshal", STAMP, [2])
    machine_cache.keep(cache / "raw", b"x")
    assert _files(cache) == [entry]


def test_a_kernel_with_cache_off_keeps_nothing_and_works(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    on = _kernel(tmp_path, _environ(XDG_CACHE_HOME=str(xdg), GWLAB_CACHE=None))
    assert _files(xdg), "the kernel kept nothing with the cache on"
    empty = tmp_path / "empty"
    off = _kernel(tmp_path, _environ(XDG_CACHE_HOME=str(empty), GWLAB_CACHE="off"))
    assert off[:-1] == on[:-1] and off[-1] == "False" and not empty.exists()


def test_a_kernel_with_every_entry_damaged_behaves_the_same(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    environ = _environ(XDG_CACHE_HOME=str(xdg), GWLAB_CACHE=None)
    first = _kernel(tmp_path, environ)
    entries = _files(xdg)
    assert entries
    for entry in entries:  # one changed byte in the middle of each
        damaged = bytearray(entry.read_bytes())
        damaged[len(damaged) // 2] ^= 0x04
        entry.write_bytes(bytes(damaged))
    assert _kernel(tmp_path, environ) == first
    assert _kernel(tmp_path, environ) == first  # and with the entries made again


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("where the cache folder would be")
    out = _kernel(tmp_path, _environ(XDG_CACHE_HOME=str(blocker), GWLAB_CACHE=None))
    assert out[-1] == "True" and blocker.read_text() == "where the cache folder would be"


@pytest.mark.skipif(not hasattr(os, "setreuid") or os.geteuid() != 0, reason="needs root")
def test_no_home_under_a_user_id_without_a_passwd_entry(tmp_path: Path) -> None:
    import pwd

    uid = 54321
    with pytest.raises(KeyError):
        pwd.getpwuid(uid)
    environ = _environ(HOME=None, XDG_CACHE_HOME=None, GWLAB_CACHE=None)
    # The real user id is the one Python looks up for ``~`` (the effective one stays, so
    # that the interpreter under /root can still be read).
    out = _kernel(tmp_path, environ, preexec_fn=lambda: os.setreuid(uid, 0))
    assert out[0] == '["cached"]' and out[-1] == "False"


def test_the_suite_never_uses_the_developer_s_cache_folder() -> None:
    import tempfile

    assert machine_cache.folder().is_relative_to(tempfile.gettempdir())
    assert not machine_cache.folder().is_relative_to(Path.home() / ".cache")
