"""botocore's data read once for the embedded AWS and its clients.

botocore reads its JSON data (the endpoint rules, each service's model) through a
``Loader`` that caches what it has read — per loader. In a lab kernel there were
three: the boto3 session gwlab's clients come from, the session moto keeps to list
regions, and a new one each time moto loads a service's model to parse requests.
Each listed botocore's service folders and read ``endpoints.json`` or the same
service models again. gwlab's sessions and moto's region lists now share
:data:`LOADER`; moto's request parsing gets one loader of moto's own class (so
moto's ``moto-extras`` still apply) that reads through the same file loader.

moto also made a new botocore session, listing every service's data folder
again, the first time each of its service packages rendered an error
(``NoSuchEntity`` from IAM, ...). That lookup reads botocore's data folders once now.

Only botocore's public API is used: a ``Loader`` given a ``file_loader`` (``exists``
and ``load_file``), ``search_paths`` and ``register_component``. moto's functions
are swapped only while an environment is open (the addition below). What the file
loader parses, and the lists of botocore's services, are kept between kernels
(:mod:`gwlab.emulator.data_cache`).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
from collections.abc import Callable
from typing import Any

import boto3
import botocore.exceptions
import botocore.loaders
import botocore.session
import moto.core.loaders

from gwlab.emulator import data_cache
from gwlab.emulator.patching import combine, replace_attribute
from gwlab.emulator.registry import Undo, addition

#: How botocore opens each kind of data file, by the name's ending.
_OPEN_METHODS: dict[str, Callable[..., Any]] = {".json": open, ".json.gz": gzip.open}


class PlainJSONFileLoader(botocore.loaders.JSONFileLoader):  # type: ignore[misc]
    """botocore's JSON files parsed into plain dicts (ordered too) instead of ``OrderedDict``.

    With botocore's ``object_pairs_hook=OrderedDict`` every JSON object is built in Python;
    without it, json's C parser builds them, in half the time. Nothing in botocore, boto3
    or moto tests the type. What was parsed is kept per machine
    (:mod:`gwlab.emulator.data_cache`). Implements the file loader's public
    ``load_file``; ``exists`` is botocore's.
    """

    def load_file(self, file_path: str) -> Any:
        """The data of ``file_path`` + ``.json`` (or ``.json.gz``); ``None`` if neither exists."""
        for ending, open_method in _OPEN_METHODS.items():
            data = data_cache.load_json(file_path + ending, open_method)
            if data is not None:
                return data
        return None


class MachineCachedLoader(botocore.loaders.Loader):  # type: ignore[misc]
    """botocore's loader, whose lists of services in its own data folder are kept per machine."""

    def kept_folders(self) -> dict[str, str]:
        """Data folders whose listings are kept, with the version of what ships them."""
        return {self.BUILTIN_DATA_PATH: botocore.__version__}

    @botocore.loaders.instance_cache  # type: ignore[untyped-decorator]
    def list_available_services(self, type_name: str) -> list[str]:
        """The services that have a ``type_name`` file (botocore's answer, from the cache)."""
        kept = self.kept_folders()
        services: set[str] = set()
        for path in self.search_paths:
            if not os.path.isdir(path):
                continue
            lister = self._lister(path, type_name)
            if path in kept:
                services.update(data_cache.listing(path, type_name, lister, kept[path]))
            else:
                services.update(lister())
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


class MotoDataLoader(MachineCachedLoader, moto.core.loaders.Loader):
    """moto's loader (its folder first, its ``moto-extras``) with the cached listing and files.

    Where neither moto's nor botocore's extras apply, moto's model is the same data as
    the clients' model, so it is the clients' very object (parsed once, as before).
    """

    def kept_folders(self) -> dict[str, str]:
        """The folders of botocore's data and of moto's, which changes only with moto's version."""
        return {**super().kept_folders(), moto.core.loaders.moto_root: moto.__version__}

    @botocore.loaders.instance_cache  # type: ignore[untyped-decorator]
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        """The model moto parses with; the clients' very object when it is the same data."""
        if self._same_as_clients(service_name, type_name, api_version):
            return LOADER.load_service_model(service_name, type_name, api_version)
        return super().load_service_model(service_name, type_name, api_version)

    def _same_as_clients(self, service_name: str, type_name: str, api_version: str | None) -> bool:
        """Whether :data:`LOADER` gives this model without an extra either loader would add."""
        try:
            version = api_version or self.determine_latest_version(service_name, type_name)
            if version != (api_version or LOADER.determine_latest_version(service_name, type_name)):
                return False
        except botocore.exceptions.DataNotFoundError:
            return False
        moto_root = moto.core.loaders.moto_root
        if self.file_loader.exists(os.path.join(moto_root, service_name, version, type_name)):
            return False
        extras = [(service_name, kind) for kind in LOADER.extras_types]
        extras += [(service_name.replace("-", ""), kind) for kind in self.extras_types]
        return not any(
            self.file_loader.exists(os.path.join(path, name, version, f"{type_name}.{kind}-extras"))
            for path in {*self.search_paths, *LOADER.search_paths}
            for name, kind in extras
        )


#: The file loader every loader below reads through.
FILE_LOADER = PlainJSONFileLoader()

#: The loader the embedded backend's sessions and moto's region lists share.
LOADER = MachineCachedLoader(file_loader=FILE_LOADER)


def share_loader(session: botocore.session.Session) -> botocore.session.Session:
    """Make ``session`` read botocore's data through :data:`LOADER`; return it."""
    session.register_component("data_loader", LOADER)
    return session


@functools.cache
def moto_loader() -> MotoDataLoader:
    """The one loader moto parses requests with while an environment is open."""
    return MotoDataLoader(extra_search_paths=[moto.core.loaders.moto_root], file_loader=FILE_LOADER)


@functools.cache
def moto_session() -> boto3.Session:
    """The session moto lists regions with while an environment is open (no user config)."""
    core = share_loader(botocore.session.Session())
    core.set_config_variable("config_file", os.devnull)
    core.set_config_variable("credentials_file", os.devnull)
    return boto3.Session(botocore_session=core)


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


def _get_session(cls: type) -> boto3.Session:
    return moto_session()


@addition("core: moto reads botocore's data through the shared loaders")
def share_with_moto() -> Undo:
    """Make moto's request parsing, error rendering and region lists read the shared data."""
    import moto.core.utils
    from moto.core.base_backend import AccountSpecificBackend

    return combine(
        replace_attribute(moto.core.utils, "create_loader", moto_loader),
        replace_attribute(
            moto.core.utils,
            "service_name_from_moto_package_name",
            service_name_from_moto_package_name,
        ),
        replace_attribute(AccountSpecificBackend, "get_session", classmethod(_get_session)),
    )
