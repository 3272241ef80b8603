"""Classes a module hands out on first use, from modules that import it.

``_base_client``, ``_streaming`` and ``_pagination`` hold what their sync and
async classes share. The I/O is written once, async: the classes themselves
live in ``_async_*`` modules, and codegen derives the ``_sync_*`` modules from
them (``generator/emit/unasync.py`` in the codegen repository). Both import
the shared module, so the shared module cannot import them in turn. Instead its
module ``__getattr__`` calls ``hand_out``: ``from ._base_client import
SyncAPIClient`` imports ``_sync_client`` on first use and keeps the class in
``_base_client``, so generated code imports every class from the shared module.
"""

from __future__ import annotations

from typing import Any, Mapping, MutableMapping


def hand_out(
    namespace: MutableMapping[str, Any], homes: Mapping[str, str], name: str
) -> Any:
    """The attribute ``name`` of the module whose ``globals()`` are
    ``namespace``, from the module ``homes[name]`` (relative to its package),
    kept in ``namespace`` once found; ``AttributeError`` for other names."""
    home = homes.get(name)
    if home is None:
        raise AttributeError(
            f"module {namespace['__name__']!r} has no attribute {name!r}"
        )
    import importlib

    found = getattr(importlib.import_module(home, namespace["__package__"]), name)
    return namespace.setdefault(name, found)
