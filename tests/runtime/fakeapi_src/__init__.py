# Hand-written stand-in for a generated package __init__.py.
from ._client import AsyncClient, Client
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

__all__ = ["Client", "AsyncClient", "NOT_GIVEN", "NotGiven", "__version__"]
