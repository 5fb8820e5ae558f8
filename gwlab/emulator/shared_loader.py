"""One botocore data loader for the embedded AWS and its clients.

botocore reads its JSON data (the endpoint rules, each service's model) through a
``Loader`` that caches what it has read — per loader. In a lab kernel there were
three: the boto3 session gwlab's clients come from, the session moto keeps to list
regions, and a new one each time moto loads a service's model to parse requests.
Each read ``endpoints.json`` or the same service models again: about 0.3 s of a
notebook's first cell. They now share :data:`LOADER`; what they read is the same
files, read once.
"""

from __future__ import annotations

from typing import Any

import botocore.loaders
import botocore.session

#: The loader the embedded backend's sessions and moto share.
LOADER = botocore.loaders.create_loader()


def share_loader(session: botocore.session.Session) -> botocore.session.Session:
    """Make ``session`` read botocore's data through :data:`LOADER`; return it."""
    session.register_component("data_loader", LOADER)
    return session


def _shared_loader(*_args: Any, **_kwargs: Any) -> botocore.loaders.Loader:
    return LOADER


def share_with_moto() -> None:
    """Make moto's request parsing and region lists read through :data:`LOADER` too."""
    import moto.core.utils
    from moto.core.base_backend import AccountSpecificBackend

    moto.core.utils.create_loader = _shared_loader  # type: ignore[attr-defined]
    share_loader(AccountSpecificBackend.get_session()._session)
