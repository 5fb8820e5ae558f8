"""botocore's data, parsed once per machine instead of once per kernel.

Every kernel reads the same botocore files (endpoint rules, the models of the few
services the lab uses) and lists botocore's service folders to learn which services
exist. This module keeps both in the cache folder (:mod:`gwlab.startup.cache`) in
``marshal`` form, which reads faster than the JSON's text:

- a parsed file is kept with its path, modification time and size, and used only
  while all three still match;
- a folder listing is kept only for botocore's and moto's own data folders, whose
  content changes only with their package's version (botocore's names the entry's
  folder, with the Python version ``marshal``'s format depends on; moto's is part of
  the entry's stamp).

Anything missing, damaged, stale or of the wrong type is read from botocore's files
again and kept anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore

from gwlab.startup import cache

#: Changes when what is kept changes shape.
FORMAT = 2

OpenMethod = Callable[[str, str], Any]


def folder() -> Path:
    """Where this botocore's data is kept, for this Python."""
    return (
        cache.folder() / "botocore-data" / f"{botocore.__version__}-{sys.implementation.cache_tag}"
    )


def _entry(*key: str) -> Path:
    digest = hashlib.sha256("\0".join(key).encode("utf-8")).hexdigest()[:32]
    return folder() / f"{digest}.marshal"


def load_json(full_path: str, open_method: OpenMethod) -> Any | None:
    """The parsed JSON of ``full_path`` (``None`` if there is no such file).

    ``open_method`` opens the file (``open`` or ``gzip.open``), as botocore's loader
    passes it; the file is opened only when nothing valid is kept for it.
    """
    try:
        status = os.stat(full_path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    stamp = (FORMAT, full_path, status.st_mtime_ns, status.st_size)
    entry = _entry("json", full_path)
    data = cache.read_stamped(entry, stamp, (dict, list))
    if data is None:
        with open_method(full_path, "rb") as file:
            data = json.loads(file.read().decode("utf-8"))
        cache.keep_stamped(entry, stamp, data)
    return data


def listing(
    path: str, type_name: str, list_now: Callable[[], list[str]], version: str = ""
) -> list[str]:
    """The services in the data folder ``path`` that have a ``type_name`` file.

    ``list_now`` lists them (botocore's own walk); its answer is kept and used again
    while the folder's modification time and ``version`` (of the package that ships
    the folder, when not botocore) are the same.
    """
    try:
        stamp = (FORMAT, path, os.stat(path).st_mtime_ns, type_name, version)
    except OSError:
        return list_now()
    entry = _entry("listing", path, type_name)
    services = cache.read_stamped(entry, stamp, list)
    if services is None:
        services = list_now()
        cache.keep_stamped(entry, stamp, services)
    return services
