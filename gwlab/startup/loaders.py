"""botocore's data read once for the embedded AWS and its clients.

botocore reads its JSON data (endpoint rules, each service's model) through a
``Loader`` that caches what it has read, per loader; a lab kernel had three that
read the same files. gwlab's sessions and moto's region lists share :data:`LOADER`;
moto parses requests with one loader of moto's own class (so its ``moto-extras``
apply) reading through the same file loader. What that file loader parses, and the
lists of botocore's services, are kept between kernels
(:mod:`gwlab.startup.botocore_data`).

Only botocore's public API is used: a ``Loader`` given a ``file_loader``
(``exists``, ``load_file``), ``search_paths`` and ``register_component``. moto is
pointed at these loaders only while an environment is open, by the addition in
:mod:`gwlab.emulator.speedups`.
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

from gwlab.startup import botocore_data

#: How botocore opens each kind of data file, by the name's ending.
_OPEN_METHODS: dict[str, Callable[..., Any]] = {".json": open, ".json.gz": gzip.open}


class PlainJSONFileLoader(botocore.loaders.JSONFileLoader):  # type: ignore[misc]
    """botocore's JSON files parsed into plain dicts (ordered too) instead of ``OrderedDict``.

    With botocore's ``object_pairs_hook=OrderedDict`` every JSON object is built in Python;
    without it, json's C parser builds them, in half the time. Nothing in botocore, boto3
    or moto tests the type. What was parsed is kept per machine
    (:mod:`gwlab.startup.botocore_data`). Implements the file loader's public
    ``load_file``; ``exists`` is botocore's.
    """

    def load_file(self, file_path: str) -> Any:
        """The data of ``file_path`` + ``.json`` (or ``.json.gz``); ``None`` if neither exists."""
        for ending, open_method in _OPEN_METHODS.items():
            data = botocore_data.load_json(file_path + ending, open_method)
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
                services.update(botocore_data.listing(path, type_name, lister, kept[path]))
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
