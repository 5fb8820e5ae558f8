"""botocore's data kept per machine: the same answers as botocore, read from the cache."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import botocore.loaders
import pytest

from gwlab.startup import botocore_data as data_cache
from gwlab.startup.loaders import MachineCachedLoader, PlainJSONFileLoader


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return data_cache.folder()


def _refuse(*_: Any) -> Any:
    raise AssertionError("the file was read again")


def _source(tmp_path: Path, data: Any, name: str = "model.json.gz") -> str:
    path = tmp_path / name
    with gzip.open(path, "wt", encoding="utf-8") as file:
        json.dump(data, file)
    return str(path)


def test_a_parsed_file_is_kept_and_the_next_kernel_reads_the_kept_copy(
    tmp_path: Path, cache: Path
) -> None:
    data = {"metadata": {"b": 1, "a": [1.5, None, True, "ü"]}, "shapes": {}}
    path = _source(tmp_path, data)

    assert data_cache.load_json(path, gzip.open) == data
    assert len(list(cache.glob("*.marshal"))) == 1
    kept = data_cache.load_json(path, _refuse)
    assert kept == data and list(kept["metadata"]) == ["b", "a"]  # order kept too
    assert (os.stat(next(cache.glob("*.marshal"))).st_mode & 0o777) == 0o600


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = _source(tmp_path, {"version": 1})
    data_cache.load_json(path, gzip.open)
    _source(tmp_path, {"version": 22})  # another size and modification time

    assert data_cache.load_json(path, gzip.open) == {"version": 22}
    assert data_cache.load_json(path, _refuse) == {"version": 22}


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x00\x00\x00"])
def test_a_damaged_cache_entry_is_read_from_the_source_and_kept_anew(
    tmp_path: Path, cache: Path, content: bytes
) -> None:
    path = _source(tmp_path, {"ok": True})
    data_cache.load_json(path, gzip.open)
    entry = next(cache.glob("*.marshal"))
    entry.write_bytes(content)

    assert data_cache.load_json(path, gzip.open) == {"ok": True}
    assert data_cache.load_json(path, _refuse) == {"ok": True}


def test_a_missing_file_is_none_and_a_cache_that_cannot_be_written_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert data_cache.load_json(str(tmp_path / "missing.json"), open) is None
    assert data_cache.load_json(str(tmp_path), open) is None  # a folder is not a file

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = _source(tmp_path, {"still": "read"})
    assert data_cache.load_json(path, gzip.open) == {"still": "read"}


def test_a_listing_is_kept_while_its_folder_is_unchanged(tmp_path: Path) -> None:
    calls: list[str] = []

    def list_now() -> list[str]:
        calls.append("listed")
        return ["acm", "lambda"]

    (tmp_path / "data").mkdir()
    folder = str(tmp_path / "data")
    assert data_cache.listing(folder, "service-2", list_now) == ["acm", "lambda"]
    assert data_cache.listing(folder, "service-2", list_now) == ["acm", "lambda"]
    assert calls == ["listed"]
    assert data_cache.listing(folder, "waiters-2", list_now) == ["acm", "lambda"]
    assert calls == ["listed", "listed"]  # another kind of file, another listing

    stamp = os.stat(folder).st_mtime_ns
    os.utime(folder, ns=(stamp, stamp + 1_000_000_000))  # a service folder added
    data_cache.listing(folder, "service-2", list_now)
    assert len(calls) == 3


def test_the_cached_loader_answers_as_botocore_s_own_loader_twice() -> None:
    botocore_s = botocore.loaders.create_loader()
    for _kernel in range(2):  # the second "kernel" reads the kept copies
        ours = MachineCachedLoader(file_loader=PlainJSONFileLoader())
        for kind in ("service-2", "endpoint-rule-set-1", "waiters-2"):
            assert ours.list_available_services(kind) == botocore_s.list_available_services(kind)
        assert ours.load_service_model("apigatewayv2", "service-2") == (
            botocore_s.load_service_model("apigatewayv2", "service-2")
        )
        assert ours.load_data("endpoints") == botocore_s.load_data("endpoints")
    assert list(data_cache.folder().glob("*.marshal"))


def test_folders_outside_botocore_are_listed_afresh_every_time(tmp_path: Path) -> None:
    custom = tmp_path / "models"
    (custom / "myservice" / "2020-01-01").mkdir(parents=True)
    (custom / "myservice" / "2020-01-01" / "service-2.json").write_text("{}")
    loader = MachineCachedLoader(extra_search_paths=[str(custom)])
    assert "myservice" in loader.list_available_services("service-2")

    (custom / "other" / "2021-01-01").mkdir(parents=True)
    (custom / "other" / "2021-01-01" / "service-2.json").write_text("{}")
    again = MachineCachedLoader(extra_search_paths=[str(custom)])
    assert {"myservice", "other"} <= set(again.list_available_services("service-2"))
