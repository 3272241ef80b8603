"""Classes a module hands out on first use, from modules that import it.

``_base_client``, ``_streaming`` and ``_pagination`` hold what their sync and
async classes share. The classes themselves live in ``_async_*`` modules (and
the ``_sync_*`` modules derived from them), which import the shared module, so
the shared module cannot import them in turn. Instead its module
``__getattr__`` calls ``hand_out``: ``from ._base_client import SyncAPIClient``
imports ``_sync_client`` on first use and keeps the class in ``_base_client``.
"""

from __future__ import annotations

import sys
from typing import Any, Mapping


def hand_out(module: str, homes: Mapping[str, str], name: str) -> Any:
    """The attribute ``name`` of ``module``, from the module ``homes[name]``
    (relative to ``module``'s package); ``AttributeError`` for other names."""
    home = homes.get(name)
    if home is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    import importlib

    package = module.rpartition(".")[0]
    found = getattr(importlib.import_module(home, package), name)
    setattr(sys.modules[module], name, found)
    return found
