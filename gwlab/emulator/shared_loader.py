"""One botocore data loader for the embedded AWS and its clients.

botocore reads its JSON data (the endpoint rules, each service's model) through a
``Loader`` that caches what it has read — per loader. In a lab kernel there were
three: the boto3 session gwlab's clients come from, the session moto keeps to list
regions, and a new one each time moto loads a service's model to parse requests.
Each read ``endpoints.json`` or the same service models again: about 0.3 s of a
notebook's first cell. They now share :data:`LOADER`; what they read is the same
files, read once.

moto also made a new botocore session, listing every service's data folder
again (≈ 40 ms), the first time each of its service packages rendered an error
(``NoSuchEntity`` from IAM, ``ResourceNotFoundException`` from Lambda, ...): two
to four times per kernel. That lookup reads botocore's data folders once now.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from typing import Any

import botocore.loaders
import botocore.session


class PlainJSONFileLoader(botocore.loaders.JSONFileLoader):  # type: ignore[misc]
    """botocore's JSON files parsed into plain dicts (ordered too) instead of ``OrderedDict``.

    With botocore's ``object_pairs_hook=OrderedDict`` every JSON object is built in Python;
    without it, json's C parser builds them, in half the time (≈ 13 ms less per kernel for
    the five services the lab uses). Nothing in botocore, boto3 or moto tests the type.
    """

    def _load_file(self, full_path: str, open_method: Any) -> Any:
        if not os.path.isfile(full_path):
            return None
        with open_method(full_path, "rb") as file:
            return json.loads(file.read().decode("utf-8"))


#: The loader the embedded backend's sessions and moto share.
LOADER = botocore.loaders.create_loader()
LOADER.file_loader = PlainJSONFileLoader()


def share_loader(session: botocore.session.Session) -> botocore.session.Session:
    """Make ``session`` read botocore's data through :data:`LOADER`; return it."""
    session.register_component("data_loader", LOADER)
    return session


def _shared_loader(*_args: Any, **_kwargs: Any) -> botocore.loaders.Loader:
    return LOADER


@functools.cache
def _service_folders() -> dict[str, str]:
    """Each service folder of botocore's data, by its name without hyphens."""
    folders: set[str] = set()
    for path in LOADER.search_paths:
        with contextlib.suppress(OSError):
            folders.update(entry.name for entry in os.scandir(path) if entry.is_dir())
    return {name.replace("-", ""): name for name in sorted(folders)}


def service_name_from_moto_package_name(moto_package_name: str) -> str:
    """The botocore name of a moto package's service, as moto's function of that name gives.

    moto strips hyphens from service names to name its packages; the table back is
    read from botocore's data folders once, instead of a new session listing every
    service (and reading each one's folder) once per package.
    """
    return _service_folders().get(moto_package_name, moto_package_name)


def share_with_moto() -> None:
    """Make moto's request parsing, error rendering and region lists read :data:`LOADER`."""
    import moto.core.utils
    from moto.core.base_backend import AccountSpecificBackend

    moto.core.utils.create_loader = _shared_loader  # type: ignore[attr-defined]
    moto.core.utils.service_name_from_moto_package_name = service_name_from_moto_package_name  # type: ignore[assignment]
    share_loader(AccountSpecificBackend.get_session()._session)
