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

What the loader parses, and its lists of botocore's services, are also kept between
kernels (:mod:`gwlab.emulator.data_cache`): a new kernel reads them from the cache.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from typing import Any

import botocore.loaders
import botocore.session

from gwlab.emulator import data_cache


class PlainJSONFileLoader(botocore.loaders.JSONFileLoader):  # type: ignore[misc]
    """botocore's JSON files parsed into plain dicts (ordered too) instead of ``OrderedDict``.

    With botocore's ``object_pairs_hook=OrderedDict`` every JSON object is built in Python;
    without it, json's C parser builds them, in half the time (≈ 13 ms less per kernel for
    the five services the lab uses). Nothing in botocore, boto3 or moto tests the type.
    What was parsed is kept per machine (:mod:`gwlab.emulator.data_cache`).
    """

    def _load_file(self, full_path: str, open_method: Any) -> Any:
        return data_cache.load_json(full_path, open_method)


class MachineCachedLoader(botocore.loaders.Loader):  # type: ignore[misc]
    """botocore's loader, whose lists of services in its own data folder are kept per machine."""

    @botocore.loaders.instance_cache  # type: ignore[untyped-decorator]
    def list_available_services(self, type_name: str) -> list[str]:
        """The services that have a ``type_name`` file (botocore's answer, from the cache)."""
        services: set[str] = set()
        for path in self._potential_locations():
            if self.is_builtin_path(path):
                services.update(data_cache.listing(path, type_name, self._lister(path, type_name)))
            else:
                services.update(self._lister(path, type_name)())
        return sorted(services)

    def _lister(self, path: str, type_name: str) -> Callable[[], list[str]]:
        """The walk botocore itself makes, of the one folder ``path`` (made only if called)."""

        def walk() -> list[str]:
            one = botocore.loaders.Loader(
                extra_search_paths=[path],
                file_loader=self.file_loader,
                include_default_search_paths=False,
            )
            return list(one.list_available_services(type_name))

        return walk


#: The loader the embedded backend's sessions and moto share.
LOADER = MachineCachedLoader(file_loader=PlainJSONFileLoader())


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
